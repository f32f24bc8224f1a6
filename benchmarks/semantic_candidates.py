#!/usr/bin/env python3
"""Semantic candidates side by side on the older question sets in tests/ (top-1 by cosine, strict).

For each question the candidate embeds the question and every fact (title, text, aliases,
keywords; with --with-questions also the fact's `questions`) and takes the fact with the highest
cosine; the case counts as right when that fact's own answer fields (title, text, date, value,
place, participants, ...; not its quotes or keywords)
hold every expected group, the strict rule of shared/tools/eval_questions.py. `meeting` and `stat`
cases search only their table, as those commands do. Unanswerable cases are left out: a top-1
with no threshold never says no.

Baseline: Okapi BM25 (k1 1.2, b 0.75) over title, text, aliases, keywords and quotes, words cut
to 6 letters, each Chinese character a term, no threshold. "Rescued" counts the cases a
candidate gets right and BM25 does not. Last, each candidate fused with BM25 by reciprocal rank
fusion (k = 60, the published constant, no weights fitted): what a plain hybrid gains and loses;
and BM25 scaled to its top score plus w times the cosine for three w, to show the signal's shape
(reporting all three is a diagnostic; choosing one on these sets would be fitting to them).

Candidates (each runs only if its inputs are given and importable):
  lmc          the packaged int8 table (lmc_cli/match/semantic.py): pure Python, always runs
  float        --float-table [NAME=]T.npy: a distilled table before int8 (numpy), e.g. other
               dimensions or weightings of tools/distill_semantic.py
  wordllama    --wordllama DIR: WordLlama's l2_supercat 256-d vectors, from the unpacked wheel
               (numpy, safetensors, tokenizers)
  minilm       --minilm DIR: the all-MiniLM-L6-v2 transformer itself, for reference (torch,
               transformers); not a runtime candidate

usage: python benchmarks/semantic_candidates.py [--wordllama DIR] [--float-table T.npy] [--minilm DIR]
"""
from __future__ import annotations

import argparse
import json
import math
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lmc_cli.match import semantic  # noqa: E402

ANSWER_FIELDS = ("title", "text", "date", "date_end", "value", "unit", "qualifier", "place",
                 "participants", "outcomes", "speaker", "role", "measure")
TABLE_OF = {"meeting": "meetings", "stat": "stats"}
OLD_SETS = ("questions.jsonl", "questions_blind.jsonl", "questions_blind2.jsonl", "questions_blind3.jsonl",
            "questions_blind4.jsonl")


def load_facts() -> list[Any]:
    from lmc_cli.load.packs import load_corpus

    return list(load_corpus(use_cache=False).facts)


def squash(text: str) -> str:
    """Case- and accent-free, thousands separators dropped, runs of space as one."""
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()
    text = re.sub(r"(?<=\d)[,\u00a0 ](?=\d{3}\b)", "", text)
    return re.sub(r"\s+", " ", text)


def answer_fields(fact: Any) -> str:
    record = fact.to_dict()
    out = []
    for key in ANSWER_FIELDS:
        value = record.get(key)
        if value is None:
            continue
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        out.append(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
    return squash(" | ".join(out))


def right(fact: Any, case: dict[str, Any]) -> bool:
    text = answer_fields(fact)
    return all(any(squash(s) in text for s in group) for group in case["expect"])


WITH_QUESTIONS = False  # --with-questions: the facts' `questions` join both sides


def embed_text(fact: Any) -> str:
    questions = getattr(fact, "questions", ()) if WITH_QUESTIONS else ()
    return semantic.fact_text(fact.title, fact.text, fact.aliases, fact.keywords, questions)


class BM25:
    def __init__(self, docs: Sequence[str]) -> None:
        self.docs = [Counter(self.terms(d)) for d in docs]
        self.lengths = [sum(d.values()) for d in self.docs]
        self.avg = sum(self.lengths) / max(1, len(self.lengths))
        df: Counter[str] = Counter()
        for d in self.docs:
            df.update(d.keys())
        n = len(self.docs)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}

    @staticmethod
    def terms(text: str) -> list[str]:
        return [w[:6] for w in re.findall(r"[a-z0-9]+|[\u3400-\u9fff\uf900-\ufaff]", squash(text))]

    def scores(self, query: str, only: Sequence[int]) -> list[float]:
        q = self.terms(query)
        out = []
        for i in only:
            d, length, s = self.docs[i], self.lengths[i], 0.0
            for t in q:
                f = d.get(t, 0)
                if f:
                    s += self.idf[t] * f * 2.2 / (f + 1.2 * (0.25 + 0.75 * length / self.avg))
            out.append(s)
        return out


