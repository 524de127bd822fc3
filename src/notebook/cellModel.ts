// Which model runs a `minilm` cell: a `# model: <spec>` line above the directive, else the notebook's `model`
// (its metadata), else the extension's `minilm.model`. A comment line, so that the cell language's parser and every
// older version read such a cell unchanged. vscode-free: the rules, untrusted workspaces included, are unit-tested.
import { RUN_MESSAGES, type RunMessage } from './cellMessages';
import { fillPlaceholders } from '../shared/translate';
import os from 'node:os';
import path from 'node:path';
import { parseModelSpec } from '../engine/modelSpec';
import type { ModelChoice } from '../engine/modelPool';
import { isInside } from '../host/containedPath';
import { CellSyntaxError, cellLines, directiveLineIndex } from './cellLanguage';

/** Key of the notebook metadata (the `%% minilm-notebook v1 {…}` header) naming the notebook's model. */
export const NOTEBOOK_MODEL_KEY = 'model';

const MODEL_LINE = /^#\s*model\s*:(.*)$/i;

export interface ModelPragma {
  readonly spec: string;
  /** 1-based line in the cell. */
  readonly line: number;
}

/** The `# model: <spec>` line above the cell's directive, if any (the last one wins; an empty spec is an error). */
export function cellModelPragma(source: string): ModelPragma | undefined {
  const lines = cellLines(source);
  const directive = directiveLineIndex(lines);
  const end = directive < 0 ? lines.length : directive;
  let found: ModelPragma | undefined;
  for (let i = 0; i < end; i++) {
    const m = MODEL_LINE.exec(lines[i]!.trim());
    if (!m) continue;
    const spec = m[1]!.trim();
    if (spec === '')
      throw new CellSyntaxError([{ line: i + 1, start: 0, end: lines[i]!.length, message: 'modelMissing', args: ['paraphrase-multilingual-MiniLM-L12-v2'] }]);
    found = { spec, line: i + 1 };
  }
  return found;
}

/** The notebook's own model (metadata `model`), when it names one. */
export function notebookModelOf(metadata: Readonly<Record<string, unknown>> | undefined): string | undefined {
  const value = metadata?.[NOTEBOOK_MODEL_KEY];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * Where a cell's model comes from: its `# model:` line or the notebook's metadata; undefined: the settings' model.
 * Throws the cell's syntax error for an empty `# model:` line (the cell would not run at all).
 */
export function cellModelOrigin(
  source: string,
  metadata: Readonly<Record<string, unknown>> | undefined,
): { spec: string; from: 'cell' | 'notebook' } | undefined {
  const pragma = cellModelPragma(source);
  if (pragma) return { spec: pragma.spec, from: 'cell' };
  const notebook = notebookModelOf(metadata);
  return notebook ? { spec: notebook, from: 'notebook' } : undefined;
}

export interface ModelScope {
  /** The notebook's folder: relative folder specs are read against it. Undefined for an untitled notebook. */
  readonly notebookFolder: string | undefined;
  /** The workspace folder a model folder must stay inside. */
  readonly workspaceFolder: string | undefined;
  /** `vscode.workspace.isTrusted`. */
  readonly trusted: boolean;
  readonly dtype: ModelChoice['dtype'];
}

/** A model a notebook may not use, or cannot name; the message is the cell's one line. */
export class NotebookModelError extends Error {
  override readonly name = 'NotebookModelError';
  readonly args: readonly string[];

  constructor(
    readonly template: RunMessage,
    ...args: string[]
  ) {
    super(fillPlaceholders(RUN_MESSAGES[template], ...args));
    this.args = args;
  }
}

/**
 * The engine options for a notebook's or cell's model spec. A folder must lie inside the workspace folder (symbolic
 * links are checked by the caller, which reads the disk); in an untrusted workspace only catalogue models (pinned
 * commits with published digests) are accepted: a cloned repository must not get a model folder or hub repository
 * of its choosing loaded by opening a notebook and running it.
 */
export function modelChoiceFor(spec: string, scope: ModelScope): { choice: ModelChoice; label: string } {
  const base = scope.notebookFolder ?? scope.workspaceFolder ?? os.homedir();
  let parsed;
  try {
    parsed = parseModelSpec(spec, undefined, base);
  } catch (error) {
    throw new NotebookModelError('modelSpec', error instanceof Error ? error.message : String(error));
  }
  if (!scope.trusted && parsed.kind !== 'catalogue') {
    throw new NotebookModelError('modelNotCatalogue', spec);
  }
  const dtype = scope.dtype;
  switch (parsed.kind) {
    case 'catalogue':
      return { choice: { hub: { repository: parsed.entry.repository, revision: parsed.entry.revision }, modelNamed: true, dtype }, label: parsed.entry.id };
    case 'hub':
      return {
        choice: { hub: { repository: parsed.repository, revision: parsed.revision }, modelNamed: true, dtype },
        label: `${parsed.repository}@${parsed.revision}`,
      };
    case 'folder': {
      if (!scope.workspaceFolder || !isInside(scope.workspaceFolder, parsed.dir)) {
        throw new NotebookModelError('modelFolderOutside', parsed.dir);
      }
      return { choice: { modelDir: parsed.dir, dtype }, label: path.basename(parsed.dir) };
    }
  }
}
