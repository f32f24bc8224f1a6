"""Does a fact fill the slot a question asks for? A figure of the measure asked, a date for
"when", a place for "where", a person or body (in the role asked) for "who", a meeting for
"which meeting", a list of the count asked. Each check gives 0 (the fact lacks the slot)
to 1 (the fact fills it); the decision weighs it with the other signals.
"""

from __future__ import annotations

import re

from lmc_cli.match.lexicon import lexicon
from lmc_cli.match.query import Slot, terms_of
from lmc_cli.match.text import THOUSANDS, stem, tokenize
from lmc_cli.model import Fact

MONTHS = (r"January|February|March|April|May|June|July|August|September|October|November|December|"
          r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday")
MENTIONS_DATE = re.compile(rf"\b(?:{MONTHS}|(?:19|20)\d\d)\b")
MENTIONS_MONTH_OR_YEAR = re.compile(r"\b(?:January|February|March|April|May|June|July|August|September|October|"
                                    r"November|December|(?:19|20)\d\d)\b")
WEEKDAY = re.compile(r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
YEAR = re.compile(r"\b(?:19|20)\d\d\b")
NUMBER = re.compile(r"\d")
PLACE_PHRASE = re.compile(r"\b(?:in|at|from|near|to) (?:the )?[A-Z][a-z]+")
MEETING_WORDS = frozenset(terms_of("meeting summit conference discussion talks declaration session"))
PERSON_TABLES = {"people": 1.0, "organizations": 0.9}


def _stems(fact: Fact, *, quotes: bool = False) -> set[str]:
    texts = [fact.title, fact.text, fact.measure or "", fact.unit or "", fact.role or "", fact.speaker or "",
             *fact.aliases, *fact.keywords, *fact.outcomes]
    if quotes:
        texts += [c.quote for c in fact.sources]
    return {t for text in texts for t in terms_of(text)}


NUMBER_SCALES = frozenset(("hundred", "thousand", "million", "billion", "trillion"))  # "billions of dollars"
NUMBER_REACH = 4  # words either side of a number that say what it counts ("50,000 people were arrested")


def _near_numbers(fact: Fact) -> set[str]:
    """For a fact whose figure is only in its words: the stems near a number of its title or text
    (not a year), so "charged" far from "$2 billion in assets" does not make the sum a count of the
    charged."""
    near: set[str] = set()
    for text in (fact.title, fact.text, *fact.outcomes):
        words = [stem(w) for w in tokenize(YEAR.sub(" ", text))]  # every word counts toward the reach
        for i, word in enumerate(words):
            if word[:1].isdigit() or word in NUMBER_SCALES:
                near.update(words[max(0, i - NUMBER_REACH) : i + NUMBER_REACH + 1])
    return near


def _figure_stems(fact: Fact) -> set[str]:
    """The words that say what a fact's figure is of: a fact that says what its figure measures
    (value, measure, unit) is read whole; one whose figure is only in its words, by the words
    near a number."""
    return _stems(fact) if fact.value is not None or fact.measure or fact.unit else _near_numbers(fact)


FIGURE = re.compile(r"\d+(?:\.\d+)?")


def _figures(fact: Fact) -> set[float]:
    """The figures a fact gives: its value, or the numbers of its title and text (not years)."""
    if fact.value is not None:
        return {float(fact.value)}
    return {float(n) for n in FIGURE.findall(THOUSANDS.sub("", YEAR.sub(" ", f"{fact.title} {fact.text}")))}


def _has_number(fact: Fact) -> bool:
    if fact.value is not None:
        return True
    return bool(NUMBER.search(YEAR.sub("", " ".join((fact.title, fact.text)))))


def _names_owner(fact: Fact, owner: str) -> bool:
    """Whether the fact's own naming of a role (its role, title, aliases, keywords, speaker) names
    whose it is: the owner's stem, or a word sharing its first four letters (Thailand, Thai)."""
    words = {t for text in (fact.role or "", fact.title, fact.speaker or "", *fact.aliases, *fact.keywords)
             for t in terms_of(text)}
    return owner in words or any(len(w) >= 3 and w[:4] == owner[:4] for w in words)


def figure_unit(fact: Fact) -> str | None:
    """The kind of unit a fact's figure is in (money, percent, length), from its unit or, for a
    figure only in its words, a mark in its text ("$2 billion", "8.7%"); "count" for a unit of
    another kind ("people", "countries"); None when nothing says."""
    kinds = lexicon().unit_kinds
    if fact.unit:
        unit = fact.unit.lower()
        return next((kind for kind, words, _ in kinds if unit in words), "count")
    if fact.value is not None:
        return None
    found = {kind for kind, _, mark in kinds if mark.search(fact.text)}
    return found.pop() if len(found) == 1 else None


LIST_BREAK = re.compile(r"[.;:!?]\s")
# An "and" or "or" with the comma before it; the last of a sentence ends its list. Only the
# first blank of a run may start it, and the last is found by one pass over the matches: a
# lookahead for a later "and" from each one, and a match tried from every blank of a run, were
# quadratic in a hostile fact's text.
LIST_AND = re.compile(r"(?:,|(?<![\s,]))\s+(?:and|or)\s+")


def _listed_counts(fact: Fact) -> set[int]:
    """How many items the lists in a fact's title and text name ("the A, the B and the C": 3;
    a title's "Centers the LMC established: water resources, environment, Mekong studies": 3),
    for "name the three centres"."""
    counts: set[int] = set()
    # The comma of "1,500 scholarships" groups digits; it separates no items.
    _, colon, tail = THOUSANDS.sub("", fact.title).partition(": ")
    if colon and "," in tail:
        counts.add(len([p for p in re.split(r",\s*|\s+and\s+", tail) if p.strip()]))
    for sentence in LIST_BREAK.split(THOUSANDS.sub("", fact.text)):
        last = next(reversed(list(LIST_AND.finditer(sentence))), None)
        if last:
            pieces = sentence[: last.start()].split(",")
            counts.add(len(pieces) + 1)
    return counts


def fill(slot: Slot, fact: Fact, synonyms: dict[str, frozenset[str]] | None = None,
         *, names_place: bool = False, meeting_related: bool = False, subject: bool = False) -> float:
    """How well `fact` fills `slot`: 1 fills it, 0 lacks it. `synonyms` maps a stem to the
    stems that stand for it (true synonyms, typo corrections); `names_place`, whether the fact's
    text names a place or party some fact of the corpus has as its place or parties, other than
    those the question names (for "where" and "who"); `meeting_related`, whether a fact it is
    related to is a meeting; `subject`, whether the question names the fact by its title or an alias."""
    kind = slot.kind
    if kind == "figure":
        if fact.participants and len(fact.participants) > 1 and set(slot.measure) <= lexicon().counted_parties \
                and slot.measure and not slot.whole:
            return 1.0  # "how many countries' ministers met": the parties the fact names, counted
        if not _has_number(fact):
            return 0.0
        unit = figure_unit(fact) if slot.unit else None
        if unit is not None and unit != slot.unit:
            return 0.3  # "in US dollars" asked, a growth rate given: the documents do not say the sum
        if slot.whole is not None and _figures(fact) == {slot.whole}:
            return 0.3  # "how many of the 50,000 were in Thailand": the 50,000 is given, a part asked
        if slot.part and not (lexicon().part_words & _figure_stems(fact)):
            return 0.3  # the length of the river's Chinese section asked, the whole river's given
        if not slot.measure:
            return 1.0
        stems = _figure_stems(fact)
        table = synonyms or {}
        held = sum(1 for m in slot.measure if m in stems or table.get(m, frozenset()) & stems)
        return 1.0 if 2 * held >= len(slot.measure) else 0.3
    if kind == "date":
        if slot.weekday and WEEKDAY.search(fact.text):
            return 1.0  # "on what day did they meet": "on Friday" is what the documents say
        if slot.year and not fact.date and not YEAR.search(fact.text):
            return 0.3  # the year is asked; the documents give a month at most, the year is the public record's
        if slot.day and not (fact.date and len(fact.date) >= len("YYYY-MM-DD")):
            return 0.3  # the day is asked; the documents give only the month or year, or no date
        if fact.date:
            return 1.0
        if MENTIONS_DATE.search(fact.text):
            # the text states one month or year ("in August"), the public record the rest (shown as
            # such); a weekday alone ("on Saturday") answers no calendar question, and a text naming
            # several dates is about more than one thing (a disagreement, a history)
            stated = MENTIONS_MONTH_OR_YEAR.findall(fact.text)
            return 0.8 if fact.effective_date and len(stated) == 1 else 0.6
        return 0.5 if fact.effective_date else 0.0  # a date from the public record (shown as such)
    if kind == "place":
        if fact.place or fact.table == "places":
            return 1.0
        if fact.participants and slot.role == "country":
            return 0.8  # "which countries ..." is answered by the parties named
        if fact.table == "meetings":
            return 0.0  # a meeting's place is its `place`: without one, the documents do not say
        if fact.table == "people" and fact.role and PLACE_PHRASE.search(fact.role):
            return 0.8  # "where does she teach": a role held at a named place ("professor at X University")
        if names_place:
            # "for which countries is China the largest partner": "(Cambodia, Myanmar, ...)"; "in
            # which city was the gathering": "the Chiang Mai gathering". A place the question
            # itself names is not its answer.
            return 0.8
        return 0.5 if PLACE_PHRASE.search(fact.text) else 0.0
    if kind == "meeting":
        if fact.table == "meetings":
            return 1.0
        if MEETING_WORDS & set(terms_of(fact.text + " " + fact.title)):
            # "put forward at the 17th ASEAN-China Summit", the summit a fact of its own: the text
            # names the meeting; a meeting word alone may name none ("a future meeting")
            return 0.8 if meeting_related else 0.6
        return 0.0
    if kind in ("person", "identity"):
        score = PERSON_TABLES.get(fact.table, 0.0)
        if score and subject and slot.role and kind == "person" and not names_place and fact.table != "people":
            score = 0.3  # "who commands the Joint Patrol Command": the body asked about is not its own agent
        if not score:
            # a text naming a party or place of the corpus other than the question's own ("Wang Yi
            # called for ...", "China called for ...") says who did it, as a speaker would
            named = names_place and kind == "person"
            score = 0.8 if fact.speaker or fact.role or named else 0.3
            if fact.participants and not (fact.speaker or fact.role):
                # "who met", "who took part": the parties answer; "who is X" asks what X is, not who was
                # there; "who is the director of X" asks for whoever holds an office, and "who headed",
                # "who chaired" for whoever played a part no party plays (lexicon.json party_roles)
                plays = slot.role is None or slot.role in lexicon().party_roles
                score = 0.3 if slot.holder or not plays else 0.8 if kind == "person" else 0.6
        parties_play = bool(fact.participants) and slot.role in lexicon().party_roles
        if slot.role and kind == "person" and not parties_play:
            stems = _stems(fact)
            table = synonyms or {}
            if not (slot.role in stems or table.get(slot.role, frozenset()) & stems):
                # A speaker's words may word the role otherwise (compared, likened); a fact
                # with no speaker that never names the role does not say who played it.
                # A speaker's statement keeps its 0.8 for what was said or done ("who compared"),
                # not for an office ("who is the president of X"), which it does not name.
                said = fact.speaker and not slot.holder
                score *= 1.0 if said else 0.8 if fact.speaker or fact.table == "people" else 0.5
        if slot.owner and kind == "person" and not _names_owner(fact, slot.owner):
            score = min(score, 0.3)  # Wang Yi is a foreign minister, but not Thailand's
        return score
    if slot.count:
        counted = {len(fact.outcomes), len(fact.participants), *_listed_counts(fact)}
        if fact.value is not None:
            counted.add(int(fact.value))
        if slot.count in counted or str(slot.count) in terms_of(fact.title + " " + fact.text):
            return 1.0
        return 0.5
    return 1.0