Embedder = Callable[[Sequence[str]], list[list[float]]]


def lmc_embedder(texts: Sequence[str]) -> list[list[float]]:
    return [semantic.unpack(semantic.pack(semantic.embed(t))) for t in texts]


def numpy_table_embedder(path: Path) -> Embedder:
    import numpy as np

    table = np.load(path)
    vocab = semantic.table().vocab

    def run(texts: Sequence[str]) -> list[list[float]]:
        out = []
        for t in texts:
            ids = [vocab[p] for p in semantic.tokens(t) if p != semantic.UNKNOWN]
            v = table[ids].sum(axis=0) if ids else np.zeros(table.shape[1])
            n = np.linalg.norm(v)
            out.append((v / n if n else v).tolist())
        return out

    return run


def wordllama_embedder(folder: Path) -> Embedder:
    import numpy as np
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    weights = load_file(str(folder / "weights" / "l2_supercat_256.safetensors"))["embedding.weight"].astype(np.float32)
    tokenizer = Tokenizer.from_file(str(folder / "tokenizers" / "l2_supercat_tokenizer_config.json"))

    def run(texts: Sequence[str]) -> list[list[float]]:
        out = []
        for t in texts:
            ids = [min(i, weights.shape[0] - 1) for i in tokenizer.encode(t, add_special_tokens=False).ids]
            v = weights[ids].mean(axis=0) if ids else np.zeros(weights.shape[1], dtype=np.float32)
            n = np.linalg.norm(v)
            out.append((v / n if n else v).tolist())
        return out

    return run


def minilm_embedder(folder: Path) -> Embedder:
    import torch
    from transformers import AutoModel, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(folder), local_files_only=True)
    model = AutoModel.from_pretrained(str(folder), local_files_only=True).eval()

    def run(texts: Sequence[str]) -> list[list[float]]:
        out: list[list[float]] = []
        with torch.inference_mode():
            for start in range(0, len(texts), 32):
                batch = tok(list(texts[start:start + 32]), padding=True, truncation=True, return_tensors="pt")
                hidden = model(**batch).last_hidden_state
                mask = batch["attention_mask"].unsqueeze(-1).float()
                pooled = (hidden * mask).sum(1) / mask.sum(1)
                out.extend(torch.nn.functional.normalize(pooled, dim=1).tolist())
        return out

    return run


LINEAR_WEIGHTS = (0.1, 0.3, 1.0)
RRF_K = 60  # the constant of Cormack, Clarke and Buettcher (2009), not fitted here


def ranks(scores: Sequence[float]) -> list[int]:
    """1-based rank of each score, highest first (ties keep their order)."""
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    out = [0] * len(scores)
    for rank, i in enumerate(order, 1):
        out[i] = rank
    return out


