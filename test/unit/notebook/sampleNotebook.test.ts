// The bundled sample (opened by MiniLM: Open Sample Notebook from a copy outside the extension): it ships in the VSIX,
// every code cell parses, its @file sits beside it, and its links work from anywhere (absolute, to files that exist).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { checkCell } from '../../../src/notebook/cellLanguage';
import { SAMPLE_FILES } from '../../../src/notebook/sampleFiles';
import { parseLines } from '../../../src/notebook/notebookFormat';
import { repoRoot } from '../../helpers/sharedPaths';

describe('the sample notebook', () => {
  const cells = parseLines(fs.readFileSync(path.join(repoRoot, 'samples', SAMPLE_FILES[0]), 'utf8').split('\n')).notebook.cells;

  it('ships in the VSIX with the files it reads', () => {
    const ignore = fs.readFileSync(path.join(repoRoot, '.vscodeignore'), 'utf8').split('\n');
    assert.ok(ignore.includes('!samples/**'), '.vscodeignore must let samples/ in');
    for (const name of SAMPLE_FILES) assert.ok(fs.existsSync(path.join(repoRoot, 'samples', name)), name);
    const files = cells.flatMap((c) => [...c.source.matchAll(/^@file\s+(.+)$/gm)].map((m) => m[1]!.trim()));
    assert.ok(files.length > 0);
    for (const file of files) assert.ok((SAMPLE_FILES as readonly string[]).includes(file), `${file} is not copied with the sample`);
  });

  it('every code cell parses', () => {
    const code = cells.filter((c) => c.kind === 'code');
    assert.ok(code.length >= 7);
    for (const cell of code) assert.deepEqual(checkCell(cell.source).problems, [], cell.source);
  });

  it('links only to absolute addresses, the repository files among them existing', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { repository: { url: string } };
    const blob = pkg.repository.url.replace(/\.git$/, '') + '/blob/main/';
    const links = cells.filter((c) => c.kind === 'markdown').flatMap((c) => [...c.source.matchAll(/\]\(([^)]+)\)/g)].map((m) => m[1]!));
    assert.ok(
      links.some((l) => l.endsWith('docs/notebook-format.md')),
      'the sample links to the format documentation',
    );
    for (const link of links) {
      assert.match(link, /^https:\/\//, `${link} would not resolve from the copy the command opens`);
      if (link.startsWith(blob)) assert.ok(fs.existsSync(path.join(repoRoot, link.slice(blob.length))), `${link}: no such file`);
    }
  });
});
