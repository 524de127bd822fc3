/**
 * The host side of the Studio protocol without `vscode`: it turns validated webview requests into engine calls and
 * core maths. The panel (studioPanel.ts) supplies a {@link StudioBackend} over VS Code; the webview tests supply one
 * over a plain Engine, so both run this same code.
 */
import * as path from 'node:path';
import { isReallyWithin } from '../host/containedPath';
import { promises as fsp } from 'node:fs';
import { cosineSimilarity, norm } from '../core/vector';
import { semanticSearch } from '../core/semanticSearch';
import { similarityMatrix, matrixToRows } from '../core/similarityMatrix';
import { clusterOrder } from '../core/clusterOrder';
import { pca2d } from '../core/pca';
import { EXAMPLE_TEXTS, buildExampleResult, resultFileName, type ExampleResultDocument } from '../core/exampleSuite';
import { vectorsToCsv, vectorsToJson, vectorsToNpy, formatFloat32 } from '../core/exportFormats';
import { writeFileAtomic } from '../engine/atomicWrite';
import { buildExplainView } from '../shared/explainView';
import { DEFAULT_CATALOGUE_ID } from '../engine/modelCatalogue';
import { createCompareHandlers } from './compareRequests';
import { StudioRequestError, firstLine, unverifiableReason } from './studioRequestError';
import { similarityOf } from './similarityScores';
import type { RequestContext, StudioBackend } from './studioBackend';

export type { BackendEncodeOptions, OtherModel, RequestContext, StudioBackend } from './studioBackend';
export { StudioRequestError, unverifiableReason } from './studioRequestError';
import { type MatrixView, type RequestError, type RequestParams, type RequestResult, type ResultFileEntry, type StudioMethod } from '../shared/studioProtocol';

type Handlers = { [M in StudioMethod]: (params: RequestParams<M>, context: RequestContext) => Promise<RequestResult<M>> };

const RESULT_FILE = /^test_\d{8}_\d{6}\.json$/;

