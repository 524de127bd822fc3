import os from 'node:os';
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { cosineSimilarity } from '../../core';
import { DTYPES, missingFiles, threadLayout, type Engine, type ModelInfo } from '../../engine';
import { checkModelDigests } from '../../engine/modelDigests';
import type { RemoteEmbedder } from '../../engine/remote';
import { CliError } from '../cliError';
import {
  addBackendOptions,
  addModelOptions,
  addOutputOptions,
  outputFormat,
  remoteEmbedder,
  withEngine,
  type BackendOptions,
  type ModelOptions,
  type OutputOptions,
} from '../commonOptions';
import { emit } from '../outTarget';
import { cellText, renderTable } from '../output';

interface DoctorOptions extends ModelOptions, BackendOptions, OutputOptions {
  minCosine: number;
}

/**
 * Texts both set-ups encode: English and Chinese, short ones and one past 256 word pieces (so truncation is
 * compared too).
 */
export const DOCTOR_TEXTS: readonly string[] = [
  'A man is playing a guitar.',
  'The new movie is awesome.',
  'How do I reset my password?',
  '今天天气很好，我们去公园散步吧。',
  '机器学习是人工智能的一个分支。',
  Array.from({ length: 40 }, (_, i) => `Sentence ${i + 1} of a long document about embeddings, search and truncation.`).join(' '),
];

/** The worst cosine a remote backend may reach by default: far below float noise, far above a different model. */
const DEFAULT_MIN_COSINE = 0.999;

/** One finding about the local set-up; `ok: false` makes doctor exit 1. */
interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

function cosineBound(value: string): number {
  const n = Number(value);
  if (!/^\s*(0|1)?(\.\d+)?\s*$/.test(value) || !Number.isFinite(n) || n <= 0 || n > 1)
    throw new InvalidArgumentError('expected a cosine above 0 and at most 1, e.g. 0.999.');
  return n;
}

export function registerDoctor(program: Command): void {
  const command = program
    .command('doctor')
    .description(
      'check the set-up: without --backend, the local model (found, digests, dtypes, workers) and that it encodes; with --backend, encode a fixed set of texts locally and remotely and report the worst cosine (exit 1 below --min-cosine)',
    )
    .option('--min-cosine <c>', 'with --backend: the worst cosine accepted between local and remote vectors', cosineBound, DEFAULT_MIN_COSINE);
  addModelOptions(command);
  addBackendOptions(command);
  addOutputOptions(command, ['table', 'json'], ' (json: the checks, or per-text cosines and the worst)');
  command.action(async (options: DoctorOptions) => {
    const remote = remoteEmbedder(options);
    const json = outputFormat(options) === 'json';
    await withEngine(options, async (engine) => {
      const ok = remote ? await compareRemote(engine, remote, options, json) : await checkLocal(engine, options, json);
      if (!ok) process.exitCode = 1;
    });
  });
}

/** Encodes DOCTOR_TEXTS here and on the backend; true when every cosine reaches --min-cosine. */
async function compareRemote(engine: Engine, remote: RemoteEmbedder, options: DoctorOptions, json: boolean): Promise<boolean> {
  const info = await engine.load();
  const texts = [...DOCTOR_TEXTS];
  const local = await engine.encode(texts);
  const description = await remote.describe();
  const vectors = await remote.encode(texts);
  if (vectors[0]!.length !== info.dimension) {
    throw new CliError(
      `${remote.api} backend's ${description.model} returns ${vectors[0]!.length}-dimensional vectors, the local ${info.name} ${info.dimension}: they are different models.`,
    );
  }
  const cosines = texts.map((_, i) => cosineSimilarity(local[i]!, vectors[i]!));
  const worst = Math.min(...cosines);
  const ok = worst >= options.minCosine;
  if (json) {
    await emit(
      `${JSON.stringify({ backend: remote.api, endpoint: remote.endpoint, remote_model: description.model, local_model: info.name, dtype: info.dtype, server_normalized: remote.serverNormalized ?? null, cosines, worst, min_cosine: options.minCosine, ok })}\n`,
      options.out,
    );
    return ok;
  }
  const rows = texts.map((text, i) => [String(i), cosines[i]!.toFixed(6), cellText(text, 60)]);
  const lines = [
    `local   ${info.name} (${info.dtype}, ${info.dir})`,
    `remote  ${description.model} on the ${remote.api} backend at ${remote.endpoint}${remote.serverNormalized === false ? ' (its vectors are not unit length; scaled here)' : ''}`,
    '',
    renderTable(['#', 'cosine', 'text'], rows, ['right', 'right']).trimEnd(),
    '',
    `worst cosine ${worst.toFixed(6)}: ${ok ? `the backend serves the same model (>= ${options.minCosine})` : `below ${options.minCosine}: the backend serves another model, weights or pre-processing`}`,
  ];
  await emit(`${lines.join('\n')}\n`, options.out);
  return ok;
}

