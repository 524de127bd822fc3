#!/usr/bin/env python3
"""Build tiny random sentence-transformers models + ONNX exports + reference fixtures.

Everything is made locally from code: the vocabularies are trained by the `tokenizers` library on the fixed
corpus below, the weights come from fixed torch seeds, nothing is read from the Hugging Face hub.

    HF_HUB_OFFLINE=1 /tmp/stvenv/bin/python scripts/make-tiny-models.py [--out test/fixtures/tiny-models]

Reference stack (recorded in fixtures.json): sentence-transformers 6.2.0, transformers 5.24, torch 2.13,
tokenizers 0.23, onnx 1.23. Each model folder is written by `SentenceTransformer.save()` (so modules.json,
sentence_bert_config.json, config_sentence_transformers.json, 1_Pooling/, 2_Dense/, ..._Normalize/ are
exactly what ST writes); the script then adds onnx/model.onnx (fp32, transformers.js layout: inputs
input_ids / attention_mask [/ token_type_ids] int64 [batch_size, sequence_length], output last_hidden_state
[batch_size, sequence_length, hidden]) and finally reloads every folder with `SentenceTransformer(folder)` and
records `encode()` outputs and token ids in fixtures.json.

Running it twice gives identical files (fixed seeds, single-threaded tokenizer training and torch).
See test/fixtures/tiny-models/README.md.
"""
from __future__ import annotations

import os

# Must be set before tokenizers / torch are imported: no hub, single-threaded (deterministic) training.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["TOKENIZERS_PARALLELISM"] = "false"
os.environ["RAYON_NUM_THREADS"] = "1"
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse
import hashlib
import json
import logging
import shutil
import sys
import tempfile
import warnings
from pathlib import Path

import numpy as np
import torch

torch.set_num_threads(1)

import onnx  # noqa: E402
import sentence_transformers  # noqa: E402
import tokenizers  # noqa: E402
import transformers  # noqa: E402
from sentence_transformers import SentenceTransformer  # noqa: E402
from sentence_transformers.base.modules import Dense, Normalize, Transformer  # noqa: E402
from sentence_transformers.sentence_transformer.modules import Pooling  # noqa: E402
from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, trainers  # noqa: E402
from transformers import (  # noqa: E402
    BertConfig,
    BertModel,
    BertTokenizer,
    XLMRobertaConfig,
    XLMRobertaModel,
    XLMRobertaTokenizer,
)

EXPECTED_VERSIONS = {"sentence_transformers": "6.2.0"}

# --------------------------------------------------------------------------------------------------------------
# Fixed training corpus (English + Chinese + accented Latin + a little Japanese). Changing it changes every
# vocabulary, so every fixture: treat it as frozen.
# --------------------------------------------------------------------------------------------------------------
CORPUS_EN = """
The quick brown fox jumps over the lazy dog.
Hello, world! Hello again, small world.
Sentence embeddings map a sentence to a vector of numbers.
Similar sentences should have similar vectors, and different sentences different vectors.
Search engines compare the query with every passage and return the best matches.
A query is usually short; a passage is usually longer and explains something.
Machine learning models learn patterns from data instead of following fixed rules.
Natural language processing turns text into numbers that a computer can use.
The tokenizer splits text into tokens, and the model reads the token ids.
Padding makes every row in a batch the same length; the attention mask hides the padding.
Truncation cuts a text that is longer than the maximum sequence length.
Mean pooling averages the token vectors; max pooling keeps the largest value in each dimension.
The first token is a special classification token, and the last token is a separator.
Normalization scales a vector to unit length so that the dot product equals the cosine similarity.
I love pizza, pasta and coffee in the morning.
She reads books about history, science, music and art.
They walked to the station in the rain and missed the train.
Our team ships a small extension for the editor every week.
Please open the file, find the function and fix the bug.
What is the capital of France? Paris is the capital of France.
How many languages do you speak? I speak English and a little Chinese.
The weather today is sunny with a light wind from the north.
Numbers like 3.14159, 42 and 2024 appear in many documents.
Emails, dates, times and prices are common in real text.
Represent this sentence for searching relevant passages.
Instruct: given a question, retrieve the passage that answers it.
Local models run on your own computer without sending data to a server.
The engine must give exactly the same results as the reference library.
Tests use tiny random models so that they run fast and stay small.
Keep it simple, keep it fast, and measure everything twice.
Zebras, xylophones and quiet yaks are rare words in this corpus.
Good morning, good evening, good night and goodbye.
The children played football in the park until the sun went down.
Doctors, teachers, engineers and farmers all work hard.
Water boils at one hundred degrees and freezes at zero.
A journey of a thousand miles begins with a single step.
"""

