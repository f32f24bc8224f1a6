"""The dotted-key guard searches only the lines with enough dots (issue 16: ten times faster on a
pack): the same first line as a search of the whole text, on texts built to be close calls."""

from __future__ import annotations

import random

from lmc_cli.load import toml


def whole_text(text: str) -> int | None:
    found = toml.LONG_DOTTED_KEY.search(text)
    return text.count("\n", 0, found.start()) + 1 if found else None


def test_the_line_by_line_search_finds_what_the_whole_text_search_finds() -> None:
    rng = random.Random(16)
    found = 0
    pieces = ["a", "b1", "_", "-", '"q"', "'l'", '"x\\"y"', ".", ".", ".", " . ", "\t", " ", "\n", "= 1", "é", "{"]
    for _ in range(3000):
        lines = []
        for _ in range(rng.randint(1, 4)):
            parts = rng.randint(20, 45)
            sep = rng.choice([".", " . ", ".\t", ". .", "."])
            keys = ["k", '"k"', "'k'", "a1", "b_-"] * 12 + ["k k", "", "\n"]  # now and then a break
            lines.append(rng.choice(["x", '"k"', "'k'"]) + "".join(sep + rng.choice(keys) for _ in range(parts))
                         + " = 1")
            lines.append("".join(rng.choice(pieces) for _ in range(rng.randint(0, 60))))
        text = "\n".join(rng.sample(lines, len(lines)))
        expected = whole_text(text) if text.count(".") >= toml.MAX_KEY_PARTS else None
        assert toml._long_dotted_key(text) == expected, text
        found += expected is not None
    assert 300 < found < 2700  # close calls both ways