/** Checks the local model the options name; true when nothing is wrong. */
async function checkLocal(engine: Engine, options: DoctorOptions, json: boolean): Promise<boolean> {
  const checks: Check[] = [];
  let info: ModelInfo | undefined;
  try {
    info = await engine.load();
    checks.push({ name: 'model', ok: true, detail: `${info.name} from ${info.source}: ${info.dir}` });
  } catch (error) {
    checks.push({ name: 'model', ok: false, detail: (error as Error).message });
  }
  if (info) {
    const dtypes = DTYPES.map((dtype) => ({ dtype, missing: missingFiles(info!.dir, dtype) }));
    checks.push({
      name: 'dtypes',
      ok: dtypes.some((d) => d.dtype === info!.dtype && d.missing.length === 0),
      detail: dtypes.map((d) => (d.missing.length === 0 ? `${d.dtype} present` : `${d.dtype} missing ${d.missing.join(', ')}`)).join('; '),
    });
    const digests = await checkModelDigests(info).catch((error: Error) => error);
    if (digests instanceof Error) checks.push({ name: 'digests', ok: false, detail: digests.message });
    else if (!digests)
      checks.push({
        name: 'digests',
        ok: true,
        detail: `not checked: ${path.basename(info.dir)} is a folder without SHA256SUMS or recorded digests and not from the cache`,
      });
    else {
      const bad = digests.files.filter((f) => f.status === 'differs');
      const matched = digests.files.filter((f) => f.status === 'matches').length;
      checks.push({
        name: 'digests',
        ok: bad.length === 0,
        detail:
          bad.length === 0
            ? `${matched} files match ${digests.against}`
            : `${bad.map((f) => `${f.file} differs (${f.detail})`).join('; ')}, against ${digests.against}: download the model again`,
      });
    }
    const cores = os.availableParallelism();
    checks.push({
      name: 'inference',
      ok: info.workers * info.threads <= 2 * cores,
      detail: `${threadLayout(info)} on ${cores} cores, loaded in ${info.loadMs.toFixed(0)} ms`,
    });
    checks.push(await encodeCheck(engine, info));
  }
  const ok = checks.every((c) => c.ok);
  if (json) {
    await emit(`${JSON.stringify({ ok, checks })}\n`, options.out);
    return ok;
  }
  const rows = checks.map((c) => [c.name, c.ok ? 'ok' : 'PROBLEM', c.detail]);
  await emit(
    `${renderTable(['check', 'result', 'detail'], rows).trimEnd()}\n${ok ? 'the local set-up works' : 'the local set-up has a problem: see the rows marked PROBLEM'}\n`,
    options.out,
  );
  return ok;
}

/** The fixed texts encode to vectors of the model's width, unit length when it normalises, the long one cut. */
async function encodeCheck(engine: Engine, info: ModelInfo): Promise<Check> {
  try {
    const { vectors, tokens } = await engine.encodeWithTokens([...DOCTOR_TEXTS]);
    const norms = vectors.map((v) => Math.sqrt(v.reduce((s, x) => s + x * x, 0)));
    const problems: string[] = [];
    if (vectors.some((v) => v.length !== info.dimension)) problems.push(`a vector is not ${info.dimension}-dimensional`);
    if (vectors.some((v) => v.some((x) => !Number.isFinite(x)))) problems.push('a vector holds NaN or infinity');
    const unit = info.normalize && info.truncateDim === undefined;
    if (unit && norms.some((n) => Math.abs(n - 1) > 1e-4)) problems.push('a vector is not unit length');
    const cut = tokens.filter((t) => t.truncated).length;
    return problems.length > 0
      ? { name: 'encode', ok: false, detail: problems.join('; ') }
      : {
          name: 'encode',
          ok: true,
          detail: `${vectors.length} texts (English, Chinese, ${cut} past ${info.maxSeqLength} word pieces, cut) → ${info.dimension}-d vectors${unit ? ', unit length' : ''}`,
        };
  } catch (error) {
    return { name: 'encode', ok: false, detail: (error as Error).message };
  }
}
