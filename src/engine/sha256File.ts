import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

/** Feeds a file's bytes into an existing hash (used to continue hashing a resumed download). */
export async function hashFileInto(hash: Hash, path: string): Promise<number> {
  let bytes = 0;
  // 1 MiB reads instead of the default 64 KiB: model.onnx (90 MB) hashed in 0.17–0.41 s instead of 0.22–0.67 s
  // (same 2 busy cores).
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return bytes;
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  await hashFileInto(hash, path);
  return hash.digest('hex');
}

/**
 * The git blob id of a file: sha1("blob <size>\0" + content). The hub reports it for files that are not
 * in LFS (its `blobId` and the `ETag` of their `resolve` response), so small files can be verified too.
 */
export async function gitBlobSha1File(path: string): Promise<string> {
  const { size } = await stat(path);
  const hash = createHash('sha1');
  hash.update(`blob ${size}\0`);
  await hashFileInto(hash, path);
  return hash.digest('hex');
}
