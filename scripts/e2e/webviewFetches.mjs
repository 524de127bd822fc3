// Lets the in-host tests wait until no webview is fetching a resource before they close editors.
//
// Why: code-server's webview service worker answers a webview's resource fetch (a stylesheet, a font) by asking the
// workbench, and waits up to 30 s for the answer. A webview closed mid-fetch never answers, and while that fetch is
// pending the next webview's worker cannot take over: the next Studio panel or notebook then takes 30 s to open.
// The browser sees those fetches; the extension host does not. So the harness counts them and serves
// GET /settled, which answers once none has been in flight for a short while (or after a cap, never failing a test).
import http from 'node:http';

const WEBVIEW_RESOURCE = /\.vscode-resource\.vscode-cdn\.net\//;
const QUIET_MS = 300;
const CAP_MS = 10_000;

/**
 * Serves GET /settled on 127.0.0.1; `watch(page)` starts counting that page's webview resource fetches. The URL is
 * given to the tests as MINILM_TEST_WEBVIEWS_SETTLED_URL (test/vscode/extensionApi.ts).
 */
export async function startWebviewFetchTracker() {
  const inFlight = new Set();
  let lastChange = Date.now();
  const settled = () => inFlight.size === 0 && Date.now() - lastChange >= QUIET_MS;
  const server = http.createServer(async (req, res) => {
    if (req.method !== 'GET' || req.url !== '/settled') {
      res.writeHead(404).end();
      return;
    }
    const deadline = Date.now() + CAP_MS;
    while (!settled() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ inFlight: inFlight.size }));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${port}/settled`,
    /** @param {import('playwright-core').Page} page */
    watch(page) {
      page.on('request', (request) => {
        if (!WEBVIEW_RESOURCE.test(request.url())) return;
        inFlight.add(request);
        lastChange = Date.now();
      });
      const untrack = (request) => {
        if (inFlight.delete(request)) lastChange = Date.now();
      };
      page.on('requestfinished', untrack);
      page.on('requestfailed', untrack);
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
