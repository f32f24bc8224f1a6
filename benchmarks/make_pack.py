"""Write a synthetic fact pack of N facts in the real schema, for scale benchmarks.

    python benchmarks/make_pack.py 100000 /tmp/pack-100k

Facts are varied (titles, template questions, aliases, keywords, dates, values, places,
participants, several sources), deterministic for a given N and --seed, split into files of about 1,000 facts,
with a sources.toml of the documents they cite. The pack passes `lmc validate`.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

TABLES = ("stats", "meetings", "events", "organizations", "places", "statements", "threats")
COUNTRIES = ("China", "Laos", "Myanmar", "Thailand", "Cambodia", "Vietnam")
SUBJECTS = (
    "arrests", "seizures", "fraud cases", "gambling dens", "methamphetamine tablets", "patrols",
    "victims rescued", "suspects repatriated", "boats inspected", "trainees", "projects", "loans",
    "border checkpoints", "hydropower dams", "railway stations", "cyber scams", "joint operations",
    "police officers", "firearms", "smuggled goods", "heroin", "trafficking victims", "tourists",
)
ACTIONS = ("launched", "held", "signed", "opened", "reported", "completed", "announced", "expanded")
THINGS = ("meeting", "summit", "operation", "agreement", "center", "corridor", "zone", "plan",
          "task force", "dialogue", "forum", "campaign", "programme", "initiative", "mechanism")
UNITS = ("people", "cases", "tablets", "kg", "km", "usd", "boats", "percent", "projects")
QUALIFIERS = ("more than", "about", "nearly", "at least", "over", None, None)
LEVELS = ("leaders", "foreign ministers", "ministerial", "senior officials", "working group")
SYLLABLES = ("ban", "chi", "dao", "kha", "lu", "mae", "nam", "pak", "phu", "sai", "tha", "vin",
             "wan", "xi", "yun", "ko", "la", "mon", "ra", "so", "ti", "hue", "ang", "bo")
ORDINAL_WORDS = ("First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth")


def name(rng: random.Random, parts: int = 2) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def toml_str(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def toml_list(items: list[str]) -> str:
    return "[" + ", ".join(toml_str(i) for i in items) + "]"


def make_fact(i: int, table: str, rng: random.Random, documents: int) -> list[str]:
    """One fact of a table, as TOML lines."""
    place = f"{name(rng)}, {rng.choice(COUNTRIES)}"
    year = rng.randint(1990, 2024)
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    date = rng.choice((f"{year}", f"{year}-{month:02d}", f"{year}-{month:02d}-{day:02d}"))
    subject = rng.choice(SUBJECTS)
    thing = rng.choice(THINGS)
    code = f"{name(rng, 3)}{i}"
    if table == "stats":
        value = rng.choice((rng.randint(2, 5000), rng.randint(5000, 900000), round(rng.uniform(0.5, 99), 1)))
        qualifier = rng.choice(QUALIFIERS)
        town = place.split(',')[0]
        title = f"{subject.capitalize()} in {town} ({code})"
        said = f"{qualifier + ' ' if qualifier else ''}{value} {subject}"
        text = f"Authorities in {place} reported {said} in {year}."
        questions = [f"How many {subject} were reported in {town} in {year}?",
                     f"What number of {subject} did the authorities in {place} give?",
                     f"{subject} {town} {code} figure"]
        extra = [f"value = {value}", f"unit = {toml_str(rng.choice(UNITS))}", f"measure = {toml_str(subject)}"]
        if qualifier:
            extra.append(f"qualifier = {toml_str(qualifier)}")
    elif table == "meetings":
        ordinal = rng.randint(1, 9)
        title = f"{ORDINAL_WORDS[ordinal - 1]} {name(rng)} {thing.title()} on {subject} ({code})"
        text = f"The {title} was held in {place} and {rng.choice(ACTIONS)} a plan on {subject}."
        questions = [f"Where was the {title} held?", f"When did the {code} {thing} take place?",
                     f"What did the {code} {thing} agree on {subject}?"]
        extra = [f"ordinal = {ordinal}", f"level = {toml_str(rng.choice(LEVELS))}",
                 f"participants = {toml_list(rng.sample(COUNTRIES, rng.randint(2, 6)))}",
                 f"outcomes = {toml_list([f'{name(rng)} Declaration'])}"]
    else:
        title = f"{name(rng)} {thing} {rng.choice(ACTIONS)} against {subject} ({code})"
        text = f"In {year}, the {name(rng)} {thing} in {place} {rng.choice(ACTIONS)} work against {subject}."
        questions = [f"What was done against {subject} in {place} in {year}?",
                     f"Which {thing} worked against {subject} ({code})?", f"{code} {thing} {subject}"]
        extra = []
    lines = [
        "[[fact]]",
        f"id = {toml_str(f'syn-{table}-{i}')}",
        f"title = {toml_str(title)}",
        f"questions = {toml_list(questions)}",
        f"text = {toml_str(text)}",
        f"date = {toml_str(date)}",
        f"place = {toml_str(place)}",
        f"aliases = {toml_list([f'{code} {thing}', f'{code.upper()}'])}",
        f"keywords = {toml_list(rng.sample(SUBJECTS, 2) + [name(rng)])}",
        *extra,
    ]
    for doc in rng.sample(range(documents), rng.randint(1, 3)):
        lines += ["", "[[fact.sources]]", f"doc = {toml_str(f'd{doc}')}", f"quote = {toml_str(text[:-1])}"]
    return lines


def write_pack(count: int, out: Path, seed: int = 5, per_file: int = 1000, documents: int = 40) -> None:
    """Files of `per_file` facts (fewer in small packs, so that every table occurs), one table each."""
    per_file = max(1, min(per_file, -(-count // len(TABLES))))
    rng = random.Random(seed * 1_000_003 + count)
    out.mkdir(parents=True, exist_ok=True)
    sources = []
    for d in range(documents):
        sources += ["[[document]]", f'id = "d{d}"', f'title = "Synthetic report {d}"',
                    f'kind = "{("report", "news", "analysis", "commentary")[d % 4]}"',
                    f'outlet = "{name(rng)} Wire"', ""]
    (out / "sources.toml").write_text("\n".join(sources), encoding="utf-8")
    files: dict[str, list[str]] = {}
    for i in range(count):
        chunk = i // per_file
        table = TABLES[chunk % len(TABLES)]
        lines = make_fact(i, table, rng, documents)
        key = f"{chunk:04d}-{table}"
        files.setdefault(key, [f'#:schema https://lmc.invalid/schema/facts.schema.json\ntable = "{table}"\n'])
        files[key].append("\n".join(lines) + "\n")
    for key, parts in files.items():
        (out / f"{key}.toml").write_text("\n".join(parts), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, help="how many facts")
    parser.add_argument("out", type=Path, help="directory to write (created)")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    write_pack(args.count, args.out, args.seed)
    print(f"wrote {args.count} facts to {args.out}")


if __name__ == "__main__":
    main()
