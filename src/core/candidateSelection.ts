/**
 * Selection of the rows that can still reach the top k, from per-row lower and upper bounds on their scores: a row
 * is kept while its upper bound reaches the k-th best lower bound seen so far (the floor). Any row it drops is
 * strictly below k others, whatever their exact scores (int8Corpus.ts derives the bounds).
 */

/** Candidates (id, upper bound) and a min-heap of the k best lower bounds; `floor` is the k-th best so far. */
export class CandidateSelection {
  floor = -Infinity;
  private ids = new Int32Array(1024);
  private highs = new Float64Array(1024);
  private size = 0;
  private readonly lows: Float64Array;
  private filled = 0;

  constructor(private readonly k: number) {
    this.lows = new Float64Array(k);
  }

  /** Adds a row whose upper bound reaches the floor; returns the new floor. */
  add(id: number, high: number, low: number): number {
    if (this.size === this.ids.length) this.compactOrGrow();
    this.ids[this.size] = id;
    this.highs[this.size++] = high;
    const heap = this.lows;
    if (this.filled < this.k) {
      let c = this.filled++;
      heap[c] = low;
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (heap[p] <= heap[c]) break;
        const t = heap[p];
        heap[p] = heap[c];
        heap[c] = t;
        c = p;
      }
      if (this.filled === this.k) this.floor = heap[0];
    } else if (low > heap[0]) {
      heap[0] = low;
      siftDown(heap, this.k);
      this.floor = heap[0];
    }
    return this.floor;
  }

  /** Drops rows the floor has since passed; grows only if that frees too little. */
  private compactOrGrow(): void {
    this.compact();
    if (this.size > this.ids.length / 2) {
      const ids = new Int32Array(this.ids.length * 2);
      const highs = new Float64Array(this.highs.length * 2);
      ids.set(this.ids);
      highs.set(this.highs);
      this.ids = ids;
      this.highs = highs;
    }
  }

  private compact(): void {
    let kept = 0;
    for (let j = 0; j < this.size; j++) {
      if (this.highs[j] >= this.floor) {
        this.ids[kept] = this.ids[j];
        this.highs[kept++] = this.highs[j];
      }
    }
    this.size = kept;
  }

  /** Every row whose upper bound reaches the k-th best lower bound, ascending (rows were added in id order). */
  finish(): number[] {
    this.compact();
    const ids = Array.from(this.ids.subarray(0, this.size));
    // Parts scanned by other threads are added after the caller's, all in ascending order within themselves.
    for (let j = 1; j < ids.length; j++) {
      if (ids[j] < ids[j - 1]) return ids.sort((a, b) => a - b);
    }
    return ids;
  }
}

function siftDown(heap: Float64Array, size: number): void {
  let c = 0;
  for (;;) {
    const l = 2 * c + 1;
    if (l >= size) return;
    const r = l + 1;
    const m = r < size && heap[r] < heap[l] ? r : l;
    if (heap[m] >= heap[c]) return;
    const t = heap[m];
    heap[m] = heap[c];
    heap[c] = t;
    c = m;
  }
}
