import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isReallyWithin, isInside, realPathAllowingMissing } from '../../../src/host/containedPath';

describe('contained paths', () => {
  let root: string;
  let workspace: string;
  let outside: string;

  beforeEach(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'minilm-contained-')));
    workspace = path.join(root, 'ws');
    outside = path.join(root, 'elsewhere');
    fs.mkdirSync(path.join(workspace, 'results'), { recursive: true });
    fs.mkdirSync(outside);
  });

  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('isInside: the folder itself and anything below it, nothing beside or above it', () => {
    assert.equal(isInside('/ws', '/ws'), true);
    assert.equal(isInside('/ws', '/ws/a/b'), true);
    assert.equal(isInside('/ws', '/ws/..a'), true, 'a name that starts with two dots is still inside');
    assert.equal(isInside('/ws', '/ws/../x'), false);
    assert.equal(isInside('/ws', '/ws-evil/x'), false, 'a sibling whose name starts like the folder');
    assert.equal(isInside('/ws', '/'), false);
  });

  it('a missing path is resolved through its nearest existing ancestor', async () => {
    assert.equal(await realPathAllowingMissing(path.join(workspace, 'results', 'new', 'deeper')), path.join(workspace, 'results', 'new', 'deeper'));
  });

  it('a symbolic link inside the workspace that points out of it is not inside, even for a path below it', async () => {
    fs.symlinkSync(outside, path.join(workspace, 'link'));
    assert.equal(isInside(workspace, path.join(workspace, 'link', 'x')), true, 'lexically it looks inside');
    assert.equal(await isReallyWithin(workspace, path.join(workspace, 'link')), false);
    assert.equal(await isReallyWithin(workspace, path.join(workspace, 'link', 'not-yet', 'file.json')), false);
    assert.equal(await isReallyWithin(workspace, path.join(workspace, 'results', 'file.json')), true);
  });

  it('a link that stays inside is fine; a file link out of the folder is not', async () => {
    fs.symlinkSync(path.join(workspace, 'results'), path.join(workspace, 'alias'));
    assert.equal(await isReallyWithin(workspace, path.join(workspace, 'alias', 'a.json')), true);
    fs.writeFileSync(path.join(outside, 'secret.json'), '{}');
    fs.symlinkSync(path.join(outside, 'secret.json'), path.join(workspace, 'results', 'test_20260101_000000.json'));
    assert.equal(await isReallyWithin(path.join(workspace, 'results'), path.join(workspace, 'results', 'test_20260101_000000.json')), false);
  });
});
