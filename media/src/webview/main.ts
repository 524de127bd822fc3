/**
 * The Studio panel's front end. The host answers `webview/ready` with `init` (strings, model state, a command's
 * request); from then on the UI is a function of the {@link StudioState}, which is persisted with setState so that
 * hiding the panel (the webview is destroyed) or reloading the window loses nothing.
 */
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import './studio.css';
import { STUDIO_TABS, type HostNotification, type StudioShowRequest } from '../../../src/shared/studioProtocol';
import { ENGLISH_STRINGS, type StringKey } from '../../../src/shared/studioUiStrings';
import { HostConnection } from './hostConnection';
import { h, icon, replaceChildren } from './dom';
import type { Tab, TabContext } from './context';
import { formatTemplate } from './formatting';
import { compareModelSpec, persistedState, restoreState, studioReducer, type Slot, type StudioAction, type StudioState } from './studioState';
import { createModelTab } from './modelTab';
import { createSimilarityTab } from './similarityTab';
import { createEncodeTab } from './encodeTab';
import { createSearchTab } from './searchTab';
import { compareMatrixIfChosen, createExamplesTab } from './examplesTab';

const TAB_ICONS = { model: 'server-process', similarity: 'arrow-both', encode: 'symbol-array', search: 'search', examples: 'beaker' } as const;

let strings: Record<string, string> = { ...ENGLISH_STRINGS };
let state: StudioState;
let tabs: Tab[] = [];
let tabsElement: (HTMLElement & { selectedIndex: number }) | undefined;
let persistTimer: ReturnType<typeof setTimeout> | undefined;

const connection = new HostConnection(onNotification, (id, done, total) => dispatch({ type: 'progress', id, done, total }));
state = restoreState(connection.getState());

const ctx: TabContext = {
  t: (key: StringKey, ...args) => formatTemplate(strings[key] ?? ENGLISH_STRINGS[key] ?? key, ...args),
  dispatch,
  state: () => state,
  connection,
  run(slot, method, params, onResult) {
    const previous = state[slot].busy;
    if (previous) connection.cancel(previous.id);
    const { id, reply } = connection.request(method, params);
    dispatch({ type: 'started', slot, id });
    void reply.then((answer) => {
      if (answer.ok) onResult(answer.result, id);
      else dispatch({ type: 'failed', slot, id, error: answer.error });
    });
    return id;
  },
  cancel(slot: Slot) {
    const busy = state[slot].busy;
    if (busy) connection.cancel(busy.id);
  },
};

function dispatch(action: StudioAction): void {
  const previous = state;
  state = studioReducer(state, action);
  if (state === previous) return;
  render(previous);
  // Typing dispatches on every key; write the state at most every 200 ms.
  clearTimeout(persistTimer);
  persistTimer = setTimeout(() => connection.setState(persistedState(state)), 200);
}

function render(previous: StudioState | undefined): void {
  if (!tabsElement) return;
  const index = STUDIO_TABS.indexOf(state.tab);
  if (tabsElement.selectedIndex !== index) tabsElement.selectedIndex = index;
  for (const tab of tabs) tab.render(state, previous);
}

function onNotification(notification: HostNotification): void {
  switch (notification.method) {
    case 'init':
      strings = { ...ENGLISH_STRINGS, ...notification.params.strings };
      document.documentElement.lang = notification.params.language;
      if (!tabsElement) build();
      dispatch({ type: 'init', status: notification.params.status, hasResultsFolder: notification.params.hasResultsFolder });
      if (notification.params.request) showRequest(notification.params.request);
      ctx.run('picker', 'model/catalogue', {}, (result, id) => dispatch({ type: 'succeeded', slot: 'picker', id, result }));
      ctx.run('loaded', 'model/loaded', {}, (result, id) => dispatch({ type: 'succeeded', slot: 'loaded', id, result }));
      break;
    case 'model/state':
      dispatch({ type: 'status', status: notification.params });
      break;
    case 'model/picker':
      dispatch({ type: 'picker', view: notification.params });
      break;
    case 'model/loaded':
      dispatch({ type: 'loaded', view: notification.params });
      break;
    case 'show':
      showRequest(notification.params);
      break;
  }
}

/** A command's request: fill the inputs and compute, so the user sees the answer without another click. */
function showRequest(request: StudioShowRequest): void {
  dispatch({ type: 'show', request });
  if (request.similarity) {
    const { a, b } = request.similarity;
    ctx.run('similarity', 'similarity/compute', { a, b }, (result, id) => dispatch({ type: 'succeeded', slot: 'similarity', id, result }));
    const model = compareModelSpec(state);
    if (model)
      ctx.run('similarityCompare', 'compare/similarity', { a, b, model }, (result, id) =>
        dispatch({ type: 'succeeded', slot: 'similarityCompare', id, result }),
      );
  }
  if (request.encode) {
    ctx.run('encode', 'encode/compute', { text: request.encode.text }, (result, id) => dispatch({ type: 'succeeded', slot: 'encode', id, result }));
  }
  if (request.search && request.search.candidates.length > 0) {
    const { query, candidates } = request.search;
    ctx.run('search', 'search/run', { query, candidates, topK: state.search.topK }, (result, id) =>
      dispatch({ type: 'succeeded', slot: 'search', id, result }),
    );
  }
  if (request.matrix) {
    ctx.run('examples', 'matrix/compute', { texts: request.matrix.texts }, (result, id) => {
      dispatch({ type: 'succeeded', slot: 'examples', id, result });
      compareMatrixIfChosen(ctx);
    });
  } else if (request.tab === 'examples') {
    // Sent after "MiniLM: Run Example Tests" wrote a result: list the files and show the newest one.
    void connection.request('examples/list', {}).reply.then((reply) => {
      if (!reply.ok) return;
      dispatch({ type: 'files', files: reply.result });
      const newest = reply.result[0];
      if (newest && state.examples.result?.file !== newest.path) {
        ctx.run('examples', 'examples/load', { path: newest.path }, (result, id) => {
          dispatch({ type: 'succeeded', slot: 'examples', id, result });
          compareMatrixIfChosen(ctx);
        });
      }
    });
  }
}

function build(): void {
  const app = document.getElementById('app')!;
  tabs = [createModelTab(ctx), createSimilarityTab(ctx), createEncodeTab(ctx), createSearchTab(ctx), createExamplesTab(ctx)];
  // Not `panel`: that paints the panel background over the editor's, a visible seam around the tab's content.
  const element = h('vscode-tabs', { id: 'studio-tabs' }) as unknown as HTMLElement & { selectedIndex: number };
  STUDIO_TABS.forEach((name, i) => {
    // In a narrow panel the labels hide (studio.css) and the icon remains, named by the title and aria-label.
    const label = ctx.t(`tab.${name}`);
    element.appendChild(
      h(
        'vscode-tab-header',
        { slot: 'header', 'data-tab': name, title: label, 'aria-label': label },
        icon(TAB_ICONS[name]),
        h('span', { class: 'tab-label' }, label),
      ),
    );
    element.appendChild(h('vscode-tab-panel', { 'data-tab': name }, tabs[i].element));
  });
  element.addEventListener('vsc-tabs-select', (event) => {
    const index = (event as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex;
    dispatch({ type: 'selectTab', tab: STUDIO_TABS[index] });
  });
  replaceChildren(app, element);
  app.removeAttribute('aria-busy');
  tabsElement = element;
  render(undefined);
}

connection.ready();
