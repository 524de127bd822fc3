// `node scripts/e2e/install.mjs`: sets up everything the end-to-end suites need (Debian packages, code-server).
import { ensureCodeServer, log } from './codeServer.mjs';

const started = Date.now();
try {
  const entry = ensureCodeServer();
  log(`code-server ready (${entry}) in ${Math.round((Date.now() - started) / 1000)} s`);
} catch (err) {
  log(err instanceof Error ? err.message : String(err));
  process.exit(1);
}
