#!/usr/bin/env python3
"""Configuration variants of the tiny models: what sentence-transformers 6.2.0 does with folders nobody ships.

Each variant is a recipe applied to a copy of one of the committed tiny models (test/fixtures/tiny-models/): JSON
files written, merged or deleted, and small binary files (a Dense layer's safetensors) given inline. No ONNX file is
added: every variant reuses its base model's graph. The script builds each variant in a temporary folder, loads it
with `SentenceTransformer(folder)` and records `encode()` for the texts below in
test/fixtures/tiny-models/variants.json, together with the recipe, so that the tests can rebuild the folder the same
way and compare (test/model/engine/tinyVariants.test.ts). A configuration ST refuses to load or encode is recorded
with ST's error instead of vectors.

    HF_HUB_OFFLINE=1 /tmp/stvenv/bin/python scripts/make-tiny-variants.py [--keep /tmp/variants]
"""
from __future__ import annotations

import os

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["TOKENIZERS_PARALLELISM"] = "false"
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse
import base64
import copy
import io
import json
import logging
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np
import torch

torch.set_num_threads(1)

import sentence_transformers  # noqa: E402
import transformers  # noqa: E402
from safetensors.torch import save as safetensors_save  # noqa: E402
from sentence_transformers import SentenceTransformer  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "test" / "fixtures" / "tiny-models"

# The base fixtures' texts plus what the variants need: upper case for the cased tokenizer, a NUL, and a text
# long enough to be truncated from either side.
EXTRA_TEXTS = [
    "HELLO World, The Quick Brown FOX",
    "nul\u0000inside",
    "ΟΔΟΣ and ΣΟΦΟΣ",  # final sigma: a Lowercase normaliser maps per character (σ), String.toLowerCase() gives ς
    " ".join(f"word{i % 10} the fox" for i in range(40)) + " END OF THE TEXT",
    "Fill the [MASK] here [SEP] and [cls] there <s> </s>",  # special tokens written in the text
    # Scripts and characters where tokenizer implementations tend to differ (all unknown to the tiny vocabularies:
    # what counts is how they split into words and pieces).
    "한국어 문장입니다 مرحبا بالعالم สวัสดีครับ नमस्ते दुनिया",
    "Cafe\u0301 NFD, ﬁne ligature, Ⅻ, x², ｆｕｌｌｗｉｄｔｈ ＡＢＣ １２３",
    "zero\u200dwidth\u200cjoin soft\u00adhyphen line\u2028sep para\u2029sep crlf\r\nend",
]
BASE_TEXTS: list[str] = json.loads((TINY / "fixtures.json").read_text(encoding="utf-8"))["texts"]
TEXTS = BASE_TEXTS + EXTRA_TEXTS

OLD_TYPES = {
    "Transformer": "sentence_transformers.models.Transformer",
    "Pooling": "sentence_transformers.models.Pooling",
    "Dense": "sentence_transformers.models.Dense",
    "Normalize": "sentence_transformers.models.Normalize",
}
NEW_TYPES = {
    "Transformer": "sentence_transformers.base.modules.transformer.Transformer",
    "Pooling": "sentence_transformers.sentence_transformer.modules.pooling.Pooling",
    "Dense": "sentence_transformers.base.modules.dense.Dense",
    "Normalize": "sentence_transformers.base.modules.normalize.Normalize",
}


def modules(*entries: tuple[str, str], old: bool = False) -> list[dict]:
    types = OLD_TYPES if old else NEW_TYPES
    return [{"idx": i, "name": str(i), "path": p, "type": types[kind]} for i, (kind, p) in enumerate(entries)]


def dense_config(inf: int, outf: int, activation: str, bias: bool = True) -> dict:
    return {"in_features": inf, "out_features": outf, "bias": bias, "activation_function": activation}