CORPUS_ZH = """
机器学习很有趣。
我喜欢自然语言处理和搜索引擎。
今天天气很好，我们去公园散步吧。
这是一个用于测试的小模型。
句子向量可以用来比较两个句子的意思。
北京是中国的首都，上海是一个大城市。
我们的团队每周发布一个新的版本。
请打开文件，找到函数并修复错误。
你会说几种语言？我会说中文和一点英语。
数据、模型和算法都很重要。
"""

CORPUS_ACCENTS = """
Café au lait, crème brûlée et pâte à choux.
Le garçon naïf lit un résumé à la bibliothèque.
Über den Wolken muss die Freiheit wohl grenzenlos sein.
Schöne Grüße aus München und Köln.
El niño comió una piña en la mañana.
¿Dónde está la estación? Está allí, señor.
Ångström, Øresund, Ærø and Smørrebrød.
São Paulo, Coração and Ação.
"""

CORPUS_JA = """
日本語のテキストです。
東京は日本の首都です。
"""


def corpus_lines() -> list[str]:
    lines = []
    for block in (CORPUS_EN, CORPUS_ZH, CORPUS_ACCENTS, CORPUS_JA):
        lines.extend(line.strip() for line in block.strip().splitlines() if line.strip())
    return lines


# --------------------------------------------------------------------------------------------------------------
# Fixture texts (shared by every model).
# --------------------------------------------------------------------------------------------------------------
LONG_TEXT = (
    "This is a deliberately long text that goes on and on so that it has far more tokens than any of the tiny "
    "models accepts: it talks about search engines, sentence embeddings, padding, truncation, pooling and "
    "normalization, and then it keeps going with the quick brown fox, the lazy dog, pizza, coffee, trains in "
    "the rain and a journey of a thousand miles, because the end of this text must be cut off by every model."
)

TEXTS: list[str] = [
    "",  # empty
    "   ",  # spaces only
    " \t\n ",  # mixed whitespace only
    "Hello, world!",
    "hello world",
    "Hello, world!",  # exact duplicate of index 3
    "?!... ,;: --- ()[]{}",  # punctuation only
    "The quick brown fox jumps over the lazy dog.",
    "tHe QuIcK bRoWn FOX",  # mixed case
    "Café naïve résumé über Ångström",  # accents
    "cafe naive resume uber angstrom",  # the same without accents (equal ids in the uncased BERT models)
    "机器学习很有趣。",  # CJK (in vocabulary)
    "我喜欢自然语言处理和搜索引擎",  # CJK without punctuation
    "Search 搜索 engine 引擎 mixed",  # mixed scripts
    "日本語のテキストです",  # Japanese (kana)
    "I love pizza 🍕🍕 and 😀!",  # emoji inside text
    "🙂",  # emoji only
    "3.14159 and 42, 2024-01-01 at 10:30",  # numbers
    "xylophonequixoticzebra antidisestablishmentarianism",  # long unknown words (word pieces / unk)
    "non\u00a0breaking\u200bspace\ttab",  # NBSP, zero-width space, tab
    LONG_TEXT,  # longer than every max_seq_length
]

