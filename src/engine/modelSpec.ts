import fs from 'node:fs';
import path from 'node:path';
import { EngineError } from './errors';
import { MODEL_CATALOGUE, catalogueEntry, catalogueEntryFor, type CatalogueEntry } from './modelCatalogue';

/** What `--model` (or the `minilm.model` setting) names. */
export type ModelSpec = { kind: 'catalogue'; entry: CatalogueEntry } | { kind: 'hub'; repository: string; revision: string } | { kind: 'folder'; dir: string };

const HUB_ID = /^([A-Za-z0-9][\w.-]*\/[\w.-]+)(?:@([\w./-]+))?$/;

/**
 * Reads a model name as sentence-transformers does, with the catalogue first: a catalogue id, then an existing
 * folder (as `SentenceTransformer(path)`), then `owner/name[@revision]` on the hub. A hub repository the catalogue
 * pins, named without a revision, is that catalogue entry (pinned digests, published configuration).
 */
export function parseModelSpec(value: string, catalogue: readonly CatalogueEntry[] = MODEL_CATALOGUE, cwd: string = process.cwd()): ModelSpec {
  const text = value.trim();
  if (text === '')
    throw new EngineError(
      'INVALID_INPUT',
      `The model name is empty; use a catalogue id (${catalogue.map((e) => e.id).join(', ')}), owner/name[@revision] or a folder.`,
    );
  const entry = catalogueEntry(text, catalogue);
  if (entry) return { kind: 'catalogue', entry };
  const dir = path.resolve(cwd, text);
  if (fs.existsSync(dir) && fs.statSync(dir).isDirectory()) return { kind: 'folder', dir };
  const hub = HUB_ID.exec(text);
  if (hub && !hub[1]!.split('/').some((s) => s === '.' || s === '..')) {
    const [, repository, revision] = hub;
    const pinned = catalogueEntryFor(repository!, revision, catalogue);
    if (pinned) return { kind: 'catalogue', entry: pinned };
    return { kind: 'hub', repository: repository!, revision: revision ?? 'main' };
  }
  throw new EngineError(
    'INVALID_INPUT',
    `"${text}" is not a catalogue model (${catalogue.map((e) => e.id).join(', ')}), an existing folder, or a hub repository owner/name[@revision]. "minilm models" lists the catalogue.`,
  );
}