def dot(a: Sequence[float], b: Sequence[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--wordllama", type=Path)
    parser.add_argument("--float-table", action="append", default=[], metavar="[NAME=]T.npy",
                        help="a float table from tools/distill_semantic.py --save-float (repeatable)")
    parser.add_argument("--minilm", type=Path)
    parser.add_argument("--sets", nargs="*", type=Path, default=[ROOT / "tests" / name for name in OLD_SETS],
                        help="question sets (default: the five older sets; never questions_frozen.jsonl)")
    parser.add_argument("--misses", action="store_true", help="list the cases each candidate rescues")
    parser.add_argument("--with-questions", action="store_true",
                        help="add each fact's `questions` to what BM25 and the embeddings see")
    args = parser.parse_args()
    global WITH_QUESTIONS
    WITH_QUESTIONS = args.with_questions

    facts = load_facts()
    bm25 = BM25([" ".join([embed_text(f), *(c.quote for c in f.sources)]) for f in facts])
    embedders: dict[str, Embedder] = {"lmc": lmc_embedder}
    for spec in args.float_table:
        name, _, path = spec.rpartition("=")
        embedders[name or "float"] = numpy_table_embedder(Path(path))
    if args.wordllama:
        embedders["wordllama"] = wordllama_embedder(args.wordllama)
    if args.minilm:
        embedders["minilm"] = minilm_embedder(args.minilm)
    fact_vectors = {name: emb([embed_text(f) for f in facts]) for name, emb in embedders.items()}

    names = ["bm25", *embedders]
    fused: dict[str, list[bool]] = {n: [] for n in embedders}
    linear: Counter[tuple[str, float]] = Counter()
    base: dict[str, list[bool]] = {n: [] for n in embedders}
    totals = Counter()
    print(f"{len(facts)} facts; top-1 right (strict) / answerable cases; (+N) = rescued vs BM25")
    header = f"{'set':24s} {'n':>4s} " + " ".join(f"{n:>14s}" for n in names)
    print(header)
    for path in args.sets:
        cases = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        cases = [c for c in cases if not c.get("negative")]
        questions = [c["cmd"][-1] for c in cases]
        q_vectors = {name: emb(questions) for name, emb in embedders.items()}
        hits: dict[str, list[bool]] = {n: [] for n in names}
        for qi, case in enumerate(cases):
            table = TABLE_OF.get(case["cmd"][0])
            only = [i for i, f in enumerate(facts) if table is None or f.table == table]
            lex = bm25.scores(questions[qi], only)
            hits["bm25"].append(right(facts[only[max(range(len(only)), key=lex.__getitem__)]], case))
            lex_rank = ranks(lex)
            for name in embedders:
                qv, fv = q_vectors[name][qi], fact_vectors[name]
                sem = [dot(qv, fv[i]) for i in only]
                hits[name].append(right(facts[only[max(range(len(only)), key=sem.__getitem__)]], case))
                sem_rank = ranks(sem)
                rrf = [1 / (RRF_K + a) + 1 / (RRF_K + b) for a, b in zip(lex_rank, sem_rank, strict=True)]
                top = only[max(range(len(only)), key=lambda j, rrf=rrf, lex=lex: (rrf[j], lex[j]))]
                fused[name].append(right(facts[top], case))
                base[name].append(hits["bm25"][-1])
                peak = max(lex) or 1.0
                for w in LINEAR_WEIGHTS:
                    mix = [a / peak + w * b for a, b in zip(lex, sem, strict=True)]
                    linear[name, w] += right(facts[only[max(range(len(only)), key=mix.__getitem__)]], case)
        cells = []
        for n in names:
            ok = sum(hits[n])
            totals[n] += ok
            if n == "bm25":
                cells.append(f"{ok:>14d}")
            else:
                rescued = sum(h and not b for h, b in zip(hits[n], hits["bm25"], strict=True))
                either = sum(h or b for h, b in zip(hits[n], hits["bm25"], strict=True))
                totals[n + "+"] += rescued
                totals[n + "|"] += either
                cells.append(f"{f'{ok} (+{rescued}) {either}':>14s}")
                if args.misses:
                    for i, (h, b) in enumerate(zip(hits[n], hits["bm25"], strict=True)):
                        if h and not b:
                            print(f"   {n} rescues {cases[i]['id']}: {questions[i]}")
        totals["n"] += len(cases)
        print(f"{path.name:24s} {len(cases):>4d} " + " ".join(cells))
    cells = [f"{totals['bm25']:>14d}"] + [
        f"{f'{totals[n]} (+{totals[n + chr(43)]}) {totals[n + chr(124)]}':>14s}" for n in embedders
    ]
    print(f"{'all':24s} {totals['n']:>4d} " + " ".join(cells))
    print("cell: right (+rescued vs BM25) right-by-either")
    print(f"fused with BM25 by reciprocal rank (k = {RRF_K}, no weights; ties to BM25's score):")
    for name in embedders:
        gained = sum(f and not b for f, b in zip(fused[name], base[name], strict=True))
        lost = sum(b and not f for f, b in zip(fused[name], base[name], strict=True))
        print(f"  bm25+{name:12s} {sum(fused[name]):4d} right of {totals['n']} (BM25 alone {sum(base[name])}: "
              f"+{gained} gained, -{lost} lost)")
    print("BM25 / its top score + w * cosine, for a few w (a diagnostic of the signal's shape on these sets, "
          "not weights to use):")
    for name in embedders:
        cells = "  ".join(f"w={w}: {linear[name, w]}" for w in LINEAR_WEIGHTS)
        print(f"  bm25+{name:12s} {cells}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
