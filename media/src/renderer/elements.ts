// DOM helpers of the notebook renderer (it shares no code with the webview's dom.ts: different bundle, shadow roots).

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export function button(label: string, onClick: () => void): HTMLButtonElement {
  const b = el('button', 'button', label);
  b.type = 'button';
  b.addEventListener('click', onClick);
  return b;
}

/** The renderer's name for the one placeholder fill (src/shared/translate). */
export { fillPlaceholders as fill } from '../../../src/shared/translate';
