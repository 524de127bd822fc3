#!/usr/bin/env python3
"""PyTorch baseline for `npm run bench`: SentenceTransformer.encode over the bench corpus, sentences per second.

Prints one JSON object on the last line of stdout. Everything else (progress, warnings) goes to stderr.

The shared model folder holds only the ONNX export (no model.safetensors), so when the folder has no PyTorch
weights this script rebuilds them from onnx/model.onnx: the export keeps every BERT parameter, the linear
weights transposed as MatMul initializers. The rebuilt copy lives in a temporary folder (never in the repository)
and is checked against the PyTorch reference embeddings before it is timed, so the figure is for the real model.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")
COPIED_FILES = (
    "config.json",
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "vocab.txt",
    "modules.json",
    "sentence_bert_config.json",
    "1_Pooling/config.json",
)
MATMUL_NODE = re.compile(r"^/m/(encoder/layer\.\d+/.+)/MatMul$")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def has_torch_weights(model_dir: Path) -> bool:
    return any((model_dir / name).exists() for name in WEIGHT_FILES)


def rebuild_from_onnx(model_dir: Path, cache_root: Path) -> Path:
    """Writes config + tokenizer + model.safetensors rebuilt from the ONNX export; reuses an earlier rebuild."""
    onnx_path = model_dir / "onnx" / "model.onnx"
    digest = hashlib.sha256(onnx_path.read_bytes()).hexdigest()[:16]
    target = cache_root / f"all-MiniLM-L6-v2-{digest}"
    if (target / "model.safetensors").exists():
        return target

    import numpy as np
    import onnx
    from onnx import numpy_helper
    from safetensors.numpy import save_file

    log(f"rebuilding PyTorch weights from {onnx_path} into {target}")
    graph = onnx.load(str(onnx_path)).graph
    initializers = {init.name: numpy_helper.to_array(init) for init in graph.initializer}
    tensors: dict[str, np.ndarray] = {}
    for name, value in initializers.items():
        if name.startswith("m."):
            tensors[name[2:]] = value
    # Linear layers were exported as MatMul(x, W^T) with anonymous initializers; the node name gives the module path.
    for node in graph.node:
        match = MATMUL_NODE.match(node.name) if node.op_type == "MatMul" else None
        if not match:
            continue
        weight = next((initializers[i] for i in node.input if i in initializers), None)
        if weight is None:
            continue
        module = match.group(1).replace("/", ".")
        tensors[f"{module}.weight"] = np.ascontiguousarray(weight.T)
    expected_linears = 6 * 6
    found = sum(1 for k in tensors if k.endswith("dense.weight") or re.search(r"(query|key|value)\.weight$", k))
    if found != expected_linears:
        raise SystemExit(f"could not map the ONNX MatMul weights to BERT layers (found {found}, expected {expected_linears})")

    staging = Path(tempfile.mkdtemp(prefix="rebuild-", dir=cache_root))
    for name in COPIED_FILES:
        source = model_dir / name
        if source.exists():
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, staging / name)
    save_file({k: np.ascontiguousarray(v.astype(np.float32)) for k, v in tensors.items()}, str(staging / "model.safetensors"))
    if target.exists():
        shutil.rmtree(target)
    staging.rename(target)
    return target


def parity(model, reference_path: Path | None) -> float | None:
    """Minimum cosine between this model's embeddings and the PyTorch reference fixture (None without a fixture)."""
    if reference_path is None or not reference_path.exists():
        return None
    import numpy as np

    reference = json.loads(reference_path.read_text(encoding="utf-8"))
    ours = model.encode(reference["texts"], batch_size=32, normalize_embeddings=True, convert_to_numpy=True)
    theirs = np.asarray(reference["embeddings"], dtype=np.float32)
    theirs /= np.maximum(np.linalg.norm(theirs, axis=1, keepdims=True), 1e-12)
    return float(np.min(np.sum(ours * theirs, axis=1)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model-dir", required=True, type=Path)
    parser.add_argument("--corpus", required=True, type=Path)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--limit", type=int, default=0, help="time only the first N texts (0: all)")
    parser.add_argument("--reference", type=Path, help="reference-embeddings.json to check the model against")
    parser.add_argument("--cache-dir", type=Path, default=Path(tempfile.gettempdir()) / "minilm-bench-pytorch")
    args = parser.parse_args()

    texts = [line for line in args.corpus.read_text(encoding="utf-8").splitlines() if line]
    if args.limit > 0:
        texts = texts[: args.limit]

    started = time.perf_counter()
    import torch
    from sentence_transformers import SentenceTransformer

    import_s = time.perf_counter() - started
    model_dir = args.model_dir.resolve()
    rebuilt = False
    if not has_torch_weights(model_dir):
        args.cache_dir.mkdir(parents=True, exist_ok=True)
        model_dir = rebuild_from_onnx(model_dir, args.cache_dir)
        rebuilt = True
    load_started = time.perf_counter()
    model = SentenceTransformer(str(model_dir), device="cpu")
    load_s = time.perf_counter() - load_started
    min_cosine = parity(model, args.reference)
    if min_cosine is not None and min_cosine < 0.9999:
        raise SystemExit(f"the PyTorch model does not reproduce the reference embeddings (min cosine {min_cosine:.6f})")

    model.encode(texts[: args.batch_size * 2], batch_size=args.batch_size)  # warm-up
    times = []
    for run in range(args.runs):
        t0 = time.perf_counter()
        model.encode(texts, batch_size=args.batch_size, normalize_embeddings=True, convert_to_numpy=True)
        times.append(time.perf_counter() - t0)
        log(f"pytorch run {run + 1}/{args.runs}: {len(texts) / times[-1]:.1f} sentences/s")
    median = statistics.median(times)
    result = {
        "sentences": len(texts),
        "batch_size": args.batch_size,
        "runs_s": times,
        "sentences_per_s": len(texts) / median,
        "torch": torch.__version__,
        "torch_threads": torch.get_num_threads(),
        "import_s": import_s,
        "load_s": load_s,
        "weights_rebuilt_from_onnx": rebuilt,
        "model_dir": str(model_dir),
        "min_cosine_vs_reference": min_cosine,
        "python": sys.version.split()[0],
        "pid_max_rss_kb": _max_rss_kb(),
    }
    print(json.dumps(result))


def _max_rss_kb() -> int | None:
    try:
        import resource

        return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    except Exception:  # pragma: no cover - not on every platform
        return None


if __name__ == "__main__":
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    main()
