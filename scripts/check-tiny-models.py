#!/usr/bin/env python3
"""Check that onnxruntime on each tiny model's onnx/model.onnx, plus pooling / Dense / Normalize done in numpy
the way sentence-transformers 6.2.0 does them, reproduces test/fixtures/tiny-models/fixtures.json.

    /tmp/stvenv/bin/python scripts/check-tiny-models.py [--dir test/fixtures/tiny-models]

Needs numpy, onnxruntime, tokenizers and safetensors; it does NOT import torch, transformers or
sentence-transformers: everything is read from the model folder the way a SentenceTransformer(folder) reads it,
so this file is also a reference for the TypeScript engine. For every model, prompt setting and text it asserts
  * the token ids (tokenizer.json through the `tokenizers` library, truncated like ST) equal the fixture's,
  * cosine(onnx pipeline, fixture) >= 0.99999 and |norm - fixture norm| <= 1e-4 * fixture norm,
once for the whole list as one right-padded batch and once per text (batch of one, no padding).
Exit status 0 when everything holds; prints the worst cosine per model.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import onnxruntime as ort
from safetensors.numpy import load_file
from tokenizers import Tokenizer

MIN_COSINE = 0.99999
MAX_NORM_REL = 1e-4

LEGACY_POOLING_KEYS = {  # ST < 6 wrote one boolean per mode (all-MiniLM-L6-v2 still does); order = ST's
    "pooling_mode_cls_token": "cls",
    "pooling_mode_max_tokens": "max",
    "pooling_mode_mean_tokens": "mean",
    "pooling_mode_mean_sqrt_len_tokens": "mean_sqrt_len_tokens",
    "pooling_mode_weightedmean_tokens": "weightedmean",
    "pooling_mode_lasttoken": "lasttoken",
}

ACTIVATIONS = {
    "torch.nn.modules.activation.Tanh": np.tanh,
    "torch.nn.modules.linear.Identity": lambda x: x,
    "torch.nn.modules.activation.ReLU": lambda x: np.maximum(x, 0),
    "torch.nn.modules.activation.Sigmoid": lambda x: 1 / (1 + np.exp(-x)),
}


def read_json(path: Path, default=None):
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else default


class Pipeline:
    """A SentenceTransformer folder, read without sentence-transformers."""

    def __init__(self, folder: Path):
        self.folder = folder
        modules = read_json(folder / "modules.json")
        kinds = [m["type"].rsplit(".", 1)[-1] for m in modules]
        assert kinds[0] == "Transformer" and modules[0]["path"] == "", modules
        self.modules = list(zip(kinds, [folder / m["path"] for m in modules]))

        st_config = read_json(folder / "config_sentence_transformers.json", {})
        self.prompts = st_config.get("prompts", {})
        self.default_prompt_name = st_config.get("default_prompt_name")
        self.similarity_fn_name = st_config.get("similarity_fn_name") or "cosine"

        # max_seq_length: sentence_bert_config.json (older saves) wins; ST 6 saves it only as the tokenizer's
        # model_max_length, which ST caps at config.json's max_position_embeddings.
        sbert = read_json(folder / "sentence_bert_config.json", {})
        tok_config = read_json(folder / "tokenizer_config.json", {})
        model_config = read_json(folder / "config.json", {})
        if sbert.get("max_seq_length") is not None:
            self.max_seq_length = int(sbert["max_seq_length"])
        else:
            self.max_seq_length = int(tok_config["model_max_length"])
            if model_config.get("max_position_embeddings", -1) != -1:
                self.max_seq_length = min(self.max_seq_length, model_config["max_position_embeddings"])
        self.do_lower_case = bool(sbert.get("do_lower_case", False))
        assert not self.do_lower_case, "do_lower_case in sentence_bert_config.json is not handled here"

        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=self.max_seq_length)  # HF: keeps the special tokens
        tok_json = read_json(folder / "tokenizer.json")
        self.special_ids = {t["id"] for t in tok_json["added_tokens"] if t["special"]}
        self.pad_id = self.tokenizer.token_to_id(tok_config["pad_token"])

        self.session = ort.InferenceSession(str(folder / "onnx" / "model.onnx"), providers=["CPUExecutionProvider"])
        self.input_names = [i.name for i in self.session.get_inputs()]

        self.steps = []
        for kind, path in self.modules[1:]:
            if kind == "Pooling":
                cfg = read_json(path / "config.json")
                if "pooling_mode" in cfg:
                    mode = cfg["pooling_mode"]
                    modes = [mode] if isinstance(mode, str) else list(mode)
                else:
                    modes = [m for k, m in LEGACY_POOLING_KEYS.items() if cfg.get(k)] or ["mean"]
                self.include_prompt = cfg.get("include_prompt", True)
                self.steps.append(("pooling", modes))
            elif kind == "Dense":
                cfg = read_json(path / "config.json")
                weights = load_file(str(path / "model.safetensors"))
                w = weights["linear.weight"]
                b = weights.get("linear.bias", np.zeros(w.shape[0], dtype=np.float32))
                act = ACTIVATIONS[cfg.get("activation_function", "torch.nn.modules.activation.Tanh")]
                assert not cfg.get("use_residual"), "use_residual Dense is not handled here"
                self.steps.append(("dense", (w, b, act)))
            elif kind == "Normalize":
                self.steps.append(("normalize", None))
            else:
                raise ValueError(f"unhandled module {kind}")

    # ---- ST's prompt handling ---------------------------------------------------------------------------
    def resolve_prompt(self, prompt=None, prompt_name=None):
        if prompt is None:
            if prompt_name is not None:
                return self.prompts[prompt_name]
            if self.default_prompt_name is not None:
                return self.prompts.get(self.default_prompt_name)
        return prompt

    def prompt_length(self, prompt):
        if not prompt:  # None or "": ST does not compute a prompt length
            return None
        ids = self.tokenizer.encode(prompt).ids
        return len(ids) - 1 if ids[-1] in self.special_ids else len(ids)

    def token_ids(self, texts, prompt):
        return [self.tokenizer.encode((prompt or "") + t).ids for t in texts]

    # ---- model + pooling ----------------------------------------------------------------------------------
    def run(self, ids_list, prompt_length):
        seq = max(len(ids) for ids in ids_list)
        input_ids = np.full((len(ids_list), seq), self.pad_id, dtype=np.int64)
        mask = np.zeros((len(ids_list), seq), dtype=np.int64)
        for i, ids in enumerate(ids_list):  # right padding, like ST's tokenizers here
            input_ids[i, : len(ids)] = ids
            mask[i, : len(ids)] = 1
        feeds = {"input_ids": input_ids, "attention_mask": mask, "token_type_ids": np.zeros_like(input_ids)}
        hidden = self.session.run(["last_hidden_state"], {k: feeds[k] for k in self.input_names})[0]
        x = None
        for kind, arg in self.steps:
            if kind == "pooling":
                x = pool(hidden, mask, arg, prompt_length if not self.include_prompt else None)
            elif kind == "dense":
                w, b, act = arg
                x = act(x @ w.T + b).astype(np.float32)
            else:
                x = x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
        return x


def pool(tok: np.ndarray, attention_mask: np.ndarray, modes: list[str], prompt_length: int | None) -> np.ndarray:
    """sentence_transformers Pooling._forward_padded, in numpy (float32 throughout, as in ST)."""
    original_mask = attention_mask
    mask = attention_mask.copy()
    if prompt_length:
        pad_lengths = mask.argmax(axis=1)  # index of the first 1 = number of LEFT pads
        if pad_lengths.sum() == 0:
            mask[:, :prompt_length] = 0
        else:
            positions = np.arange(mask.shape[1])[None, :]
            mask[positions < (pad_lengths + prompt_length)[:, None]] = 0
    bs, seq, dim = tok.shape
    out = []
    for mode in modes:
        if mode == "cls":
            first = mask.argmax(axis=1)  # first unmasked position (0 if the row is all masked)
            out.append(tok[np.arange(bs), first])
        elif mode == "max":
            out.append(np.where(mask[:, :, None] == 0, -np.inf, tok).max(axis=1).astype(np.float32))
        elif mode in ("mean", "mean_sqrt_len_tokens"):
            m = mask[:, :, None].astype(np.float32)
            s = (tok * m).sum(axis=1, dtype=np.float32)
            n = np.maximum(m.sum(axis=1, dtype=np.float32), np.float32(1e-9))
            out.append(s / (n if mode == "mean" else np.sqrt(n)))
        elif mode == "weightedmean":
            m = mask[:, :, None].astype(np.float32)
            weights = np.arange(1, seq + 1, dtype=np.float32)[None, :, None]
            weights = weights - original_mask.argmax(axis=1).astype(np.float32)[:, None, None]  # left pads
            wm = m * weights
            out.append((tok * wm).sum(axis=1) / np.maximum(wm.sum(axis=1), np.float32(1e-9)))
        elif mode == "lasttoken":
            flipped = mask[:, ::-1]
            values, idx = flipped.max(axis=1), flipped.argmax(axis=1)
            idx = np.where(values == 0, seq - 1, idx)
            last = seq - idx - 1
            out.append((tok * mask[:, :, None])[np.arange(bs), last])
        else:
            raise ValueError(mode)
    return np.concatenate(out, axis=-1).astype(np.float32)


def similarity(a: np.ndarray, b: np.ndarray, fn: str) -> np.ndarray:
    """sentence_transformers.util cos_sim / dot_score / euclidean_sim / manhattan_sim."""
    if fn == "cosine":
        na = a / np.maximum(np.linalg.norm(a, axis=1, keepdims=True), 1e-12)
        nb = b / np.maximum(np.linalg.norm(b, axis=1, keepdims=True), 1e-12)
        return na @ nb.T
    if fn == "dot":
        return a @ b.T
    if fn == "euclidean":
        return -np.sqrt(((a[:, None, :] - b[None, :, :]) ** 2).sum(-1))
    if fn == "manhattan":
        return -np.abs(a[:, None, :] - b[None, :, :]).sum(-1)
    raise ValueError(fn)


def compare(got: np.ndarray, want: np.ndarray):
    got = got.astype(np.float64)
    want = want.astype(np.float64)
    ng, nw = np.linalg.norm(got), np.linalg.norm(want)
    cos = float(got @ want / (ng * nw)) if ng > 0 and nw > 0 else (1.0 if ng == nw == 0 else 0.0)
    rel = abs(ng - nw) / nw if nw > 0 else abs(ng)
    return cos, rel


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", default=str(Path(__file__).resolve().parent.parent / "test/fixtures/tiny-models"))
    args = parser.parse_args()
    root = Path(args.dir)
    fixtures = read_json(root / "fixtures.json")
    failures = []
    print(f"onnxruntime {ort.__version__}; fixtures from sentence-transformers "
          f"{fixtures['versions']['sentence_transformers']}")
    for name, fx in fixtures["models"].items():
        p = Pipeline(root / fx["folder"])
        # Metadata the engine will read from the folder must match what ST reported.
        meta = {
            "max_seq_length": p.max_seq_length,
            "similarity_fn_name": p.similarity_fn_name,
            "include_prompt": p.include_prompt,
            "normalize": any(k == "normalize" for k, _ in p.steps),
            "onnx_inputs": p.input_names,
        }
        for key, value in meta.items():
            if fx[key] != value:
                failures.append(f"{name}: {key} read as {value!r}, ST says {fx[key]!r}")
        worst_cos, worst_rel, worst_where = 1.0, 0.0, ""
        for setting in fx["settings"]:
            kw = setting["encode_kwargs"]
            prompt = p.resolve_prompt(kw.get("prompt"), kw.get("prompt_name"))
            if prompt != setting["resolved_prompt"]:
                failures.append(f"{name}/{setting['name']}: prompt {prompt!r} != {setting['resolved_prompt']!r}")
            plen = p.prompt_length(prompt)
            if plen != setting["prompt_length"]:
                failures.append(f"{name}/{setting['name']}: prompt_length {plen} != {setting['prompt_length']}")
            ids = p.token_ids(fx["texts"], prompt)
            for i, (a, b) in enumerate(zip(ids, setting["token_ids"])):
                if a != b:
                    failures.append(f"{name}/{setting['name']}: text {i} ids {a} != ST {b}")
            want = np.asarray(setting["embeddings"], dtype=np.float32)
            batched = p.run(ids, plen)
            single = np.concatenate([p.run([one], plen) for one in ids])
            for label, got in (("batch", batched), ("single", single)):
                for i in range(len(ids)):
                    cos, rel = compare(got[i], want[i])
                    where = f"{setting['name']} text {i} ({label})"
                    if cos < worst_cos:
                        worst_cos, worst_where = cos, where
                    worst_rel = max(worst_rel, rel)
                    if cos < MIN_COSINE or rel > MAX_NORM_REL:
                        failures.append(f"{name}/{where}: cosine {cos:.8f}, norm rel diff {rel:.2e}")
        # model.similarity() on the "none" embeddings, with the folder's similarity_fn_name.
        emb = np.asarray(fx["settings"][0]["embeddings"], dtype=np.float32)
        sim = similarity(emb, emb, p.similarity_fn_name)
        sim_err = float(np.abs(sim - np.asarray(fx["similarity_none"], dtype=np.float32)).max())
        if sim_err > 1e-5 * max(1.0, float(np.abs(sim).max())):
            failures.append(f"{name}: similarity ({p.similarity_fn_name}) differs by {sim_err:.2e}")
        print(f"{name:22s} worst cosine {worst_cos:.9f} (1 - cos = {1 - worst_cos:.1e}, at {worst_where}); "
              f"worst norm rel diff {worst_rel:.1e}; {len(fx['settings'])} settings x {len(fx['texts'])} texts")
    for f in failures:
        print("FAIL", f)
    print(f"{len(fixtures['models']) - len({f.split('/')[0].split(':')[0] for f in failures})} passed, "
          f"{len({f.split('/')[0].split(':')[0] for f in failures})} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