export function createStudioRequestHandlers(backend: StudioBackend): Handlers {
  const encodeOne = async (text: string, signal: AbortSignal) => {
    const { vectors, tokens } = await backend.encodeWithTokens([text], { signal });
    return { vector: vectors[0], tokens: tokens?.[0] };
  };

  const resultsFolder = async (): Promise<string> => {
    const folder = await backend.resultsFolder();
    if (!folder) throw new StudioRequestError('NO_WORKSPACE', 'Open a folder to save and list example results.');
    return folder;
  };

  /** Only files named like results, directly inside the results folder, may be read or opened. */
  const resultPath = async (file: string): Promise<string> => {
    const folder = await resultsFolder();
    const resolved = path.resolve(folder, file);
    if (path.dirname(resolved) !== path.resolve(folder) || !RESULT_FILE.test(path.basename(resolved))) {
      throw new StudioRequestError('INVALID_INPUT', `Not a result file in ${folder}: ${file}`);
    }
    if (!(await isReallyWithin(folder, resolved))) {
      throw new StudioRequestError('INVALID_INPUT', `${file} is a link that leads out of the results folder ${folder}; it is not read.`);
    }
    return resolved;
  };

  return {
    'model/status': async () => backend.status(),
    'model/load': async (_params, { signal }) => {
      await backend.load(signal);
      return backend.status();
    },
    'model/unload': async () => {
      await backend.unload();
      return backend.status();
    },
    'model/setDtype': async ({ dtype }) => {
      await backend.setDtype(dtype);
      return backend.status();
    },

    'model/catalogue': async () => backend.modelPicker(),
    'model/loaded': async () => backend.loadedModels(),
    'model/unloadPooled': async ({ key }) => {
      try {
        await backend.unloadPooled(key);
      } catch (error) {
        throw new StudioRequestError('INVALID_INPUT', firstLine(error));
      }
      return backend.loadedModels();
    },
    'model/pick': async ({ id }) => {
      const entry = backend.modelPicker().entries.find((e) => e.id === id);
      if (!entry) throw new StudioRequestError('INVALID_INPUT', `"${id.slice(0, 80)}" is not in the model catalogue.`);
      const dtype = backend.status().dtype;
      if (!entry.local && !entry.verifiedDtypes.includes(dtype)) {
        throw new StudioRequestError('INVALID_INPUT', unverifiableReason(entry.id, dtype, entry.verifiedDtypes));
      }
      await backend.setModel(entry.id === DEFAULT_CATALOGUE_ID ? '' : entry.id);
      return backend.modelPicker();
    },
    'model/useOther': async ({ model }) => {
      try {
        backend.checkModel(model);
      } catch (error) {
        throw new StudioRequestError('INVALID_INPUT', firstLine(error));
      }
      await backend.setModel(model);
      return backend.modelPicker();
    },

    'similarity/compute': async ({ a, b }, { signal }) => {
      const { vectors, tokens } = await backend.encodeWithTokens([a, b], { signal });
      return similarityOf(vectors, tokens, backend.status().info);
    },

    'similarity/explain': async ({ a, b }, { signal }) => {
      // Token embeddings first: a backend that cannot give them (a remote server) refuses before any text is sent.
      const sideA = await backend.tokenEmbeddings(a, { signal });
      const sideB = await backend.tokenEmbeddings(b, { signal });
      const { vectors } = await backend.encodeWithTokens([a, b], { signal });
      return buildExplainView(sideA, sideB, cosineSimilarity(vectors[0], vectors[1]), backend.status().info?.maxSeqLength ?? 256);
    },

    'encode/compute': async ({ text }, { signal }) => {
      const { vector, tokens } = await encodeOne(text, signal);
      return { text, dimension: vector.length, norm: norm(vector), vector: Array.from(vector), tokens };
    },
    'encode/copy': async ({ text }, { signal }) => {
      const { vector } = await encodeOne(text, signal);
      const json = `[${Array.from(vector, formatFloat32).join(', ')}]`;
      await backend.copyText(json);
      return { characters: json.length };
    },
    'encode/export': async ({ text, format }, { signal }) => {
      const { vector } = await encodeOne(text, signal);
      const target = await backend.chooseSaveFile(`embedding.${format}`, format);
      if (!target) return { saved: null };
      const content = format === 'json' ? vectorsToJson([vector], [text]) : format === 'csv' ? vectorsToCsv([vector], [text]) : vectorsToNpy([vector]);
      await writeFileAtomic(target, content, { signal });
      return { saved: target };
    },

    'search/run': async ({ query, candidates, topK }, context) => {
      const { vectors } = await backend.encodeWithTokens([query, ...candidates], {
        signal: context.signal,
        onProgress: ({ done, total }) => context.progress(done, total),
      });
      const [hits] = semanticSearch(vectors[0], vectors.slice(1), { topK });
      return {
        query,
        candidateCount: candidates.length,
        topK,
        hits: hits.map((h) => ({ index: h.corpus_id, text: candidates[h.corpus_id], score: h.score })),
      };
    },
    'search/openCandidates': async () => {
      const opened = await backend.openTextFile();
      if (!opened) return null;
      return { file: opened.file, candidates: candidateLines(opened.text) };
    },

    'matrix/compute': async ({ texts }, context) => {
      const { vectors } = await backend.encodeWithTokens(texts, {
        signal: context.signal,
        onProgress: ({ done, total }) => context.progress(done, total),
      });
      const matrix = similarityMatrix(vectors);
      const projection = pca2d(vectors);
      const info = backend.status().info;
      return {
        origin: 'texts',
        title: `${texts.length} texts`,
        texts,
        topics: texts.map(() => ''),
        matrix: matrixToRows(matrix),
        clusterOrder: clusterOrder(matrix),
        pca: { points: projection.points, explainedVarianceRatio: projection.explainedVarianceRatio },
        model: info?.name,
        dtype: info?.dtype,
      };
    },

    ...createCompareHandlers(backend),

    'examples/run': async (_params, context) => {
      const folder = await backend.resultsFolder();
      const texts = EXAMPLE_TEXTS.map((e) => e.text);
      const started = performance.now();
      const loadStarted = performance.now();
      await backend.load(context.signal);
      const loadMs = performance.now() - loadStarted;
      const encodeStarted = performance.now();
      const { vectors } = await backend.encodeWithTokens(texts, {
        signal: context.signal,
        onProgress: ({ done, total }) => context.progress(done, total),
      });
      const encodeMs = performance.now() - encodeStarted;
      const info = backend.status().info;
      const date = new Date();
      const document = buildExampleResult({
        model: info?.name ?? 'all-MiniLM-L6-v2',
        dtype: info?.dtype ?? backend.status().dtype,
        examples: EXAMPLE_TEXTS,
        embeddings: vectors,
        timings: { load: round(loadMs), encode: round(encodeMs), total: round(performance.now() - started) },
        date,
      });
      let file: string | undefined;
      if (folder) {
        context.signal.throwIfAborted();
        // Checked again just before writing: a link could have been put in the folder's way during the run.
        await backend.resultsFolder();
        await fsp.mkdir(folder, { recursive: true });
        file = path.join(folder, resultFileName(date));
        await writeFileAtomic(file, `${JSON.stringify(document, null, 2)}\n`, { signal: context.signal });
      }
      const projection = pca2d(vectors);
      return {
        ...matrixViewOf(document, 'run', file),
        pca: { points: projection.points, explainedVarianceRatio: projection.explainedVarianceRatio },
      };
    },
    'examples/list': async () => {
      const folder = await backend.resultsFolder();
      if (!folder) return [];
      let names: string[];
      try {
        names = await fsp.readdir(folder);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw error;
      }
      const entries: ResultFileEntry[] = [];
      for (const name of names.filter((n) => RESULT_FILE.test(n))) {
        const stat = await fsp.stat(path.join(folder, name)).catch(() => undefined);
        if (stat?.isFile()) entries.push({ name, path: path.join(folder, name), size: stat.size, modified: stat.mtimeMs });
      }
      // The names sort by time; newest first.
      return entries.sort((x, y) => y.name.localeCompare(x.name));
    },
    'examples/load': async ({ path: file }) => {
      const resolved = await resultPath(file);
      const document = parseResultDocument(await fsp.readFile(resolved, 'utf8'), resolved);
      return matrixViewOf(document, 'file', resolved);
    },
    'examples/open': async ({ path: file }) => {
      await backend.openInEditor(await resultPath(file));
      return null;
    },
    'command/run': async ({ command }) => {
      await backend.runCommand(command);
      return null;
    },
  };
}

