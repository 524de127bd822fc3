#!/usr/bin/env python3
"""Developer check (not part of npm test: CI has no torch): do src/core's semantic search, paraphrase mining and
community detection return what sentence-transformers returns for the same float32 vectors?

    python3 -m venv /tmp/stvenv && /tmp/stvenv/bin/pip install torch==2.13.0+cpu sentence-transformers
    npx tsc -p .                                   # compiles src/core to out/src/core
    /tmp/stvenv/bin/python scripts/compare-st.py   # random cases, compares, prints a JSON report, exit 1 on mismatch

    /tmp/stvenv/bin/python scripts/compare-st.py --python-only CASES.json   # just the Python results, as JSON

A case file is {"cases": [{"name", "kind": "search"|"mining"|"community", "corpus": [[...]], "queries"?: [[...]],
"options": {...python keyword arguments...}}]}. Kind "npy" checks instead that numpy.load reads
src/core's .npy export of the corpus back bit for bit.

"Exact" means same ids, same order, scores within 1e-5 (torch and the TypeScript kernel sum float32 products in
different orders). "Equal up to ties" means the only differences are among scores equal within 1e-6: torch.topk
leaves the order (and, at the cut-off, the choice) of equal scores unspecified, src/core fixes it to ascending index.
"""
from __future__ import annotations

import argparse
import base64
import io
import json
import os
import subprocess
import sys

import numpy as np
import torch
from sentence_transformers import util

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
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
    topK: o.top_k, maxPairs: o.max_pairs, queryChunkSize: o.query_chunk_size, corpusChunkSize: o.corpus_chunk_size });
  if (c.kind === 'npy') return Buffer.from(core.vectorsToNpy(f32(c.corpus), c.corpus[0]?.length ?? 384)).toString('base64');
  return core.communityDetection(f32(c.corpus), { threshold: o.threshold, minCommunitySize: o.min_community_size, batchSize: o.batch_size });
});
process.stdout.write(JSON.stringify(out));
"""


def run_python(case: dict):
    if case["kind"] == "npy":
        return None
    corpus = torch.tensor(np.asarray(case["corpus"], dtype=np.float32))
    options = {k: v for k, v in case["options"].items() if v is not None}
    if case["kind"] == "search":
        queries = torch.tensor(np.asarray(case["queries"], dtype=np.float32))
        return util.semantic_search(queries, corpus, **options)
    if case["kind"] == "mining":
        return util.paraphrase_mining_embeddings(corpus, **options)
    return util.community_detection(corpus, show_progress_bar=False, **options)


def run_typescript(cases: list[dict]):
    module = os.path.join(ROOT, "out", "src", "core", "index.js")
    if not os.path.exists(module):
        sys.exit(f"{module} is missing: run `npx tsc -p .` first.")
    done = subprocess.run(["node", "-e", NODE_RUNNER, module], input=json.dumps({"cases": cases}),
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def tie_groups(scores: list[float]) -> list[int]:
    """Group number per position: consecutive scores within TIE share a group."""
    groups, g = [], 0
    for k, s in enumerate(scores):
        if k > 0 and abs(scores[k - 1] - s) > TIE:
            g += 1
        groups.append(g)
    return groups


def compare_ranked(py: list[tuple[float, object]], ts: list[tuple[float, object]]) -> str:
    """Ranked lists of (score, key). Returns 'exact', 'ties' or a description of the mismatch."""
    if len(py) != len(ts):
        return f"length {len(py)} vs {len(ts)}"
    for k, ((ps, _), (tsc, _)) in enumerate(zip(py, ts)):
        if abs(ps - tsc) > SCORE_TOLERANCE:
            return f"score at rank {k}: {ps} vs {tsc}"
    if all(pk == tk for (_, pk), (_, tk) in zip(py, ts)):
        return "exact"
    groups = tie_groups([s for s, _ in py])
    last = groups[-1] if groups else 0
    for g in set(groups):
        pk = sorted(str(k) for (s, k), gg in zip(py, groups) if gg == g)
        tk = sorted(str(k) for (s, k), gg in zip(ts, groups) if gg == g)
        # The last tie group may be cut off by top-k: torch and src/core may pick different tied members there.
        if pk != tk and g != last:
            return f"ids differ outside ties (group {g}: {pk[:5]} vs {tk[:5]})"
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
    for n in (0, 1, 5, 100):
        add(f"npy n={n} (numpy.load)", "npy", unit(rng.standard_normal((n, dim))) if n else np.zeros((0, dim)), {})
    return cases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--python-only", metavar="CASES.json", help="print the Python results for a case file")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    args = parser.parse_args()
    torch.set_num_threads(1)
    if args.python_only:
        with open(args.python_only, encoding="utf-8") as fh:
            cases = json.load(fh)["cases"]
        print(json.dumps([run_python(c) for c in cases]))
        return
    report, failed = [], False
    for seed in args.seeds:
        cases = make_cases(seed)
        ts_results = run_typescript(cases)
        for case, ts in zip(cases, ts_results):
            verdict = compare(case, run_python(case), ts)
            failed |= verdict not in ("exact", "ties")
            report.append({"seed": seed, "case": case["name"], "verdict": verdict})
    print(json.dumps(report, indent=1))
    counts = {v: sum(r["verdict"] == v for r in report) for v in ("exact", "ties")}
    print(f"{len(report)} cases: {counts['exact']} exact, {counts['ties']} equal up to ties, "
          f"{len(report) - counts['exact'] - counts['ties']} mismatched", file=sys.stderr)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
