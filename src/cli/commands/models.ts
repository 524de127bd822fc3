import type { Command } from 'commander';
import {
  DTYPES,
  MODEL_CATALOGUE,
  cacheLocation,
  defaultCacheDir,
  downloadSize,
  missingFiles,
  verifiedDtypes,
  type CatalogueEntry,
  type Dtype,
} from '../../engine';
import { addOutputOptions, outputFormat, type OutputOptions } from '../commonOptions';
import { emit } from '../outTarget';
import { renderTable } from '../output';

interface ModelsOptions extends OutputOptions {
  cacheDir?: string;
}

/** One catalogue entry as `minilm models --format json` prints it. */
export interface CatalogueRow {
  id: string;
  repository: string;
  revision: string;
  baseModel: string;
  languages: readonly string[];
  languageSummary: string;
  dimension: number;
  licence: string;
  pooling: string[];
  normalize: boolean;
  maxSeqLength: number;
  prompts: Record<string, string>;
  /** Dtypes whose every file has a pinned digest: the ones `minilm download` fetches. */
  downloadable: Dtype[];
  size: Record<Dtype, { bytes: number; exact: boolean }>;
  /** Dtypes present in the cache, and the folder. */
  cached: Dtype[];
  cacheFolder: string;
}

export function catalogueRows(cacheDir: string, catalogue: readonly CatalogueEntry[] = MODEL_CATALOGUE): CatalogueRow[] {
  return catalogue.map((entry) => {
    // The cache folder depends on repository and revision only, never on the endpoint.
    const { dir } = cacheLocation(cacheDir, { endpoint: '', repository: entry.repository, revision: entry.revision }, catalogue);
    return {
      id: entry.id,
      repository: entry.repository,
      revision: entry.revision,
      baseModel: entry.baseModel,
      languages: entry.languages,
      languageSummary: entry.languageSummary,
      dimension: entry.dimension,
      licence: entry.licence,
      pooling: [...entry.st.pooling],
      normalize: entry.st.normalize,
      maxSeqLength: entry.st.maxSeqLength,
      prompts: { ...entry.st.prompts },
      downloadable: verifiedDtypes(entry),
      size: Object.fromEntries(DTYPES.map((dtype) => [dtype, downloadSize(entry, dtype)])) as CatalogueRow['size'],
      cached: DTYPES.filter((dtype) => missingFiles(dir, dtype).length === 0),
      cacheFolder: dir,
    };
  });
}

/** `135.4 MB`, or `~470 MB` when part of it is the hub's rounded figure. */
export function sizeText(size: { bytes: number; exact: boolean }): string {
  return `${size.exact ? '' : '~'}${(size.bytes / 1e6).toFixed(1)} MB`;
}

export function registerModels(program: Command): void {
  const command = program
    .command('models')
    .description('list the model catalogue: languages, dimension, download size per dtype, licence, and whether each is in the cache');
  command.option('--cache-dir <dir>', `cache folder (default: ${defaultCacheDir()})`);
  addOutputOptions(command, ['table', 'json']);
  command.action(async (options: ModelsOptions) => {
    const rows = catalogueRows(options.cacheDir ?? defaultCacheDir());
    if (outputFormat(options) === 'json') {
      await emit(`${JSON.stringify(rows, null, 2)}\n`, options.out);
      return;
    }
    const table = rows.map((row) => [
      row.id,
      row.languageSummary,
      String(row.dimension),
      DTYPES.map((dtype) => `${dtype} ${sizeText(row.size[dtype])}${row.downloadable.includes(dtype) ? '' : ' (no pinned digest)'}`).join(', '),
      row.licence,
      row.cached.length > 0 ? `${row.cached.join(', ')}: ${row.cacheFolder}` : 'no',
    ]);
    await emit(renderTable(['id', 'languages', 'dim', 'download', 'licence', 'cached'], table), options.out);
  });
}
