#!/usr/bin/env python3
"""Developer check (not part of npm test: CI has no torch): do src/core's semantic search, paraphrase mining and
community detection return what sentence-transformers 6.2.0 returns for the same float32 vectors?

    python3 -m venv /tmp/stvenv && /tmp/stvenv/bin/pip install torch==2.13.0 sentence-transformers==6.2.0
    npx tsc -b                                     # compiles src/core to out/src/core
    /tmp/stvenv/bin/python scripts/compare-st.py   # random cases, compares, prints a JSON report, exit 1 on mismatch

    /tmp/stvenv/bin/python scripts/compare-st.py --python-only CASES.json   # just the Python results, as JSON

Any other sentence-transformers version is refused (src/core follows 6.2.0's paraphrase_mining_embeddings and
community_detection, which differ from 6.0.1's); --any-version runs anyway. torch's build (CPU or CUDA wheel) does
not matter: every tensor here stays on the CPU.

A case file is {"cases": [{"name", "kind": "search"|"mining"|"community", "corpus": [[...]], "queries"?: [[...]],
"options": {...python keyword arguments...}}]}. Kind "npy" checks instead that numpy.load reads
src/core's .npy export of the corpus back bit for bit.

"Exact" means same ids, same order, scores within 1e-5 (relative above 1, for dot scores): torch and the
TypeScript kernel sum float32 products in different orders. "Equal up to ties" means the only differences come
from equal scores: torch.topk leaves the order (and, at a cut-off, the choice) of equal scores unspecified, src/core
fixes it to ascending index, and paraphrase_mining_embeddings lists equal-score pairs in its heap's internal order,
src/core by ascending (i, j). So a case that is not exact runs again through the same sentence-transformers
functions with torch.topk replaced by a stable sort (equal scores: lower index first, src/core's rule); it is
"equal up to ties" if src/core then agrees, apart from the order of scores equal within 1e-6 (and, where top-k or
max_pairs cuts a ranked list, which of the lowest tied ids made it in). Anything else is a mismatch.
"""
from __future__ import annotations

import argparse
import base64
import contextlib
import io
import json
import os
import subprocess
import sys

import numpy as np
import sentence_transformers
import torch
from sentence_transformers import util

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SENTENCE_TRANSFORMERS_VERSION = "6.2.0"
SCORE_TOLERANCE = 1e-5
TIE = 1e-6

NODE_RUNNER = r"""
const core = require(process.argv[1]);
const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const f32 = (rows) => rows.map((r) => Float32Array.from(r));
const out = input.cases.map((c) => {
  const o = c.options;
  if (c.kind === 'search') return core.semanticSearch(f32(c.queries), f32(c.corpus), {
    topK: o.top_k, queryChunkSize: o.query_chunk_size, corpusChunkSize: o.corpus_chunk_size });
  if (c.kind === 'mining') return core.paraphraseMining(f32(c.corpus), {
    topK: o.top_k, maxPairs: o.max_pairs, queryChunkSize: o.query_chunk_size, corpusChunkSize: o.corpus_chunk_size,
    scoreFunction: o.score_function === 'dot' ? 'dot' : undefined });
  if (c.kind === 'npy') return Buffer.from(core.vectorsToNpy(f32(c.corpus), c.corpus[0]?.length ?? 384)).toString('base64');
  return core.communityDetection(f32(c.corpus), { threshold: o.threshold, minCommunitySize: o.min_community_size, batchSize: o.batch_size });
});
process.stdout.write(JSON.stringify(out));
"""


@contextlib.contextmanager
def stable_topk():
    """torch.topk and Tensor.topk as a stable sort: equal scores keep ascending index (src/core's documented rule)."""
    original_function, original_method = torch.topk, torch.Tensor.topk

    def topk(input, k, dim=-1, largest=True, sorted=True, *, out=None):
        values, indices = torch.sort(input, dim=dim, descending=largest, stable=True)
        return torch.return_types.topk((values.narrow(dim, 0, k), indices.narrow(dim, 0, k)))

    torch.topk, torch.Tensor.topk = topk, topk
    try:
        yield
    finally:
        torch.topk, torch.Tensor.topk = original_function, original_method


def run_python(case: dict, stable: bool = False):
    if case["kind"] == "npy":
        return None
    with stable_topk() if stable else contextlib.nullcontext():
        corpus = torch.tensor(np.asarray(case["corpus"], dtype=np.float32))
        options = {k: v for k, v in case["options"].items() if v is not None}
        if case["kind"] == "search":
            queries = torch.tensor(np.asarray(case["queries"], dtype=np.float32))
            return util.semantic_search(queries, corpus, **options)
        if case["kind"] == "mining":
            if options.pop("score_function", None) == "dot":
                options["score_function"] = util.dot_score
            return util.paraphrase_mining_embeddings(corpus, **options)
        return util.community_detection(corpus, show_progress_bar=False, **options)