EXPLICIT_PROMPT = "Represent this sentence: "

# --------------------------------------------------------------------------------------------------------------
# Model specifications.
# --------------------------------------------------------------------------------------------------------------
BERT_ARCH = dict(hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64)
XLMR_ARCH = dict(hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64)
PROMPTS = {"query": "query: ", "passage": "passage: "}

MODELS: list[dict] = [
    dict(name="bert-mean-norm", arch="bert", seed=1001, max_seq_length=32, pooling="mean", normalize=True,
         exercises="mean pooling + Normalize, max_seq_length 32: all-MiniLM-L6-v2 in miniature"),
    dict(name="bert-cls", arch="bert", seed=1002, max_seq_length=16, pooling="cls", normalize=False,
         similarity_fn_name="manhattan",
         exercises="CLS pooling, no Normalize (norms != 1), max_seq_length 16 so many texts are truncated, "
                   "similarity_fn_name 'manhattan'"),
    dict(name="bert-max-dense", arch="bert", seed=1003, max_seq_length=32, pooling="max", normalize=True,
         dense=dict(out_features=24, activation="tanh"),
         exercises="max pooling + Dense 32->24 (tanh) + Normalize: output dimension 24"),
    dict(name="bert-mean-sqrt-len", arch="bert", seed=1004, max_seq_length=32, pooling="mean_sqrt_len_tokens",
         normalize=False, similarity_fn_name="dot",
         exercises="mean_sqrt_len_tokens pooling (sum / sqrt(n)), no Normalize, similarity_fn_name 'dot' on "
                   "unnormalised vectors"),
    dict(name="bert-prompts-include", arch="bert", seed=1005, max_seq_length=32, pooling="mean", normalize=True,
         prompts=PROMPTS, default_prompt_name="query", include_prompt=True, similarity_fn_name="dot",
         exercises="prompts + default_prompt_name 'query' (applied when encode() gets no prompt), "
                   "include_prompt true, similarity_fn_name 'dot'"),
    dict(name="bert-prompts-exclude", arch="bert", seed=1006, max_seq_length=32, pooling="mean", normalize=True,
         prompts=PROMPTS, default_prompt_name=None, include_prompt=False, similarity_fn_name="cosine",
         exercises="prompts, no default prompt, include_prompt false (prompt tokens dropped from the mean), "
                   "similarity_fn_name 'cosine'"),
    dict(name="bert-weightedmean", arch="bert", seed=1007, max_seq_length=32, pooling="weightedmean",
         normalize=True, exercises="weightedmean pooling (position-weighted mean, weights 1..n) + Normalize"),
    dict(name="bert-lasttoken", arch="bert", seed=1008, max_seq_length=32, pooling="lasttoken", normalize=False,
         similarity_fn_name="euclidean",
         exercises="lasttoken pooling (last non-padding token = [SEP] with right padding), no Normalize, "
                   "similarity_fn_name 'euclidean'"),
    dict(name="xlmr-unigram-mean", arch="xlmr", seed=2001, max_seq_length=24, pooling="mean", normalize=True,
         exercises="XLM-R with a Unigram (SentencePiece-style) tokenizer, no token_type_ids input, "
                   "mean pooling + Normalize, max_seq_length 24"),
    dict(name="xlmr-prompts-exclude", arch="xlmr", seed=2002, max_seq_length=24, pooling="mean",
         normalize=True, prompts=PROMPTS, default_prompt_name=None, include_prompt=False,
         similarity_fn_name="cosine",
         exercises="XLM-R + Unigram with prompts and include_prompt false: prompt length measured with the "
                   "Metaspace tokenizer"),
]


