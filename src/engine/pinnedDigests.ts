/**
 * What this release trusts: the digests the Hugging Face hub publishes for the files of the pinned revision,
 * shipped in code. A hub or mirror that serves the pinned revision is checked against these, never against
 * what it reports itself (its file list or its X-Linked-Etag / ETag headers).
 */

export const DEFAULT_REPOSITORY = 'Xenova/all-MiniLM-L6-v2';
/**
 * Head of `main` of Xenova/all-MiniLM-L6-v2 (last modified 2025-07-22). Pinning a commit makes the bytes
 * immutable: a later push to the repository cannot change what users download.
 */
export const PINNED_REVISION = '751bff37182d3f1213fa05d7196b954e230abad9';

/** One file as the hub publishes it. A file with neither digest is known but unverifiable: it is refused. */
export interface PinnedFile {
  /** SHA-256 of the bytes (for LFS files, the "Git LFS Details" SHA256 on the hub's file page). */
  sha256?: string;
  /** Git blob id, sha1("blob <size>\0" + bytes), for files kept in git rather than LFS. */
  gitBlobSha1?: string;
  /** Exact size in bytes, when the hub publishes it. */
  size?: number;
  /** Where the values were published, or why none was found. */
  source: string;
}

export interface PinnedRevision {
  repository: string;
  /** Full 40-hex commit, lowercase. */
  revision: string;
  files: Readonly<Record<string, PinnedFile>>;
}

export type PinnedTable = readonly PinnedRevision[];

/**
 * Values copied from huggingface.co pages, never computed from a download. Files the hub publishes no digest
 * for on a page that was found are listed without one, so the engine refuses them from this revision rather
 * than trust a server's word.
 */
export const PINNED_DIGESTS: PinnedTable = [
  {
    repository: DEFAULT_REPOSITORY,
    revision: PINNED_REVISION,
    files: {
      // The commit that last changed the file shows its LFS pointer: "oid sha256:759c3cd2… size 90387606".
      //   https://huggingface.co/Xenova/all-MiniLM-L6-v2/commit/08a308f628bc9d6774b7922f319eb1b65afa1a82
      // File page, "Git LFS Details": SHA256 759c3cd2…, size of remote file 90.4 MB (same commit history,
      // mirrored under Supabase/ at Xenova's commit da5f6ea):
      //   https://huggingface.co/Supabase/all-MiniLM-L6-v2/blob/da5f6eac91a9596269707e15ec694e50e25a0d14/onnx/model.onnx
      // Tree pages up to cb3d680 (2024) still show it last changed by that upload:
      //   https://huggingface.co/Xenova/all-MiniLM-L6-v2/tree/cb3d680149bf9a3209564e1b27ab3bb355b65707/onnx
      'onnx/model.onnx': {
        sha256: '759c3cd2b7fe7e93933ad23c4c9181b7396442a2ed746ec7c1d46192c469c46e',
        size: 90_387_606,
        source: 'https://huggingface.co/Xenova/all-MiniLM-L6-v2/commit/08a308f628bc9d6774b7922f319eb1b65afa1a82',
      },
      // File page, "Git LFS Details": SHA256 afdb6f1a…, size of remote file "23 MB" (last changed in da5f6ea):
      //   https://huggingface.co/Xenova/all-MiniLM-L6-v2/blob/refs%2Fpr%2F1/onnx/model_quantized.onnx
      // Its exact size, 22,972,370 bytes, is in the hub's file listing (quoted as for the small files below).
      'onnx/model_quantized.onnx': {
        sha256: 'afdb6f1a0e45b715d0bb9b11772f032c399babd23bfc31fed1c170afc848bdb1',
        size: 22_972_370,
        source: 'https://huggingface.co/Xenova/all-MiniLM-L6-v2/blob/refs%2Fpr%2F1/onnx/model_quantized.onnx',
      },
      // Small files are kept in git: the hub publishes their git blob ids and sizes through its file listing
      // (GET /api/models/Xenova/all-MiniLM-L6-v2/tree/<rev>, `oid` and `size`), not on the file pages. The values
      // below are that listing at 751bff3 as quoted, identically, by several independent public projects (one
      // records "Hugging Face API /api/models/Xenova/all-MiniLM-L6-v2?blobs=true, checked 2026-09-25"); the sizes
      // agree with the hub's tree page ("650 Bytes", "712 kB", "366 Bytes"):
      //   https://huggingface.co/Xenova/all-MiniLM-L6-v2/tree/3f2acba6462e3d3b009664b530c4de07dd85b448
      // A wrong value here fails safe: the download is refused with a checksum error, never installed.
      'config.json': {
        gitBlobSha1: '72147e4ff4426ebedbfa2146c4a0999def51a313',
        size: 650,
        source: 'https://huggingface.co/api/models/Xenova/all-MiniLM-L6-v2/tree/751bff37182d3f1213fa05d7196b954e230abad9',
      },
      'tokenizer.json': {
        gitBlobSha1: 'c17ed520ed8438736732a54957a69306b8822215',
        size: 711_661,
        source: 'https://huggingface.co/api/models/Xenova/all-MiniLM-L6-v2/tree/751bff37182d3f1213fa05d7196b954e230abad9',
      },
      'tokenizer_config.json': {
        gitBlobSha1: '37fca74771bc76a8e01178ce3a6055a0995f8093',
        size: 366,
        source: 'https://huggingface.co/api/models/Xenova/all-MiniLM-L6-v2/tree/751bff37182d3f1213fa05d7196b954e230abad9',
      },
    },
  },
];

/** The pinned entry for a repository and revision (repository ids compare case-insensitively, as on the hub). */
export function pinnedRevisionFor(table: PinnedTable, repository: string, revision: string): PinnedRevision | undefined {
  const repo = repository.toLowerCase();
  const rev = revision.toLowerCase();
  return table.find((entry) => entry.repository.toLowerCase() === repo && entry.revision === rev);
}

/** True when a pinned file carries a digest the engine can check. */
export function hasDigest(file: PinnedFile | undefined): file is PinnedFile {
  return Boolean(file && (file.sha256 || file.gitBlobSha1));
}