def run_typescript(cases: list[dict]):
    module = os.path.join(ROOT, "out", "src", "core", "index.js")
    if not os.path.exists(module):
        sys.exit(f"{module} is missing: run `npx tsc -b` first.")
    done = subprocess.run(["node", "-e", NODE_RUNNER, module], input=json.dumps({"cases": cases}),
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def tie_groups(scores: list[float]) -> list[int]:
    """Group number per position: consecutive scores within TIE (relative beyond 1) share a group."""
    groups, g = [], 0
    for k, s in enumerate(scores):
        if k > 0 and abs(scores[k - 1] - s) > TIE * max(1.0, abs(s)):
            g += 1
        groups.append(g)
    return groups


def compare_ranked(py: list[tuple[float, object]], ts: list[tuple[float, object]]) -> str:
    """Ranked lists of (score, key). Returns 'exact', 'ties' or a description of the mismatch."""
    if len(py) != len(ts):
        return f"length {len(py)} vs {len(ts)}"
    for k, ((ps, _), (tsc, _)) in enumerate(zip(py, ts)):
        if abs(ps - tsc) > SCORE_TOLERANCE * max(1.0, abs(ps)):
            return f"score at rank {k}: {ps} vs {tsc}"
    if all(pk == tk for (_, pk), (_, tk) in zip(py, ts)):
        return "exact"
    groups = tie_groups([s for s, _ in py])
    last = groups[-1] if groups else 0
    by_group: dict[int, tuple[list[str], list[str]]] = {}
    for (_, pk), (_, tk), g in zip(py, ts, groups):
        entry = by_group.setdefault(g, ([], []))
        entry[0].append(str(pk))
        entry[1].append(str(tk))
    for g, (pk, tk) in by_group.items():
        # The last tie group may be cut off by top-k: torch and src/core may pick different tied members there.
        if sorted(pk) != sorted(tk) and g != last:
            return f"ids differ outside ties (group {g}: {sorted(pk)[:5]} vs {sorted(tk)[:5]})"
    return "ties"


def compare(case: dict, py, ts) -> str:
    if case["kind"] == "npy":
        loaded = np.load(io.BytesIO(base64.b64decode(ts)), allow_pickle=False)
        expected = np.asarray(case["corpus"], dtype=np.float32) if case["corpus"] else np.zeros((0, 384), np.float32)
        ok = loaded.dtype == np.dtype("<f4") and loaded.shape == expected.shape and np.array_equal(loaded, expected)
        return "exact" if ok else f"numpy.load gave {loaded.dtype} {loaded.shape}"
    if case["kind"] == "search":
        verdicts = [compare_ranked([(h["score"], h["corpus_id"]) for h in p], [(h["score"], h["corpus_id"]) for h in t])
                    for p, t in zip(py, ts)]
        bad = [v for v in verdicts if v not in ("exact", "ties")]
        return bad[0] if bad else ("exact" if all(v == "exact" for v in verdicts) else "ties")
    if case["kind"] == "mining":
        if any(not (i < j) for _, i, j in ts):
            return "a TypeScript pair has i >= j"
        return compare_ranked([(s, (i, j)) for s, i, j in py], [(s, (i, j)) for s, i, j in ts])
    if py == ts:
        return "exact"
    if len(py) != len(ts):
        return f"{len(py)} vs {len(ts)} communities"
    if sorted(map(sorted, py)) == sorted(map(sorted, ts)) and [len(c) for c in py] == [len(c) for c in ts]:
        return "ties"
    return "communities differ"


def unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def clustered(rng: np.random.Generator, n: int, dim: int, centres: int, noise: float) -> np.ndarray:
    c = rng.standard_normal((centres, dim))
    labels = rng.integers(0, centres, n)
    return unit(c[labels] + noise * rng.standard_normal((n, dim)))


def clear_threshold(rows: np.ndarray, threshold: float) -> float:
    """The threshold, moved up in steps of 1e-4 until no exact cosine of the rows is within 1e-5 of it. Integer
    vectors attain cosines such as 0.5 and 0.8 exactly; the float32 score of such a pair then lands on either side
    of the threshold depending on rounding (torch's own matrix is not even symmetric there), which no port can
    match."""
    unit64 = rows.astype(np.float64) / np.linalg.norm(rows.astype(np.float64), axis=1, keepdims=True)
    cosines = unit64 @ unit64.T
    while np.any(np.abs(cosines - threshold) < 1e-5):
        threshold = round(threshold + 1e-4, 6)
    return threshold


def make_cases(seed: int) -> list[dict]:
    rng = np.random.default_rng(seed)
    cases = []
    add = lambda name, kind, corpus, options, queries=None: cases.append(
        {"name": name, "kind": kind, "corpus": corpus.tolist(), "queries": None if queries is None else queries.tolist(),
         "options": options})
    dim = 384
    corpus = unit(rng.standard_normal((500, dim)))
    queries = unit(rng.standard_normal((30, dim)))
    add("search top10", "search", corpus, {"top_k": 10}, queries)
    add("search top10 chunked", "search", corpus, {"top_k": 10, "query_chunk_size": 7, "corpus_chunk_size": 37}, queries)
    add("search top_k > corpus", "search", corpus[:40], {"top_k": 100}, queries)
    raw = rng.standard_normal((300, 64)).astype(np.float32) * 3  # not unit length
    add("search non-normalised", "search", raw, {"top_k": 5}, raw[:10] * 0.5)
    dup = np.concatenate([corpus[:50], corpus[:50], corpus[:20]])
    add("search duplicates", "search", dup, {"top_k": 10}, corpus[:5])

    mined = clustered(rng, 400, dim, 20, 1.0)
    add("mining defaults", "mining", mined, {})
    add("mining top5 max_pairs 50 chunked", "mining", mined,
        {"top_k": 5, "max_pairs": 50, "query_chunk_size": 17, "corpus_chunk_size": 50})
    add("mining max_pairs 1000", "mining", mined, {"top_k": 20, "max_pairs": 1000})
    add("mining random", "mining", unit(rng.standard_normal((200, dim))), {"top_k": 3})
    add("mining duplicates", "mining", np.concatenate([mined[:30], mined[:30]]), {"top_k": 4, "max_pairs": 100})

    groups = clustered(rng, 600, dim, 12, 0.8)
    for threshold, size in [(0.75, 10), (0.5, 10), (0.6, 3), (0.0, 10), (0.5, 1), (0.9, 1)]:
        add(f"community t={threshold} min={size}", "community", groups, {"threshold": threshold, "min_community_size": size})
    add("community batch 64", "community", groups, {"threshold": 0.55, "min_community_size": 5, "batch_size": 64})
    same = np.repeat(unit(rng.standard_normal((1, dim))), 25, axis=0)
    add("community identical", "community", same, {"threshold": 0.75, "min_community_size": 10})
    add("community identical t=0 min=1", "community", same, {"threshold": 0.0, "min_community_size": 1})
    add("community duplicates", "community", np.concatenate([groups[:100], groups[:60]]),
        {"threshold": 0.5, "min_community_size": 4})

    # 6.2.0 specifics: max_pairs counts distinct pairs, ties at eviction (heapq tuple order), top_k after dropping
    # self, min_score from -inf, and candidate communities whose centre another community claimed.
    small = clustered(rng, 150, 64, 10, 0.7)
    for max_pairs in (1, 2, 3, 7, 25, 200):
        top_k = int(rng.choice([1, 3, 10]))
        add(f"mining max_pairs {max_pairs} top_k {top_k}", "mining", small, {"top_k": top_k, "max_pairs": max_pairs})
    copies = np.concatenate([small[:12]] * 4)[rng.permutation(48)]  # every vector four times, shuffled
    for top_k, max_pairs in [(1, 5), (2, 20), (3, 1000), (5, 40)]:
        add(f"mining 4 copies top_k {top_k} max_pairs {max_pairs}", "mining", copies,
            {"top_k": top_k, "max_pairs": max_pairs})
    add("mining 4 copies chunked", "mining", copies,
        {"top_k": 3, "max_pairs": 30, "query_chunk_size": 5, "corpus_chunk_size": 7})
    ints = rng.integers(-2, 3, (40, 8)).astype(np.float32)  # many exactly equal cosines
    ints[ints.sum(axis=1) == 0, 0] = 1
    for top_k, max_pairs in [(2, 10), (4, 30), (39, 1000)]:
        add(f"mining integer vectors top_k {top_k} max_pairs {max_pairs}", "mining", ints,
            {"top_k": top_k, "max_pairs": max_pairs})
    half = unit(rng.standard_normal((10, 16)))
    add("mining antipodal (scores of -1)", "mining", np.concatenate([half, -half]), {"top_k": 19})
    raw_small = rng.standard_normal((30, 16)).astype(np.float32) * 2
    add("mining dot score", "mining", raw_small, {"top_k": 29, "max_pairs": 60, "score_function": "dot"})
    add("mining top_k 0", "mining", small[:20], {"top_k": 0})
    add("mining n=1", "mining", small[:1], {})
    add("mining n=2 max_pairs 1", "mining", small[:2], {"max_pairs": 1})
    add("mining top_k >= n chunked", "mining", small[:25], {"top_k": 40, "max_pairs": 100, "corpus_chunk_size": 6})

    centres = rng.standard_normal((4, 64))
    centres = np.concatenate([centres, centres + 0.6 * rng.standard_normal((4, 64))])  # pairs of nearby centres
    overlapping = unit(centres[rng.integers(0, 8, 300)] + 0.9 * rng.standard_normal((300, 64)))
    for threshold, size in [(0.3, 5), (0.4, 3), (0.45, 10), (0.5, 2), (0.55, 8), (0.6, 2), (0.7, 2), (0.35, 20)]:
        add(f"community overlapping t={threshold} min={size}", "community", overlapping,
            {"threshold": threshold, "min_community_size": size})
    add("community overlapping batch 7", "community", overlapping,
        {"threshold": 0.5, "min_community_size": 4, "batch_size": 7})
    add("community copies t=0.6 min=3", "community", np.concatenate([overlapping[:40]] * 3)[rng.permutation(120)],
        {"threshold": 0.6, "min_community_size": 3})
    for threshold, size in [(0.5, 2), (0.7, 3), (0.8, 2)]:
        add(f"community integer vectors t~{threshold} min={size}", "community", ints,
            {"threshold": clear_threshold(ints, threshold), "min_community_size": size})
    add("community fewer than min size", "community", overlapping[:9], {"threshold": 0.0, "min_community_size": 10})
    add("community n = min size", "community", overlapping[:10], {"threshold": 0.0, "min_community_size": 10})
    for n in (0, 1, 5, 100):
        add(f"npy n={n} (numpy.load)", "npy", unit(rng.standard_normal((n, dim))) if n else np.zeros((0, dim)), {})
    return cases


def verdict(case: dict, ts) -> tuple[str, str]:
    """('exact' | 'ties' | 'mismatch', detail)."""
    first = compare(case, run_python(case), ts)
    if first == "exact":
        return "exact", ""
    second = compare(case, run_python(case, stable=True), ts)
    if second in ("exact", "ties"):
        return "ties", "" if first == "ties" else f"with torch.topk: {first}"
    return "mismatch", f"{first}; with a stable topk: {second}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--python-only", metavar="CASES.json", help="print the Python results for a case file")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--any-version", action="store_true",
                        help=f"run with a sentence-transformers other than {SENTENCE_TRANSFORMERS_VERSION}")
    args = parser.parse_args()
    if sentence_transformers.__version__ != SENTENCE_TRANSFORMERS_VERSION and not args.any_version:
        sys.exit(f"sentence-transformers {sentence_transformers.__version__} is installed; src/core follows "
                 f"{SENTENCE_TRANSFORMERS_VERSION}: pip install sentence-transformers=={SENTENCE_TRANSFORMERS_VERSION} "
                 "(or pass --any-version).")
    print(f"sentence-transformers {sentence_transformers.__version__}, torch {torch.__version__}", file=sys.stderr)
    torch.set_num_threads(1)
    if args.python_only:
        with open(args.python_only, encoding="utf-8") as fh:
            cases = json.load(fh)["cases"]
        print(json.dumps([run_python(c) for c in cases]))
        return
    report = []
    for seed in args.seeds:
        cases = make_cases(seed)
        ts_results = run_typescript(cases)
        for case, ts in zip(cases, ts_results):
            result, detail = verdict(case, ts)
            report.append({"seed": seed, "case": case["name"], "verdict": result, **({"detail": detail} if detail else {})})
    print(json.dumps(report, indent=1))
    counts = {v: sum(r["verdict"] == v for r in report) for v in ("exact", "ties", "mismatch")}
    print(f"{len(report)} cases: {counts['exact']} exact, {counts['ties']} equal up to ties, "
          f"{counts['mismatch']} mismatched", file=sys.stderr)
    for kind in ("search", "mining", "community", "npy"):
        rows = [r for r in report if r["case"].startswith(kind)]
        print(f"  {kind}: {len(rows)} cases, " + ", ".join(f"{sum(r['verdict'] == v for r in rows)} {v}"
                                                        for v in ("exact", "ties", "mismatch")), file=sys.stderr)
    sys.exit(1 if counts["mismatch"] else 0)


if __name__ == "__main__":
    main()
