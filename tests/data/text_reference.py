"""The text functions as they were before the fast paths (issue 16), kept as the reference the fast ones must equal."""

from __future__ import annotations

import re
import unicodedata

QUOTE_MARKS = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "})
THOUSANDS = re.compile(r"(?<=\d)[,\u00a0 ](?=\d{3}\b)")
TOKEN = re.compile(r"[a-z0-9]+(?:\.[0-9]+)?|[\u3400-\u9fff\uf900-\ufaff]+")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fifteen": 15,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "hundred": 100,
}
ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "seventeenth": 17,
}
SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
# Number words never make more than this (a run of 2,200 "hundred" would be a 4,400-digit
# integer, past what str() converts); the rest of the run starts a new number.
MAX_NUMBER = 10**15
ORDINAL_SUFFIX = re.compile(r"^(\d+)(?:st|nd|rd|th)$")


def fold(text: str) -> str:
    """Case-fold, strip accents and unify quote marks; CJK passes through unchanged."""
    text = unicodedata.normalize("NFKC", text).translate(QUOTE_MARKS)
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def words_to_numbers(tokens: list[str]) -> list[str]:
    """Rewrite number words as digits ("fifty thousand" -> "50000") and ordinals as "9th", not "9"."""
    out: list[str] = []
    pending: int | None = None
    for place, token in enumerate(tokens):
        if token in NUMBER_WORDS:
            if token == "hundred" and pending is not None and pending * 100 > MAX_NUMBER:
                out.append(str(pending))  # "hundred hundred ..." past any real figure: a new number
                pending = None
            pending = (pending or 0) + NUMBER_WORDS[token] if token != "hundred" else (pending or 1) * 100
            continue
        if token in SCALES and (pending is not None or (out and out[-1].replace(".", "").isdigit())):
            base = pending if pending is not None else float(out.pop())
            value = base * SCALES[token]
            out.append(_number_text(value))
            pending = None
            continue
        if pending is not None:
            out.append(str(pending))
            pending = None
        ordinal = ORDINAL_WORDS.get(token)
        suffixed = ORDINAL_SUFFIX.match(token)
        if ordinal is not None:
            out.append(f"{ordinal}th")
        elif suffixed and _day_of_month(tokens, place):
            out.append(suffixed.group(1))
        elif suffixed:
            out.append(f"{suffixed.group(1)}th")
        else:
            out.append(token)
    if pending is not None:
        out.append(str(pending))
    return out


# Since 2026-12-03 (a rule, not a fast path, so the reference has it too): a day beside its
# month ("march 3rd", "the 3rd or the 23rd of march") is its digits, not an ordinal.
MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}


def _day_of_month(tokens: list[str], place: int) -> bool:
    if place > 0 and tokens[place - 1] in MONTHS:
        return True
    after = place + 1
    while after < len(tokens) and (tokens[after] in ("or", "and", "the", "to") or ORDINAL_SUFFIX.match(tokens[after])):
        after += 1
    return after + 1 < len(tokens) and tokens[after] == "of" and tokens[after + 1] in MONTHS


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def tokenize(text: str) -> list[str]:
    """Lower-case word tokens with digits joined ("50,000" -> "50000") and number words as digits."""
    folded = THOUSANDS.sub("", fold(text))
    tokens = TOKEN.findall(folded)
    return words_to_numbers(tokens)


def stem(word: str) -> str:
    """A light English stemmer: enough to equate arrest/arrests/arrested and meeting/meetings."""
    if CJK.search(word) or word[:1].isdigit() or len(word) <= 3:
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith(("sses", "xes", "ches", "shes", "zes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix, replacement in (
        ("ational", "ate"), ("ation", "ate"), ("ment", ""), ("ied", "y"), ("ing", ""), ("er", ""),
        ("ed", ""), ("ly", ""),
    ):
        shortest = {"er": 5, "ing": 4}.get(suffix, 3)
        rest = word[: len(word) - len(suffix)]
        if suffix == "ing" and len(rest) == 3 and rest[-1] not in "aeiouy":
            shortest = 3  # facing -> fac, but chaing (a typo of chiang) stays whole
        if word.endswith(suffix) and len(word) - len(suffix) >= shortest:
            word = word[: len(word) - len(suffix)] + replacement
            break
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    if len(word) > 4 and word[-1] == word[-2] and word[-1] not in "aeiouls":
        word = word[:-1]
    return word