def dense_weights(seed: int, inf: int, outf: int, bias: bool, residual: bool = False) -> str:
    generator = torch.Generator().manual_seed(seed)
    tensors = {"linear.weight": (torch.rand(outf, inf, generator=generator) - 0.5) * 0.6}
    if bias:
        tensors["linear.bias"] = (torch.rand(outf, generator=generator) - 0.5) * 0.2
    if residual and inf != outf:
        tensors["residual.weight"] = (torch.rand(outf, inf, generator=generator) - 0.5) * 0.6
    return base64.b64encode(safetensors_save(tensors)).decode("ascii")


TANH = "torch.nn.modules.activation.Tanh"
IDENTITY = "torch.nn.modules.linear.Identity"
GELU = "torch.nn.modules.activation.GELU"
PROMPTS = {"query": "query: ", "passage": "passage: "}
NO_PROMPT = [{"name": "none", "kwargs": {}}]
WITH_PROMPTS = NO_PROMPT + [
    {"name": "prompt_name:query", "kwargs": {"prompt_name": "query"}},
    {"name": "prompt:explicit", "kwargs": {"prompt": "Represent this sentence: "}},
]

# name, base model, what it exercises, edits, settings.
#   json: file -> whole JSON content (None deletes the file); merge: file -> keys merged into the JSON (None deletes
#   the key); binary: file -> base64 bytes.
VARIANTS: list[dict] = [
    dict(name="multi-pool-new", base="bert-mean-norm",
         exercises="pooling_mode list [cls, mean, max]: three vectors concatenated (96) then Normalize",
         merge={"1_Pooling/config.json": {"pooling_mode": ["cls", "mean", "max"]}}),
    dict(name="multi-pool-legacy", base="bert-cls",
         exercises="legacy booleans cls + max + mean_sqrt_len: ST orders them cls, max, mean_sqrt_len; no Normalize",
         json={"1_Pooling/config.json": {"word_embedding_dimension": 32, "pooling_mode_cls_token": True,
                                         "pooling_mode_mean_tokens": False, "pooling_mode_max_tokens": True,
                                         "pooling_mode_mean_sqrt_len_tokens": True}}),
    dict(name="legacy-all-false", base="bert-cls",
         exercises="legacy pooling config with every boolean false: ST falls back to mean",
         json={"1_Pooling/config.json": {"word_embedding_dimension": 32, "pooling_mode_cls_token": False,
                                         "pooling_mode_mean_tokens": False, "pooling_mode_max_tokens": False,
                                         "pooling_mode_mean_sqrt_len_tokens": False}}),
    dict(name="old-module-names", base="bert-max-dense",
         exercises="modules.json with the sentence_transformers.models.* names ST < 6 wrote, Dense included",
         json={"modules.json": modules(("Transformer", ""), ("Pooling", "1_Pooling"), ("Dense", "2_Dense"),
                                       ("Normalize", "3_Normalize"), old=True)}),
    dict(name="odd-module-paths", base="bert-max-dense",
         exercises="Pooling and Dense in folders not named <idx>_<Class> ('pool', 'proj/dense'), Normalize without a "
                   "folder",
         json={"modules.json": modules(("Transformer", ""), ("Pooling", "pool"), ("Dense", "proj/dense"),
                                       ("Normalize", "")),
               "1_Pooling/config.json": None, "2_Dense/config.json": None, "2_Dense/model.safetensors": None,
               "3_Normalize/config.json": None,
               "pool/config.json": {"embedding_dimension": 32, "pooling_mode": "max", "include_prompt": True}},
         copy={"2_Dense/config.json": "proj/dense/config.json",
               "2_Dense/model.safetensors": "proj/dense/model.safetensors"}),
    dict(name="dense-nobias-identity", base="bert-mean-norm",
         exercises="Dense without bias, Identity activation, then Normalize",
         json={"modules.json": modules(("Transformer", ""), ("Pooling", "1_Pooling"), ("Dense", "2_Dense"),
                                       ("Normalize", "3_Normalize")),
               "2_Dense/config.json": dense_config(32, 20, IDENTITY, bias=False), "3_Normalize/config.json": {}},
         binary={"2_Dense/model.safetensors": dense_weights(31, 32, 20, False)}),
    dict(name="two-dense-no-norm", base="bert-mean-norm",
         exercises="two Dense modules in a row (32→24 tanh, 24→16 identity), no Normalize",
         json={"modules.json": modules(("Transformer", ""), ("Pooling", "1_Pooling"), ("Dense", "2_Dense"),
                                       ("Dense", "3_Dense")),
               "2_Dense/config.json": dense_config(32, 24, TANH), "3_Dense/config.json": dense_config(24, 16, IDENTITY),
               "2_Normalize/config.json": None},
         binary={"2_Dense/model.safetensors": dense_weights(32, 32, 24, True),
                 "3_Dense/model.safetensors": dense_weights(33, 24, 16, True)}),
    dict(name="dense-gelu", base="bert-mean-norm",
         exercises="Dense with a GELU activation (any torch.nn activation loads in ST)",
         json={"modules.json": modules(("Transformer", ""), ("Pooling", "1_Pooling"), ("Dense", "2_Dense")),
               "2_Dense/config.json": dense_config(32, 24, GELU), "2_Normalize/config.json": None},
         binary={"2_Dense/model.safetensors": dense_weights(34, 32, 24, True)}),
    dict(name="dense-residual", base="bert-mean-norm",
         exercises="Dense with use_residual (32→32: x added) then Dense with use_residual (32→24: a projection added)",
         json={"modules.json": modules(("Transformer", ""), ("Pooling", "1_Pooling"), ("Dense", "2_Dense"),
                                       ("Dense", "3_Dense"), ("Normalize", "4_Normalize")),
               "2_Dense/config.json": {**dense_config(32, 32, TANH), "use_residual": True},
               "3_Dense/config.json": {**dense_config(32, 24, GELU), "use_residual": True},
               "2_Normalize/config.json": None, "4_Normalize/config.json": {}},
         binary={"2_Dense/model.safetensors": dense_weights(35, 32, 32, True, residual=True),
                 "3_Dense/model.safetensors": dense_weights(36, 32, 24, True, residual=True)}),
    dict(name="no-st-config", base="bert-prompts-include",
         exercises="config_sentence_transformers.json absent: no prompts, no default prompt, cosine",
         json={"config_sentence_transformers.json": None}),
    dict(name="no-max-seq-anywhere", base="bert-mean-norm",
         exercises="neither sentence_bert_config.json max_seq_length nor tokenizer model_max_length: ST caps at "
                   "max_position_embeddings (64)",
         merge={"tokenizer_config.json": {"model_max_length": None}}),
    dict(name="sbert-max-beats-tokenizer", base="bert-mean-norm",
         exercises="sentence_bert_config.json max_seq_length 12 with tokenizer model_max_length 32: 12 wins",
         merge={"sentence_bert_config.json": {"max_seq_length": 12}}),
    dict(name="tokenizer-max-smaller", base="bert-mean-norm",
         exercises="tokenizer model_max_length 10 and no max_seq_length in sentence_bert_config.json",
         merge={"tokenizer_config.json": {"model_max_length": 10}}),
    dict(name="sbert-max-over-positions", base="bert-mean-norm",
         exercises="max_seq_length 100 > max_position_embeddings 64: ST does not cap it and fails on a long text",
         merge={"sentence_bert_config.json": {"max_seq_length": 100}}),
    dict(name="truncation-left", base="bert-cls",
         exercises="tokenizer_config truncation_side left: long texts keep their end",
         merge={"tokenizer_config.json": {"truncation_side": "left"}}),
    # BERT numbers positions 0.. from the row's first column, pads included: with left padding ST's vectors depend
    # on how long the longest text of the batch is. Only the one-batch result (all texts, batch_size 32) is ST's.
    dict(name="padding-left-lasttoken", base="bert-lasttoken", batch_dependent=True,
         exercises="tokenizer_config padding_side left with lasttoken pooling",
         merge={"tokenizer_config.json": {"padding_side": "left"}}),
    dict(name="cased-lowercase", base="bert-mean-norm",
         exercises="a cased WordPiece tokenizer (no lowercasing) with do_lower_case true in sentence_bert_config.json",
         merge={"tokenizer_config.json": {"do_lower_case": False}, "sentence_bert_config.json": {"do_lower_case": True},
                "tokenizer.json": {"normalizer": {"type": "BertNormalizer", "clean_text": True,
                                                  "handle_chinese_chars": True, "strip_accents": None,
                                                  "lowercase": False}}}),
    dict(name="cased", base="bert-mean-norm",
         exercises="a cased WordPiece tokenizer: upper-case words are other word pieces or [UNK]",
         merge={"tokenizer_config.json": {"do_lower_case": False},
                "tokenizer.json": {"normalizer": {"type": "BertNormalizer", "clean_text": True,
                                                  "handle_chinese_chars": True, "strip_accents": None,
                                                  "lowercase": False}}}),
    dict(name="exclude-cls", base="bert-prompts-exclude", settings=WITH_PROMPTS,
         exercises="include_prompt false with cls pooling", merge={"1_Pooling/config.json": {"pooling_mode": "cls"}}),
    dict(name="exclude-max", base="bert-prompts-exclude", settings=WITH_PROMPTS,
         exercises="include_prompt false with max pooling", merge={"1_Pooling/config.json": {"pooling_mode": "max"}}),
    dict(name="exclude-lasttoken", base="bert-prompts-exclude", settings=WITH_PROMPTS,
         exercises="include_prompt false with lasttoken pooling",
         merge={"1_Pooling/config.json": {"pooling_mode": "lasttoken"}}),
    dict(name="exclude-weightedmean-multi", base="bert-prompts-exclude", settings=WITH_PROMPTS,
         exercises="include_prompt false with [weightedmean, cls]",
         merge={"1_Pooling/config.json": {"pooling_mode": ["weightedmean", "cls"]}}),
    dict(name="default-prompt-exclude", base="bert-prompts-exclude",
         settings=WITH_PROMPTS + [{"name": "prompt:empty", "kwargs": {"prompt": ""}},
                                  {"name": "prompt_name:document", "kwargs": {"prompt_name": "document"}}],
         exercises="default_prompt_name passage with include_prompt false; --prompt-name and --prompt \"\" override it",
         merge={"config_sentence_transformers.json": {"default_prompt_name": "passage"}}),
    dict(name="tokenizer-json-left", base="bert-cls",
         exercises="truncation and padding direction Left in tokenizer.json only (transformers takes them as the sides)",
         batch_dependent=True,
         merge={"tokenizer.json": {"truncation": {"direction": "Left", "max_length": 512, "strategy": "LongestFirst",
                                                  "stride": 0},
                                   "padding": {"direction": "Left", "pad_id": 0, "pad_type_id": 0, "pad_token": "[PAD]",
                                               "strategy": "BatchLongest", "pad_to_multiple_of": None}}}),
    dict(name="tokenizer-args-max", base="bert-mean-norm",
         exercises="sentence_bert_config.json tokenizer_args.model_max_length 12 beside max_seq_length 20: "
                   "the tokenizer argument wins",
         merge={"sentence_bert_config.json": {"max_seq_length": 20, "tokenizer_args": {"model_max_length": 12}}}),
    dict(name="legacy-sbert-filename", base="bert-mean-norm",
         exercises="sentence_xlm-roberta_config.json instead of sentence_bert_config.json (an old ST save)",
         json={"sentence_bert_config.json": None, "sentence_xlm-roberta_config.json": {"max_seq_length": 12}}),
    dict(name="no-sbert-config", base="bert-mean-norm",
         exercises="no sentence_bert_config.json at all",
         json={"sentence_bert_config.json": None}),
    dict(name="bad-default-prompt", base="bert-prompts-include",
         exercises="default_prompt_name that names no prompt",
         merge={"config_sentence_transformers.json": {"default_prompt_name": "missing"}}),
    dict(name="bad-pooling-mode", base="bert-mean-norm",
         exercises="pooling_mode 'median'", merge={"1_Pooling/config.json": {"pooling_mode": "median"}}),
    dict(name="pooling-mode-alias", base="bert-mean-norm",
         exercises="pooling_mode 'mean_tokens' (a legacy key's suffix, not a mode name)",
         merge={"1_Pooling/config.json": {"pooling_mode": "mean_tokens"}}),
    dict(name="dense-after-normalize", base="bert-max-dense",
         exercises="Normalize before Dense: ST runs the modules in modules.json order",
         json={"modules.json": modules(("Transformer", ""), ("Pooling", "1_Pooling"), ("Normalize", "3_Normalize"),
                                       ("Dense", "2_Dense"))}),
    dict(name="config-lowercase-json-cased", base="bert-mean-norm",
         exercises="tokenizer_config.json do_lower_case true, tokenizer.json normalizer lowercase false (the files "
                   "disagree; transformers 5 rebuilds BertTokenizer's normaliser from tokenizer_config.json)",
         merge={"tokenizer.json": {"normalizer": {"type": "BertNormalizer", "clean_text": True,
                                                  "handle_chinese_chars": True, "strip_accents": None,
                                                  "lowercase": False}}}),
    dict(name="config-cased-json-lowercase", base="bert-mean-norm",
         exercises="tokenizer_config.json do_lower_case false, tokenizer.json normalizer lowercase true",
         merge={"tokenizer_config.json": {"do_lower_case": False}}),
    dict(name="config-silent-json-cased", base="bert-mean-norm",
         exercises="tokenizer_config.json without do_lower_case (BertTokenizer's default: true) beside a cased "
                   "tokenizer.json",
         merge={"tokenizer_config.json": {"do_lower_case": None},
                "tokenizer.json": {"normalizer": {"type": "BertNormalizer", "clean_text": True,
                                                  "handle_chinese_chars": True, "strip_accents": None,
                                                  "lowercase": False}}}),
    dict(name="tokenizer-args-cased", base="bert-mean-norm",
         exercises="sentence_bert_config.json tokenizer_args {do_lower_case: false} over an uncased tokenizer",
         merge={"sentence_bert_config.json": {"tokenizer_args": {"do_lower_case": False}}}),
    dict(name="exclude-truncation-left", base="bert-prompts-exclude", settings=WITH_PROMPTS,
         exercises="include_prompt false with truncation_side left: a long text pushes the prompt out, the first "
                   "prompt_length positions are still masked",
         merge={"tokenizer_config.json": {"truncation_side": "left"}}),
    dict(name="max-seq-3-exclude", base="bert-prompts-exclude", settings=WITH_PROMPTS,
         exercises="max_seq_length 3 with include_prompt false: the prompt itself is truncated",
         merge={"sentence_bert_config.json": {"max_seq_length": 3}}),
    dict(name="max-seq-1", base="bert-mean-norm",
         exercises="max_seq_length 1, below the two special tokens",
         merge={"sentence_bert_config.json": {"max_seq_length": 1}}),
    dict(name="xlmr-do-lower-case", base="xlmr-prompts-exclude", settings=WITH_PROMPTS,
         exercises="do_lower_case true on XLM-R (Unigram, cased) with include_prompt false",
         merge={"sentence_bert_config.json": {"do_lower_case": True}}),
    dict(name="plain-transformers", base="bert-cls",
         exercises="a plain transformers folder (no modules.json or other ST files): ST adds mean pooling",
         json={"modules.json": None, "1_Pooling/config.json": None, "sentence_bert_config.json": None,
               "config_sentence_transformers.json": None}),
    dict(name="plain-transformers-sbert", base="bert-cls",
         exercises="no modules.json but a sentence_bert_config.json with max_seq_length 8",
         json={"modules.json": None, "1_Pooling/config.json": None, "config_sentence_transformers.json": None,
               "sentence_bert_config.json": {"max_seq_length": 8}}),
    dict(name="tokenizer-max-over-positions", base="bert-mean-norm",
         exercises="tokenizer model_max_length 1000, no max_seq_length: capped at max_position_embeddings 64",
         merge={"tokenizer_config.json": {"model_max_length": 1000}}),
    dict(name="xlmr-no-max", base="xlmr-unigram-mean",
         exercises="XLM-R without model_max_length: ST caps at max_position_embeddings 34, two more than XLM-R's "
                   "positions allow, and fails on a text of 33 tokens",
         merge={"tokenizer_config.json": {"model_max_length": None}}),
    dict(name="truncate-dim", base="bert-max-dense",
         exercises="config_sentence_transformers.json truncate_dim 10 (Matryoshka): the first 10 values, after "
                   "Dense and Normalize, not renormalised",
         merge={"config_sentence_transformers.json": {"truncate_dim": 10}}),
    dict(name="similarity-dot-product", base="bert-mean-sqrt-len",
         exercises="similarity_fn_name 'dot_product': not one of ST's four names, so ST uses cosine",
         merge={"config_sentence_transformers.json": {"similarity_fn_name": "dot_product"}}),
    dict(name="similarity-maxsim", base="bert-mean-norm",
         exercises="similarity_fn_name 'maxsim' (a multi-vector name): ST loads the model and uses cosine",
         merge={"config_sentence_transformers.json": {"similarity_fn_name": "maxsim"}}),
    dict(name="cased-strip-accents", base="bert-mean-norm",
         exercises="cased BERT that strips accents (strip_accents true, do_lower_case false), files agreeing",
         merge={"tokenizer_config.json": {"do_lower_case": False, "strip_accents": True},
                "tokenizer.json": {"normalizer": {"type": "BertNormalizer", "clean_text": True,
                                                  "handle_chinese_chars": True, "strip_accents": True,
                                                  "lowercase": False}}}),
    dict(name="uncased-keep-accents-no-cjk", base="bert-mean-norm",
         exercises="uncased BERT keeping accents (strip_accents false) and not spacing CJK (tokenize_chinese_chars "
                   "false), set in tokenizer_config.json only",
         merge={"tokenizer_config.json": {"strip_accents": False, "tokenize_chinese_chars": False}}),
    dict(name="xlmr-truncation-left", base="xlmr-unigram-mean",
         exercises="XLM-R with truncation_side left", merge={"tokenizer_config.json": {"truncation_side": "left"}}),
    dict(name="xlmr-padding-left", base="xlmr-prompts-exclude", settings=WITH_PROMPTS,
         exercises="XLM-R (positions from the mask) with padding_side left and include_prompt false",
         merge={"tokenizer_config.json": {"padding_side": "left"},
                "1_Pooling/config.json": {"pooling_mode": ["lasttoken", "weightedmean", "cls"]}}),
    dict(name="activation-untrusted", base="bert-max-dense",
         exercises="a Dense activation path outside torch.*: ST warns and uses Tanh",
         merge={"2_Dense/config.json": {"activation_function": "my_package.activations.Swish"}}),
]