# --------------------------------------------------------------------------------------------------------------
# Tokenizers
# --------------------------------------------------------------------------------------------------------------
def train_wordpiece_vocab(vocab_size: int = 1200) -> dict[str, int]:
    """Uncased BERT WordPiece vocabulary learnt from the corpus, deterministically.

    The `tokenizers` WordPieceTrainer breaks ties between equally frequent pairs in hash-map order, so its
    vocabulary changes from run to run; this is the same algorithm (BPE merges over BERT-normalised,
    BERT-pre-tokenised words, "##" continuation prefix) with ties broken by the pair's text.
    """
    normalizer = normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=True, strip_accents=None,
                                            lowercase=True)
    pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    word_counts: dict[str, int] = {}
    for line in corpus_lines():
        for word, _ in pre_tokenizer.pre_tokenize_str(normalizer.normalize_str(line)):
            word_counts[word] = word_counts.get(word, 0) + 1
    words = {w: [w[0]] + ["##" + c for c in w[1:]] for w in word_counts}
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    vocab = specials + sorted({piece for pieces in words.values() for piece in pieces})
    known = set(vocab)
    while len(vocab) < vocab_size:
        pair_counts: dict[tuple[str, str], int] = {}
        for w, pieces in words.items():
            for a, b in zip(pieces, pieces[1:]):
                pair_counts[(a, b)] = pair_counts.get((a, b), 0) + word_counts[w]
        if not pair_counts:
            break
        (a, b), _ = min(pair_counts.items(), key=lambda kv: (-kv[1], kv[0]))
        merged = a + b[2:]
        for w, pieces in words.items():
            i, out = 0, []
            while i < len(pieces):
                if i + 1 < len(pieces) and pieces[i] == a and pieces[i + 1] == b:
                    out.append(merged)
                    i += 2
                else:
                    out.append(pieces[i])
                    i += 1
            words[w] = out
        if merged not in known:
            known.add(merged)
            vocab.append(merged)
    return {token: i for i, token in enumerate(vocab)}


def train_unigram_vocab(vocab_size: int = 700) -> list[tuple[str, float]]:
    """Unigram vocabulary with XLM-R's special-token layout: <s>=0 <pad>=1 </s>=2 <unk>=3, <mask> last."""
    tok = Tokenizer(models.Unigram())
    tok.pre_tokenizer = pre_tokenizers.Sequence(
        [pre_tokenizers.WhitespaceSplit(), pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")]
    )
    trainer = trainers.UnigramTrainer(
        vocab_size=vocab_size,
        special_tokens=["<s>", "<pad>", "</s>", "<unk>"],
        unk_token="<unk>",
        shrinking_factor=0.75,
        max_piece_length=8,
        n_sub_iterations=2,
        show_progress=False,
    )
    tok.train_from_iterator(corpus_lines(), trainer)
    model_json = json.loads(tok.to_str())["model"]
    vocab = [(piece, float(score)) for piece, score in model_json["vocab"]]
    assert [p for p, _ in vocab[:4]] == ["<s>", "<pad>", "</s>", "<unk>"], vocab[:5]
    # Two sources of run-to-run noise in the trainer (it iterates hash maps): the EM sums differ in the last
    # bits, and the characters it must keep are appended as a tail with scores min, min - 1e-4, min - 2e-4, ...
    # in hash-map order. Give the tail's scores to its characters in code-point order, round every score and
    # order the pieces by (score, text): the same corpus then always gives the same vocabulary.
    raw = vocab[4:]
    step = lambda i: len(raw[i][0]) == 1 and len(raw[i + 1][0]) == 1 and abs(raw[i + 1][1] - raw[i][1] + 1e-4) < 1e-7
    k = next(i for i in range(len(raw) - 1) if step(i))
    end = k + 1
    while end < len(raw) - 1 and step(end):
        end += 1
    end += 1  # raw[k:end] is the tail of required characters
    tail = sorted(p for p, _ in raw[k:end])
    raw = raw[:k] + list(zip(tail, [s for _, s in raw[k:end]])) + raw[end:]
    pieces = sorted(((p, round(s, 6)) for p, s in raw), key=lambda ps: (-ps[1], ps[0]))
    return [(p, 0.0) for p, _ in vocab[:4]] + pieces + [("<mask>", 0.0)]


def build_tokenizer(arch: str, vocabs: dict, max_seq_length: int):
    if arch == "bert":
        tk = BertTokenizer(vocab=dict(vocabs["wordpiece"]), do_lower_case=True, tokenize_chinese_chars=True,
                           strip_accents=None)
    else:
        tk = XLMRobertaTokenizer(vocab=list(vocabs["unigram"]), add_prefix_space=True)
    tk.model_max_length = max_seq_length
    return tk


# --------------------------------------------------------------------------------------------------------------
# Transformers
# --------------------------------------------------------------------------------------------------------------
def build_hf_model(spec: dict, tokenizer) -> torch.nn.Module:
    torch.manual_seed(spec["seed"])
    if spec["arch"] == "bert":
        config = BertConfig(vocab_size=len(tokenizer), max_position_embeddings=64, type_vocab_size=2,
                            initializer_range=0.2, pad_token_id=tokenizer.pad_token_id, **BERT_ARCH)
        model = BertModel(config)
    else:
        config = XLMRobertaConfig(vocab_size=len(tokenizer), max_position_embeddings=spec["max_seq_length"] + 2 + 8,
                                  type_vocab_size=1, initializer_range=0.2, pad_token_id=tokenizer.pad_token_id,
                                  bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id,
                                  **XLMR_ARCH)
        model = XLMRobertaModel(config)
    # Random (seeded) LayerNorm affine parameters too, so they are not the trivial 1/0 an engine could ignore.
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, torch.nn.LayerNorm):
                module.weight.uniform_(0.5, 1.5)
                module.bias.normal_(0.0, 0.1)
    return model.eval()