const round = (ms: number) => Number(ms.toFixed(1));

/** Lines of a candidates file: trimmed of line-end whitespace, blank lines dropped. */
export function candidateLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trimEnd())
    .filter((line) => line.trim().length > 0);
}

function matrixViewOf(document: ExampleResultDocument, origin: 'run' | 'file', file: string | undefined): MatrixView {
  const n = document.texts.length;
  const data = new Float32Array(n * n);
  document.matrix.forEach((row, r) => row.forEach((value, c) => (data[r * n + c] = value)));
  return {
    origin,
    title: file ? path.basename(file) : document.timestamp,
    texts: document.texts,
    topics: document.topics,
    matrix: document.matrix,
    clusterOrder: clusterOrder({ rows: n, cols: n, data }),
    model: document.model,
    dtype: document.dtype,
    timestamp: document.timestamp,
    timings: document.timings,
    file,
  };
}

/** Reads a results file defensively: it is user-editable JSON. */
export function parseResultDocument(json: string, file: string): ExampleResultDocument {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new StudioRequestError('INVALID_INPUT', `${file} is not valid JSON: ${(error as Error).message}`);
  }
  const doc = value as Partial<ExampleResultDocument>;
  const texts = doc.texts;
  const matrix = doc.matrix;
  const ok =
    Array.isArray(texts) &&
    texts.every((t) => typeof t === 'string') &&
    Array.isArray(matrix) &&
    matrix.length === texts.length &&
    matrix.every((row) => Array.isArray(row) && row.length === texts.length && row.every((v) => typeof v === 'number' && Number.isFinite(v)));
  if (!ok) throw new StudioRequestError('INVALID_INPUT', `${file} is not an example result (needs texts and a square matrix).`);
  const topics = Array.isArray(doc.topics) && doc.topics.length === texts.length ? doc.topics.map(String) : texts.map(() => '');
  return {
    timestamp: typeof doc.timestamp === 'string' ? doc.timestamp : '',
    model: typeof doc.model === 'string' ? doc.model : '',
    dtype: typeof doc.dtype === 'string' ? doc.dtype : '',
    dimension: typeof doc.dimension === 'number' ? doc.dimension : 0,
    texts,
    topics,
    languages: [],
    matrix,
    timings: doc.timings && typeof doc.timings === 'object' ? doc.timings : {},
    summary: doc.summary as ExampleResultDocument['summary'],
  };
}

/** Converts any failure into the error the webview shows. */
export function toRequestError(error: unknown): RequestError {
  if (error instanceof StudioRequestError) return { code: error.code, message: error.message };
  const e = error as { code?: unknown; name?: unknown; message?: unknown };
  if (e?.name === 'AbortError' || e?.code === 'CANCELLED' || e?.code === 'ABORT_ERR') return { code: 'CANCELLED', message: 'Cancelled.' };
  const code = typeof e?.code === 'string' ? e.code : 'FAILED';
  const message = typeof e?.message === 'string' ? e.message : String(error);
  return { code, message };
}
