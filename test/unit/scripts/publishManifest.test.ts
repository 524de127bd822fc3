import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../../helpers/sharedPaths';

// What the Marketplace reads from package.json besides the contributions: scripts/package.mjs no longer passes
// --skip-license or --allow-missing-repository, so a missing piece here must fail before vsce does.
describe('publishable manifest (package.json, LICENSE, icon)', () => {
  const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));

  it('has a 128×128 PNG icon that the package ships', () => {
    const png = readFileSync(path.join(repoRoot, manifest.icon));
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], `${manifest.icon} is not a PNG`);
    assert.equal(png.toString('latin1', 12, 16), 'IHDR');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
    const vscodeignore = readFileSync(path.join(repoRoot, '.vscodeignore'), 'utf8').split('\n');
    assert.ok(vscodeignore.includes(`!${path.posix.dirname(manifest.icon)}/*.png`), '.vscodeignore must let the icon in');
  });

  it('carries the full Apache-2.0 text the manifest declares', () => {
    assert.equal(manifest.license, 'Apache-2.0');
    const license = readFileSync(path.join(repoRoot, 'LICENSE'), 'utf8');
    assert.match(license, /Apache License\s+Version 2\.0, January 2004/);
    assert.match(license, /END OF TERMS AND CONDITIONS/);
    assert.match(license, /APPENDIX: How to apply the Apache License to your work\./);
  });

  it('names one repository for source, bugs and homepage', () => {
    const repo = /^https:\/\/github\.com\/([\w.-]+\/[\w.-]+?)(\.git)?$/.exec(manifest.repository.url)?.[1];
    assert.ok(repo, `repository.url is not a GitHub URL: ${manifest.repository.url}`);
    assert.equal(manifest.bugs.url, `https://github.com/${repo}/issues`);
    assert.ok(manifest.homepage.startsWith(`https://github.com/${repo}`), manifest.homepage);
  });

  it('has Marketplace categories, keywords and a gallery banner', () => {
    // The categories VS Code's manifest schema offers; the Marketplace takes at most 30 keywords.
    const known = [
      'AI',
      'Azure',
      'Chat',
      'Data Science',
      'Debuggers',
      'Education',
      'Extension Packs',
      'Formatters',
      'Keymaps',
      'Language Packs',
      'Linters',
      'Machine Learning',
      'Notebooks',
      'Programming Languages',
      'SCM Providers',
      'Snippets',
      'Testing',
      'Themes',
      'Visualization',
      'Other',
    ];
    for (const category of manifest.categories) assert.ok(known.includes(category), `unknown category ${category}`);
    assert.ok(manifest.keywords.length > 0 && manifest.keywords.length <= 30, 'at most 30 keywords');
    assert.match(manifest.galleryBanner.color, /^#[0-9a-fA-F]{6}$/);
    assert.ok(['dark', 'light'].includes(manifest.galleryBanner.theme));
  });
});
