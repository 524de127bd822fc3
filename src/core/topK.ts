/**
 * Indices of the `k` largest of `scores[0 .. n)`, best first. Equal scores rank the lower index first (a fixed,
 * documented rule where `torch.topk` leaves the order unspecified). A bounded min-heap: O(n log k), no allocation
 * per element.
 */
export function topKIndices(scores: Float32Array, k: number, n: number = scores.length): Int32Array {
  const size = Math.max(0, Math.min(k, n));
  const heap = new Int32Array(size);
  if (size === 0) return heap;
  // worse(a, b): a ranks below b.
  const worse = (a: number, b: number): boolean => scores[a] < scores[b] || (scores[a] === scores[b] && a > b);
  let filled = 0;
  // The heap's worst score, kept in a local: most of a large corpus falls below it, and one comparison with a
  // local is all those rows cost (the full `worse` test was 3% of a 1M-row scan, measured).
  let floor = -Infinity;
  for (let i = 0; i < n; i++) {
    if (filled < size) {
      let c = filled++;
      heap[c] = i;
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (!worse(heap[c], heap[p])) break;
        const t = heap[p];
        heap[p] = heap[c];
        heap[c] = t;
        c = p;
      }
      if (filled === size) floor = scores[heap[0]];
    } else if (scores[i] >= floor && worse(heap[0], i)) {
      heap[0] = i;
      siftDown(heap, size, worse);
      floor = scores[heap[0]];
    }
  }
  // Pop worst-first into the back of the result, so it ends up best first.
  const result = new Int32Array(size);
  for (let end = size; end > 0; end--) {
    result[end - 1] = heap[0];
    heap[0] = heap[end - 1];
    siftDown(heap, end - 1, worse);
  }
  return result;
}

function siftDown(heap: Int32Array, size: number, worse: (a: number, b: number) => boolean): void {
  let c = 0;
  for (;;) {
    const l = 2 * c + 1;
    if (l >= size) return;
    const r = l + 1;
    const m = r < size && worse(heap[r], heap[l]) ? r : l;
    if (!worse(heap[m], heap[c])) return;
    const t = heap[m];
    heap[m] = heap[c];
    heap[c] = t;
    c = m;
  }
}
