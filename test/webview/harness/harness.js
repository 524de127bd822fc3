// The webview's view of VS Code, as the harness plays it: postMessage goes to the harness server, host messages
// arrive as window "message" events, and getState/setState persist in sessionStorage (so a reload keeps them,
// like a webview that is hidden and shown again).
(function () {
  const events = new EventSource('/events');
  const queue = [];
  let open = false;
  const send = (message) => fetch('/message', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(message) });
  events.onopen = () => {
    open = true;
    for (const message of queue.splice(0)) send(message);
  };
  events.onmessage = (event) => window.dispatchEvent(new MessageEvent('message', { data: JSON.parse(event.data) }));
  window.__harnessSent = [];
  let acquired = false;
  window.acquireVsCodeApi = function () {
    if (acquired) throw new Error('acquireVsCodeApi can only be invoked once');
    acquired = true;
    return {
      postMessage(message) {
        window.__harnessSent.push(message);
        if (open) send(message);
        else queue.push(message);
      },
      getState() {
        const saved = sessionStorage.getItem('vscodeState');
        return saved ? JSON.parse(saved) : undefined;
      },
      setState(state) {
        sessionStorage.setItem('vscodeState', JSON.stringify(state));
        return state;
      },
    };
  };
})();
