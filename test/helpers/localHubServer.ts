import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PinnedTable } from '../../src/engine/pinnedDigests';

/** One file of the fake repository. `lfs` files are redirected to a CDN path, like the real hub does. */
export interface FakeRepoFile {
  path: string;
  content: Buffer;
  lfs: boolean;
}

/** Switchable misbehaviour; tests set these between calls. */
export interface HubFaults {
  /** Send the headers (full length), then only `bytes` body bytes, then destroy the socket; `times` responses (default 1). */
  dropAfterBytes?: { file: string; bytes: number; times?: number };
  /** Serve these files with one byte changed (same length, wrong digest). */
  corrupt?: string[];
  /** Every API and resolve request answers this status (e.g. 401, 404, 500). */
  status?: number;
  /** The API answers 404, as a mirror without the API would: digests come only from headers. */
  noApi?: boolean;
  /** Answer range requests with the whole file and 200. */
  ignoreRange?: boolean;
  /** Redirect small files to `/api/resolve-cache/…` on the same host first, as huggingface.co does. */
  resolveCache?: boolean;
  /** Leave out ETag / X-Linked-Etag, as a proxy that strips headers would. */
  noDigestHeaders?: boolean;
  /** Send a file in `chunkBytes` pieces with `delayMs` between them. */
  slow?: { file: string; chunkBytes: number; delayMs: number };
  /**
   * A hostile mirror: serve other bytes for these files (random bytes of the same length for LFS files, other
   * valid JSON for the rest), with a file list, X-Linked-Etag / X-Linked-Size and ETag that all match them.
   */
  hostile?: string[];
  /** Answer these files with an HTML error page and status 200, as a captive portal or broken proxy would. */
  htmlPage?: { files: string[]; /** Leave out Content-Length (chunked transfer). */ chunked?: boolean };
  /** Stream this file's bytes and keep going, `bytes` in all, without a Content-Length. */
  endless?: { file: string; bytes: number };
  /** Answer for any revision string as if it were this hub's revision (a mirror that does not check). */
  anyRevision?: boolean;
  /** The file list names this commit as the revision's `sha`. */
  apiSha?: string;
}

export interface RecordedRequest {
  method: string;
  url: string;
  range: string | undefined;
}

export interface LocalHub {
  endpoint: string;
  repository: string;
  revision: string;
  files: Map<string, FakeRepoFile>;
  faults: HubFaults;
  requests: RecordedRequest[];
  /** Requests for the given repository file, at any revision (resolve URL or its CDN target). */
  requestsFor(file: string): RecordedRequest[];
  /** Body bytes the server managed to hand to the socket for an `endless` file. */
  sent: Map<string, number>;
  /** The bytes this hub serves for a file right now (the hostile copy when `faults.hostile` names it). */
  served(file: string): Buffer;
  close(): Promise<void>;
}

