"""Check that every quote in facts/*.toml occurs verbatim in its seed document.

A stop-gap for curators until `lmc validate --against` exists; whitespace and
quote-mark style are normalised, nothing else.
"""
import re
import sys
import tomllib
from pathlib import Path

QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(QUOTES)).strip()


root = Path(__file__).resolve().parent.parent
seeds = root.parent / "shared" / "seeds"
docs = {d["id"]: norm((seeds / d["file"]).read_text(encoding="utf-8"))
        for d in tomllib.loads((root / "facts" / "sources.toml").read_text())["document"]}
bad = 0
ids: dict[str, str] = {}
for path in sorted((root / "facts").glob("*.toml")):
    if path.name == "sources.toml":
        continue
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    for fact in data.get("fact", []):
        if fact["id"] in ids:
            print(f"{path.name}: duplicate id {fact['id']} (also in {ids[fact['id']]})")
            bad += 1
        ids[fact["id"]] = path.name
        for src in fact.get("sources", []):
            if norm(src["quote"]) not in docs[src["doc"]]:
                print(f"{path.name}: {fact['id']}: quote not in {src['doc']}: {src['quote'][:70]!r}")
                bad += 1
print(f"{len(ids)} facts, {bad} problems")
sys.exit(1 if bad else 0)