class _BertOnnxWrapper(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask, token_type_ids):
        return self.model(input_ids=input_ids, attention_mask=attention_mask,
                          token_type_ids=token_type_ids).last_hidden_state


class _XlmrOnnxWrapper(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask):
        return self.model(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state


def export_onnx(hf_model, arch: str, pad_id: int, path: Path) -> list[str]:
    path.parent.mkdir(parents=True, exist_ok=True)
    wrapper = (_BertOnnxWrapper if arch == "bert" else _XlmrOnnxWrapper)(hf_model).eval()
    # A padded dummy batch: an all-ones mask could let the tracer take a "no mask needed" shortcut.
    ids = torch.tensor([[5, 6, 7, 8, 9, 10, 11], [5, 6, 7, pad_id, pad_id, pad_id, pad_id]], dtype=torch.int64)
    ids[:, 0] = 0 if arch == "xlmr" else 2
    mask = torch.tensor([[1] * 7, [1, 1, 1, 0, 0, 0, 0]], dtype=torch.int64)
    names = ["input_ids", "attention_mask"] + (["token_type_ids"] if arch == "bert" else [])
    args = (ids, mask) + ((torch.zeros_like(ids),) if arch == "bert" else ())
    axes = {n: {0: "batch_size", 1: "sequence_length"} for n in names}
    axes["last_hidden_state"] = {0: "batch_size", 1: "sequence_length"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(wrapper, args, str(path), input_names=names, output_names=["last_hidden_state"],
                          dynamic_axes=axes, opset_version=17, do_constant_folding=True, dynamo=False)
    wrapper.eval()
    hf_model.eval()
    m = onnx.load(str(path))
    onnx.checker.check_model(m)
    # Make the file byte-stable: drop the producer version string (it is the torch version anyway).
    m.producer_version = torch.__version__.split("+")[0]
    onnx.save(m, str(path))
    return names


# --------------------------------------------------------------------------------------------------------------
# Building one model folder
# --------------------------------------------------------------------------------------------------------------
def build_model(spec: dict, vocabs: dict, out_dir: Path, scratch: Path) -> None:
    name = spec["name"]
    folder = out_dir / name
    if folder.exists():
        shutil.rmtree(folder)
    hf_dir = scratch / name
    tokenizer = build_tokenizer(spec["arch"], vocabs, spec["max_seq_length"])
    hf_model = build_hf_model(spec, tokenizer)
    hf_model.save_pretrained(hf_dir)
    tokenizer.save_pretrained(hf_dir)

    transformer = Transformer(str(hf_dir), max_seq_length=spec["max_seq_length"])
    dim = transformer.get_embedding_dimension()
    modules: list[torch.nn.Module] = [transformer,
                                      Pooling(dim, pooling_mode=spec["pooling"],
                                              include_prompt=spec.get("include_prompt", True))]
    if spec.get("dense"):
        torch.manual_seed(spec["seed"] + 500)
        modules.append(Dense(in_features=dim, out_features=spec["dense"]["out_features"],
                             activation_function=torch.nn.Tanh()))
    if spec["normalize"]:
        modules.append(Normalize())
    st = SentenceTransformer(modules=modules, prompts=spec.get("prompts"),
                             default_prompt_name=spec.get("default_prompt_name"),
                             similarity_fn_name=spec.get("similarity_fn_name"), device="cpu")
    st.save(str(folder), create_model_card=False)

    # Export the ONNX graph from the weights just saved (reloaded the way ST loads them).
    reloaded = SentenceTransformer(str(folder), device="cpu")
    export_onnx(reloaded[0].auto_model, spec["arch"], tokenizer.pad_token_id, folder / "onnx" / "model.onnx")


# --------------------------------------------------------------------------------------------------------------
# Fixtures
# --------------------------------------------------------------------------------------------------------------
def prompt_settings(st: SentenceTransformer, spec: dict) -> list[dict]:
    settings = [dict(name="none", kwargs={})]
    if st.prompts and any(v for v in st.prompts.values()):
        for pname in sorted(k for k, v in st.prompts.items() if v):
            settings.append(dict(name=f"prompt_name:{pname}", kwargs={"prompt_name": pname}))
    settings.append(dict(name="prompt:explicit", kwargs={"prompt": EXPLICIT_PROMPT}))
    if st.default_prompt_name:
        # An explicit empty prompt overrides the default prompt (ST: `prompt=""` is not None).
        settings.append(dict(name="prompt:empty", kwargs={"prompt": ""}))
    if not spec.get("include_prompt", True):
        # A prompt without trailing space: ST still masks len(tokens(prompt)) - 1 leading positions.
        settings.append(dict(name="prompt:nospace", kwargs={"prompt": "query:"}))
    return settings


def f32_list(arr: np.ndarray) -> list:
    # float32 -> Python float is exact; JSON's repr round-trips doubles, so values are full precision.
    return [[float(x) for x in row] for row in np.asarray(arr, dtype=np.float32)]


def model_fixture(folder: Path, spec: dict) -> dict:
    st = SentenceTransformer(str(folder), device="cpu")
    transformer, pooling = st[0], st[1]
    normalize = any(isinstance(m, Normalize) for m in st)
    dense = [m for m in st if isinstance(m, Dense)]
    onnx_inputs = [i.name for i in onnx.load(str(folder / "onnx" / "model.onnx")).graph.input]
    out = {
        "folder": spec["name"],
        "exercises": spec["exercises"],
        "architecture": type(transformer.auto_model).__name__,
        "tokenizer_class": type(transformer.tokenizer).__name__,
        "onnx_inputs": onnx_inputs,
        "dimension": st.get_embedding_dimension(),
        "hidden_size": transformer.get_embedding_dimension(),
        "max_seq_length": st.max_seq_length,
        "pooling_mode": pooling.pooling_mode,
        "include_prompt": pooling.include_prompt,
        "normalize": normalize,
        "dense": ({"in_features": dense[0].in_features, "out_features": dense[0].out_features,
                   "activation_function": type(dense[0].activation_function).__name__} if dense else None),
        "similarity_fn_name": st.similarity_fn_name,
        "prompts": st.prompts,
        "default_prompt_name": st.default_prompt_name,
        "pad_token_id": transformer.tokenizer.pad_token_id,
        "texts": TEXTS,
        "settings": [],
    }
    for setting in prompt_settings(st, spec):
        kwargs = setting["kwargs"]
        resolved = st._resolve_prompt(kwargs.get("prompt"), kwargs.get("prompt_name"))
        emb = st.encode(TEXTS, convert_to_numpy=True, batch_size=32, **kwargs)
        feats = st.preprocess(TEXTS, prompt=resolved)
        ids = [row[mask.bool()].tolist() for row, mask in zip(feats["input_ids"], feats["attention_mask"])]
        prompt_length = feats.get("prompt_length")
        out["settings"].append({
            "name": setting["name"],
            "encode_kwargs": kwargs,
            "resolved_prompt": resolved,
            "prompt_length": prompt_length,
            "prompt_tokens_excluded": bool(prompt_length) and not pooling.include_prompt,
            "token_ids": ids,
            "embeddings": f32_list(emb),
            "norms": [float(np.linalg.norm(np.asarray(r, dtype=np.float64))) for r in emb],
        })
        if setting["name"] == "none":
            # model.similarity() applies similarity_fn_name (cosine / dot / euclidean / manhattan).
            out["similarity_none"] = f32_list(st.similarity(emb, emb).numpy())
    return out


def file_table(out_dir: Path) -> dict:
    table = {}
    for path in sorted(out_dir.rglob("*")):
        if path.is_file() and path.name not in ("fixtures.json", "README.md"):
            data = path.read_bytes()
            table[str(path.relative_to(out_dir))] = {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    return table


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "test/fixtures/tiny-models"))
    parser.add_argument("--only", nargs="*", help="build only these model names (fixtures.json is still rewritten "
                                                  "for all models found)")
    args = parser.parse_args()

    for pkg, want in EXPECTED_VERSIONS.items():
        have = getattr(sys.modules[pkg], "__version__")
        if have != want:
            print(f"warning: {pkg} {have}, fixtures were made with {want}", file=sys.stderr)
    logging.getLogger("sentence_transformers").setLevel(logging.ERROR)
    transformers.logging.set_verbosity_error()

    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    vocabs = {"wordpiece": train_wordpiece_vocab(), "unigram": train_unigram_vocab()}
    specs = [s for s in MODELS if not args.only or s["name"] in args.only]
    with tempfile.TemporaryDirectory() as scratch:
        for spec in specs:
            print(f"building {spec['name']}", file=sys.stderr)
            build_model(spec, vocabs, out_dir, Path(scratch))

    fixtures = {
        "generator": "scripts/make-tiny-models.py",
        "versions": {
            "sentence_transformers": sentence_transformers.__version__,
            "transformers": transformers.__version__,
            "torch": torch.__version__,
            "tokenizers": tokenizers.__version__,
            "onnx": onnx.__version__,
        },
        "explicit_prompt": EXPLICIT_PROMPT,
        "texts": TEXTS,
        "models": {},
    }
    for spec in MODELS:
        if (out_dir / spec["name"]).is_dir():
            print(f"fixtures {spec['name']}", file=sys.stderr)
            fixtures["models"][spec["name"]] = model_fixture(out_dir / spec["name"], spec)
    fixtures["files"] = file_table(out_dir)
    with open(out_dir / "fixtures.json", "w", encoding="utf-8") as f:
        json.dump(fixtures, f, ensure_ascii=False, indent=1)
        f.write("\n")
    total = sum(v["bytes"] for v in fixtures["files"].values())
    print(f"wrote {len(fixtures['models'])} models, {total} bytes of model files", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