export function sha256(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

export function gitBlobSha1(content: Buffer): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

/** A pinned table holding the digests of `files` (by default the hub's genuine ones), as a release would ship them. */
export function pinnedTableFor(repository: string, revision: string, files: Iterable<FakeRepoFile>): PinnedTable {
  const entries = [...files].map((f) => [
    f.path,
    f.lfs
      ? { sha256: sha256(f.content), size: f.content.length, source: 'test' }
      : { gitBlobSha1: gitBlobSha1(f.content), size: f.content.length, source: 'test' },
  ]);
  return [{ repository, revision, files: Object.fromEntries(entries) }];
}

/** A transformers.js-layout repository: small JSON files in git and random "weights" in LFS. */
export function fakeModelFiles(modelBytes = 3 * 1024 * 1024): FakeRepoFile[] {
  const json = (value: unknown) => Buffer.from(JSON.stringify(value, null, 2));
  return [
    { path: 'config.json', content: json({ model_type: 'bert', hidden_size: 384, fake: randomBytes(8).toString('hex') }), lfs: false },
    { path: 'tokenizer.json', content: json({ version: '1.0', model: { type: 'WordPiece', vocab: { '[PAD]': 0, hello: 1 } } }), lfs: false },
    { path: 'tokenizer_config.json', content: json({ model_max_length: 512, do_lower_case: true }), lfs: false },
    { path: 'special_tokens_map.json', content: json({ cls_token: '[CLS]' }), lfs: false },
    { path: 'onnx/model.onnx', content: randomBytes(modelBytes), lfs: true },
    { path: 'onnx/model_quantized.onnx', content: randomBytes(Math.max(1, Math.floor(modelBytes / 4))), lfs: true },
  ];
}

export async function startLocalHub(options: { repository?: string; revision?: string; files?: FakeRepoFile[] } = {}): Promise<LocalHub> {
  const repository = options.repository ?? 'Xenova/all-MiniLM-L6-v2';
  const revision = options.revision ?? 'c0ffee0000000000000000000000000000000001';
  const files = new Map((options.files ?? fakeModelFiles()).map((f) => [f.path, f]));
  const faults: HubFaults = {};
  const requests: RecordedRequest[] = [];
  const sent = new Map<string, number>();
  const hostileCopies = new Map<string, Buffer>();
  const served = (path: string): Buffer => {
    const file = files.get(path);
    if (!file) throw new Error(`no ${path} in the fake repository`);
    if (!faults.hostile?.includes(path)) return file.content;
    let copy = hostileCopies.get(path);
    if (!copy) {
      copy = file.lfs
        ? randomBytes(file.content.length)
        : Buffer.from(JSON.stringify({ ...(JSON.parse(file.content.toString()) as object), planted: randomBytes(8).toString('hex') }, null, 2));
      hostileCopies.set(path, copy);
    }
    return copy;
  };
  /** The CDN serves by digest, like the real one: whichever file currently has it. */
  const bySha = (digest: string) => [...files.values()].find((f) => f.lfs && sha256(served(f.path)) === digest);

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push({ method: req.method ?? 'GET', url: url.pathname + url.search, range: req.headers.range });
    if (faults.status !== undefined) return sendError(res, faults.status);

    const apiPrefix = `/api/models/${repository}/revision/`;
    if (url.pathname.startsWith(apiPrefix)) {
      const rev = decodeURIComponent(url.pathname.slice(apiPrefix.length));
      if (faults.noApi || (rev !== revision && rev !== 'main' && !faults.anyRevision)) return sendError(res, 404);
      const siblings = [...files.values()].map((f) => {
        const content = served(f.path);
        return f.lfs
          ? {
              rfilename: f.path,
              size: content.length,
              blobId: gitBlobSha1(Buffer.from(`version https://git-lfs.github.com/spec/v1\noid sha256:${sha256(content)}\n`)),
              lfs: { sha256: sha256(content), size: content.length, pointerSize: 134 },
            }
          : { rfilename: f.path, size: content.length, blobId: gitBlobSha1(content) };
      });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: repository, sha: faults.apiSha ?? revision, siblings }));
      return;
    }

    const resolvePrefix = `/${repository}/resolve/`;
    if (url.pathname.startsWith(resolvePrefix)) {
      const [rev, ...rest] = url.pathname.slice(resolvePrefix.length).split('/').map(decodeURIComponent);
      const file = files.get(rest.join('/'));
      if ((rev !== revision && rev !== 'main' && !faults.anyRevision) || !file) return sendError(res, 404);
      if (faults.htmlPage?.files.includes(file.path)) return sendHtmlPage(res, faults.htmlPage.chunked ?? false);
      const headers = { 'x-repo-commit': revision };
      const digests = !faults.noDigestHeaders;
      const content = served(file.path);
      if (file.lfs) {
        const digest = sha256(content);
        res.writeHead(302, {
          ...headers,
          location: `/cdn/${digest}/${encodeURIComponent(file.path)}`,
          ...(digests ? { etag: `"${digest}"`, 'x-linked-etag': `"${digest}"` } : {}),
          'x-linked-size': String(content.length),
        });
        res.end('Found. Redirecting');
        return;
      }
      if (faults.resolveCache) {
        res.writeHead(307, { ...headers, location: `/api/resolve-cache/models/${repository}/${revision}/${encodeURIComponent(file.path)}` });
        res.end('Temporary Redirect');
        return;
      }
      return serveContent(req, res, file, digests ? { ...headers, etag: `"${gitBlobSha1(content)}"` } : headers);
    }

    const cachePrefix = `/api/resolve-cache/models/${repository}/${revision}/`;
    if (url.pathname.startsWith(cachePrefix)) {
      const file = files.get(decodeURIComponent(url.pathname.slice(cachePrefix.length)));
      if (!file || file.lfs) return sendError(res, 404);
      return serveContent(req, res, file, faults.noDigestHeaders ? {} : { etag: `"${gitBlobSha1(served(file.path))}"` });
    }

    if (url.pathname.startsWith('/cdn/')) {
      const file = bySha(url.pathname.split('/')[2] ?? '');
      if (!file) return sendError(res, 404);
      return serveContent(req, res, file, {});
    }
    sendError(res, 404);
  });

  function serveContent(req: http.IncomingMessage, res: http.ServerResponse, file: FakeRepoFile, headers: http.OutgoingHttpHeaders): void {
    if (faults.endless?.file === file.path) return serveEndless(res, file, faults.endless.bytes);
    let body = served(file.path);
    if (faults.corrupt?.includes(file.path)) {
      body = Buffer.from(body);
      body[Math.floor(body.length / 2)] ^= 0xff;
    }
    const total = body.length;
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    let status = 200;
    let start = 0;
    if (range && !faults.ignoreRange) {
      start = Number(range[1]);
      if (start >= total) {
        res.writeHead(416, { ...headers, 'content-range': `bytes */${total}` });
        res.end();
        return;
      }
      status = 206;
      headers = { ...headers, 'content-range': `bytes ${start}-${total - 1}/${total}` };
    }
    const slice = body.subarray(start);
    res.writeHead(status, { ...headers, 'content-length': String(slice.length), 'accept-ranges': 'bytes', 'content-type': 'application/octet-stream' });

    const drop = faults.dropAfterBytes;
    if (drop && drop.file === file.path && (drop.times ?? 1) > 0) {
      drop.times = (drop.times ?? 1) - 1;
      // Let the bytes reach the client before the connection dies, so it has something to resume from.
      res.write(slice.subarray(0, Math.min(drop.bytes, slice.length)), () => {
        setTimeout(() => res.socket?.destroy(), 50);
      });
      return;
    }
    const slow = faults.slow;
    if (slow && slow.file === file.path) {
      let offset = 0;
      const next = () => {
        if (res.destroyed || res.writableEnded) return;
        if (offset >= slice.length) return void res.end();
        res.write(slice.subarray(offset, offset + slow.chunkBytes));
        offset += slow.chunkBytes;
        setTimeout(next, slow.delayMs);
      };
      next();
      return;
    }
    res.end(slice);
  }

  /** The file's bytes, then more, in 64 KiB chunks with back-pressure, until `bytes` are sent or the client leaves. */
  function serveEndless(res: http.ServerResponse, file: FakeRepoFile, bytes: number): void {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    const source = served(file.path);
    const chunk = Buffer.alloc(64 * 1024);
    let offset = 0;
    sent.set(file.path, 0);
    const next = (): void => {
      while (offset < bytes) {
        if (res.destroyed || res.writableEnded) return;
        const n = Math.min(chunk.length, bytes - offset);
        for (let i = 0; i < n; i++) chunk[i] = source[(offset + i) % source.length]!;
        offset += n;
        const more = res.write(Buffer.from(chunk.subarray(0, n)), (error) => {
          if (!error) sent.set(file.path, (sent.get(file.path) ?? 0) + n);
        });
        if (!more) return void res.once('drain', next);
      }
      res.end();
    };
    next();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    repository,
    revision,
    files,
    faults,
    requests,
    sent,
    served,
    requestsFor: (file) =>
      requests.filter((r) => {
        const decoded = decodeURIComponent(r.url);
        // Any revision: tests also ask for branches and other spellings of the commit.
        return (decoded.startsWith(`/${repository}/resolve/`) || decoded.startsWith('/cdn/')) && decoded.endsWith(`/${file}`);
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function sendHtmlPage(res: http.ServerResponse, chunked: boolean): void {
  const body = Buffer.from('<!doctype html><html><head><title>Sign in</title></head><body><h1>Please sign in to continue</h1></body></html>\n');
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...(chunked ? {} : { 'content-length': String(body.length) }) });
  if (chunked) res.write(body);
  res.end(chunked ? undefined : body);
}

function sendError(res: http.ServerResponse, status: number): void {
  const body = JSON.stringify({ error: status === 404 ? 'Repository, revision or entry not found' : `HTTP ${status}` });
  res.writeHead(status, { 'content-type': 'application/json', 'x-error-code': status === 404 ? 'EntryNotFound' : 'Error' });
  res.end(body);
}
