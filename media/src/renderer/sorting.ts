// Sort state of the renderer's tables and canvas: clicking the same header again reverses, another header starts
// descending; ties keep the original order.

export interface SortState {
  key: number;
  descending: boolean;
}

/** What a view that can be re-sorted offers its toolbar. */
export interface Redraw {
  reset(): void;
}

export const identity = (k: number) => Array.from({ length: k }, (_, i) => i);

export function nextSort(current: SortState | undefined, key: number): SortState {
  return current?.key === key ? { key, descending: !current.descending } : { key, descending: true };
}

export function orderBy(indices: readonly number[], valueOf: (i: number) => number | string, descending: boolean): number[] {
  return [...indices].sort((a, b) => {
    const x = valueOf(a);
    const y = valueOf(b);
    const cmp = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return (descending ? -cmp : cmp) || a - b;
  });
}
