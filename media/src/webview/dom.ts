/** Attributes: strings/numbers/booleans become attributes; functions under `on` become listeners. */
type Listeners = Record<string, (event: Event) => void>;
interface Attributes {
  on?: Listeners;
  [name: string]: string | number | boolean | undefined | Listeners;
}
type Child = Node | string | number | null | undefined | false;

/**
 * Creates an element. Styles are never set through attributes (the CSP forbids inline style attributes); use
 * classes, or `element.style` (CSSOM), which the CSP allows.
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes?: Attributes, ...children: Child[]): HTMLElementTagNameMap[K];
export function h(tag: string, attributes?: Attributes, ...children: Child[]): HTMLElement;
export function h(tag: string, attributes: Attributes = {}, ...children: Child[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'on') continue;
    if (name === 'style') throw new Error('inline style attributes are blocked by the CSP');
    if (value === undefined || value === false || typeof value === 'object') continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const [event, listener] of Object.entries(attributes.on ?? {})) element.addEventListener(event, listener);
  append(element, children);
  return element;
}

export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

/** Replaces the children of `parent`. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

export function icon(name: string): HTMLElement {
  return h('span', { class: `codicon codicon-${name}`, 'aria-hidden': 'true' });
}

/** The value of a CSS variable of the current theme. */
export function themeVariable(name: string, fallback: string): string {
  const value = getComputedStyle(document.body).getPropertyValue(name).trim();
  return value || fallback;
}