# torch.nn activations ST instantiates with their defaults (`activation_class()`), on a fixed set of inputs.
ACTIVATION_INPUTS = [-30.0, -6.0, -3.5, -1.0, -0.5, -1e-3, 0.0, 1e-3, 0.25, 0.7, 1.0, 2.0, 3.5, 6.0, 25.0]
ACTIVATIONS = ["Identity", "Tanh", "ReLU", "Sigmoid", "GELU", "SiLU", "LeakyReLU", "ELU", "Softplus", "Mish",
               "Hardtanh", "Softsign", "SELU", "CELU", "Hardswish", "Hardsigmoid", "ReLU6", "LogSigmoid", "Tanhshrink"]


def activation_table() -> dict:
    x = torch.tensor(ACTIVATION_INPUTS, dtype=torch.float32)
    return {name: [float(v) for v in getattr(torch.nn, name)()(x)] for name in ACTIVATIONS}


def apply_recipe(variant: dict, folder: Path) -> None:
    """Copies the base model into `folder` and applies the variant's edits (the tests do the same in TypeScript)."""
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(TINY / variant["base"], folder)
    for src, dst in variant.get("copy", {}).items():
        (folder / dst).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(folder / src, folder / dst)
    for rel, content in variant.get("json", {}).items():
        path = folder / rel
        if content is None:
            path.unlink(missing_ok=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(content, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    for rel, keys in variant.get("merge", {}).items():
        path = folder / rel
        data = json.loads(path.read_text(encoding="utf-8"))
        for key, value in keys.items():
            if value is None:
                data.pop(key, None)
            else:
                data[key] = value
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    for rel, blob in variant.get("binary", {}).items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(blob))


def f32_list(arr: np.ndarray) -> list:
    # The shortest decimal that reads back as the same float32 (about 9 digits instead of 17).
    return [[float(str(x)) for x in row] for row in np.asarray(arr, dtype=np.float32)]


def variant_fixture(variant: dict, folder: Path) -> dict:
    recipe = {k: variant[k] for k in ("name", "base", "exercises", "batch_dependent", "json", "merge", "binary", "copy") if k in variant}
    try:
        st = SentenceTransformer(str(folder), device="cpu")
    except Exception as error:  # noqa: BLE001 - recorded: the engine must refuse it too
        return {**recipe, "load_error": f"{type(error).__name__}: {error}"}
    out = {**recipe, "dimension": st.get_embedding_dimension(), "max_seq_length": st.max_seq_length,
           "pooling_mode": st[1].pooling_mode, "include_prompt": st[1].include_prompt, "prompts": st.prompts,
           "default_prompt_name": st.default_prompt_name, "similarity_fn_name": st.similarity_fn_name,
           "settings": []}
    for setting in variant.get("settings", NO_PROMPT):
        kwargs = setting["kwargs"]
        entry = {"name": setting["name"], "encode_kwargs": kwargs}
        try:
            resolved = st._resolve_prompt(kwargs.get("prompt"), kwargs.get("prompt_name"))
            emb = st.encode(TEXTS, convert_to_numpy=True, batch_size=32, **kwargs)
            feats = st.preprocess(TEXTS, prompt=resolved)
            entry["token_ids"] = [row[mask.bool()].tolist()
                                  for row, mask in zip(feats["input_ids"], feats["attention_mask"])]
            entry["embeddings"] = f32_list(emb)
            entry["norms"] = [float(np.linalg.norm(np.asarray(r, dtype=np.float64))) for r in emb]
        except Exception as error:  # noqa: BLE001
            entry["encode_error"] = f"{type(error).__name__}: {str(error)[:300]}"
        out["settings"].append(entry)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", help="also leave the variant folders here")
    parser.add_argument("--only", nargs="*")
    parser.add_argument("--out", default=str(TINY / "variants.json"))
    args = parser.parse_args()
    logging.getLogger("sentence_transformers").setLevel(logging.ERROR)
    transformers.logging.set_verbosity_error()
    fixtures = {"generator": "scripts/make-tiny-variants.py",
                "versions": {"sentence_transformers": sentence_transformers.__version__,
                             "transformers": transformers.__version__, "torch": torch.__version__},
                "texts": TEXTS, "activation_inputs": ACTIVATION_INPUTS, "activations": activation_table(),
                "variants": {}}
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(args.keep) if args.keep else Path(scratch)
        for variant in VARIANTS:
            if args.only and variant["name"] not in args.only:
                continue
            folder = root / variant["name"]
            apply_recipe(variant, folder)
            print(f"variant {variant['name']}", file=sys.stderr)
            fixtures["variants"][variant["name"]] = variant_fixture(copy.deepcopy(variant), folder)
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(fixtures, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
