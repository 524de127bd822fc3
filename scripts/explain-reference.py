"""Reference for `minilm explain` / engine.tokenEmbeddings: what sentence-transformers 6.2.0 gives.

For each tiny model and text pair: the word pieces (tokenizer.convert_ids_to_tokens), the special flags
(all_special_ids minus the unknown token), `encode(text, output_value="token_embeddings")`, the cosine matrix over
the non-special pieces, greedy precision / recall / F1 (BERTScore without idf) and the cosine of the two sentence
embeddings. Writes test/fixtures/explain-reference.json (token rows rounded to 7 significant digits; only the first
row of each text is kept, to keep the file small).

    HF_HUB_OFFLINE=1 /tmp/stvenv/bin/python scripts/explain-reference.py
"""
import json
import os

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
        "first_row": [float(f"{v:.7g}") for v in emb[0]],
        "emb": emb,
    }


def cos_matrix(a, b):
    a = a / np.linalg.norm(a, axis=1, keepdims=True)
    b = b / np.linalg.norm(b, axis=1, keepdims=True)
    return a @ b.T


def main():
    torch.manual_seed(0)
    out = {"versions": {"sentence_transformers": sentence_transformers.__version__, "torch": torch.__version__}, "cases": []}
    for name in CASES:
        model = SentenceTransformer(os.path.join(MODELS, name), device="cpu")
        for text_a, text_b in PAIRS:
            a, b = side(model, text_a), side(model, text_b)
            rows = [i for i, s in enumerate(a["special"]) if not s]
            cols = [j for j, s in enumerate(b["special"]) if not s]
            m = cos_matrix(a["emb"][rows], b["emb"][cols])
            p = float(m.max(axis=1).mean())
            r = float(m.max(axis=0).mean())
            vecs = model.encode([text_a, text_b], convert_to_numpy=True).astype(np.float64)
            cosine = float(vecs[0] @ vecs[1] / (np.linalg.norm(vecs[0]) * np.linalg.norm(vecs[1])))
            for s in (a, b):
                del s["emb"]
            out["cases"].append({
                "model": name,
                "max_seq_length": model.max_seq_length,
                "texts": [text_a, text_b],
                "a": a,
                "b": b,
                "tokens_a": [a["tokens"][i] for i in rows],
                "tokens_b": [b["tokens"][j] for j in cols],
                "matrix": [[round(float(v), 7) for v in row] for row in m],
                "precision": p,
                "recall": r,
                "f1": 2 * p * r / (p + r),
                "cosine": cosine,
            })
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"wrote {OUT}: {len(out['cases'])} cases, {os.path.getsize(OUT)} bytes")


if __name__ == "__main__":
    main()
