"""Text normalisation shared by matching and validation: folding, tokens, stems, numbers."""

from __future__ import annotations

import re
import unicodedata

from lmc_cli.lazy import LazyPatterns

QUOTE_MARKS = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "})
# Compiled on first use (the CJK ranges are slow to compile; folding, which loading a pack
# needs, uses none of them): THOUSANDS, TOKEN, CJK, ORDINAL_SUFFIX, DIGIT and ORDINAL_DIGITS, read as text.TOKEN.
PATTERNS = LazyPatterns(
    __name__,
    # A separator after a digit (the separator first: the search skips to one, twice as fast as
    # the lookbehind first, the same matches).
    THOUSANDS=r"[,\u00a0 ](?<=\d[,\u00a0 ])(?=\d{3}\b)",
    TOKEN=r"[a-z0-9]+(?:\.[0-9]+)?|[\u3400-\u9fff\uf900-\ufaff]+",
    CJK=r"[\u3400-\u9fff\uf900-\ufaff]",
    ORDINAL_SUFFIX=r"^(\d+)(?:st|nd|rd|th)$",
    DIGIT=r"\d",
    ORDINAL_DIGITS=r"\d(?:st|nd|rd)",
)


def __getattr__(name: str) -> re.Pattern[str]:
    return PATTERNS.module_attribute(name)


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
MONTHS = frozenset(("january", "february", "march", "april", "may", "june", "july", "august", "september",
                    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
                    "sept", "oct", "nov", "dec"))
DAY_JOINERS = frozenset(("or", "and", "the", "to"))  # between days of one month ("the 3rd or the 23rd of")
SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
NUMBERISH = frozenset((*NUMBER_WORDS, *ORDINAL_WORDS, *SCALES))  # the words words_to_numbers may rewrite
# Number words never make more than this (a run of 2,200 "hundred" would be a 4,400-digit
# integer, past what str() converts); the rest of the run starts a new number.
MAX_NUMBER = 10**15


def fold(text: str) -> str:
    """Case-fold, strip accents and unify quote marks; CJK passes through unchanged."""
    if text.isascii():  # the same result: NFKC, NFKD and the quote marks leave ASCII alone; casefold is lower
        return text.lower()
    text = unicodedata.normalize("NFKC", text).translate(QUOTE_MARKS)
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def words_to_numbers(tokens: list[str]) -> list[str]:
    """Rewrite number words as digits ("fifty thousand" -> "50000") and ordinals as "9th", not "9"."""
    out: list[str] = []
    pending: int | None = None
    run = (0, False)  # the end of the last run of days and joiners scanned, and whether "of <month>" ends it
    for place, token in enumerate(tokens):
        if pending is None and token not in NUMBER_WORDS and token not in SCALES and token not in ORDINAL_WORDS \
                and not token[:1].isdigit():
            out.append(token)  # the common case, decided as below without the regular expression
            continue
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
        suffixed = PATTERNS.ORDINAL_SUFFIX.match(token)
        if ordinal is not None:
            out.append(f"{ordinal}th")
        elif suffixed:
            if place >= run[0]:
                run = _days_run(tokens, place)  # shared by every day of the run: one scan, not one a day
            day = run[1] or (place > 0 and tokens[place - 1] in MONTHS)
            # "March 3rd", "the 3rd of March": a day, not an ordinal
            out.append(suffixed.group(1) if day else f"{suffixed.group(1)}th")
        else:
            out.append(token)
    if pending is not None:
        out.append(str(pending))
    return out


def _days_run(tokens: list[str], place: int) -> tuple[int, bool]:
    """Where the run of numbered days and joiners after `place` ends, and whether "of <month>"
    follows it ("the 3rd or the 23rd of march"). Every numbered token inside the run has the
    same answer, so a text of many "1st" is scanned once, not once a token (quadratic)."""
    after = place + 1
    while after < len(tokens) and (tokens[after] in DAY_JOINERS or PATTERNS.ORDINAL_SUFFIX.match(tokens[after])):
        after += 1
    return after, after + 1 < len(tokens) and tokens[after] == "of" and tokens[after + 1] in MONTHS


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def tokenize(text: str) -> list[str]:
    """Lower-case word tokens with digits joined ("50,000" -> "50000") and number words as digits."""
    folded = fold(text)
    digits = PATTERNS.DIGIT.search(folded) is not None
    if digits:
        folded = PATTERNS.THOUSANDS.sub("", folded)
    tokens = PATTERNS.TOKEN.findall(folded)
    # The same tokens, cheaper (most texts): words_to_numbers changes only a number word or a
    # token of digits and st, nd or rd (a token is [a-z0-9.] or CJK ideographs, none of them a
    # digit, so a token starts with a digit only if the text has one).
    if NUMBERISH.isdisjoint(tokens) and (not digits or PATTERNS.ORDINAL_DIGITS.search(folded) is None):
        return tokens
    return words_to_numbers(tokens)


_STEMS: dict[str, str] = {}
STEM_MEMO_LIMIT = 1 << 19  # words remembered (a cold build of a big pack meets each word many times)


def stem(word: str) -> str:
    """A light English stemmer: enough to equate arrest/arrests/arrested and meeting/meetings."""
    found = _STEMS.get(word)
    if found is None:
        if len(_STEMS) >= STEM_MEMO_LIMIT:
            _STEMS.clear()
        found = _STEMS[word] = _stem(word)
    return found


def _stem(word: str) -> str:
    if PATTERNS.CJK.search(word) or word[:1].isdigit() or len(word) <= 3:
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
