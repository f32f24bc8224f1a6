"""The matching core on its own: question types, normalisation, ranking and the no-answer bar."""

from __future__ import annotations

import pytest

from lmc_cli.match.rank import Index, focus, question_type, rank, terms_of
from lmc_cli.match.text import fold, stem, tokenize
from lmc_cli.model import Citation, Fact


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("how many arrests were reported", "figure"),
        ("How much did investment rise", "figure"),
        ("what share of seizures", "figure"),
        ("when was the center opened", "date"),
        ("What year did the plan start", "date"),
        ("where does the river originate", "place"),
        ("who translated the article", "person"),
        ("who is the chinese foreign minister", "identity"),
        ("which professor spoke", "person"),
        ("which meeting launched the mechanism", "meeting"),
        ("what is the 3+5+X framework", "definition"),
        ("sanya", None),
    ],
)
def test_question_type(question: str, kind: str | None) -> None:
    assert question_type(question) == kind


def test_fold_strips_accents_and_case_but_keeps_cjk() -> None:
    assert fold("Café ÉRAWAN") == "cafe erawan"
    assert fold("澜湄合作") == "澜湄合作"


def test_tokenize_joins_thousands_and_reads_number_words() -> None:
    assert "50000" in tokenize("more than 50,000 people")
    assert "50000" in tokenize("fifty thousand people")
    assert "1700000000" in tokenize("$1.7 billion")
    assert tokenize("the Ninth meeting")[1] == "9th"
    assert tokenize("17th summit")[0] == "17th"
    assert tokenize("six countries")[0] == "6"  # a count is not an ordinal


def test_stems_equate_inflections() -> None:
    assert stem("arrests") == stem("arrested") == stem("arrest")
    assert stem("repatriated") == stem("repatriation")
    assert stem("meetings") == stem("meeting")


def test_terms_drop_question_words_and_unify_phrases() -> None:
    assert terms_of("how many were handed over") == [stem("handover")]
    assert terms_of("FM meeting") == [stem("foreign"), stem("ministers"), stem("meeting")]


def _fact(fact_id: str, title: str, text: str, **extra: object) -> Fact:
    return Fact(id=fact_id, table=str(extra.pop("table", "events")), title=title, text=text,
                sources=(Citation("d", text),), **extra)  # type: ignore[arg-type]


INDEX = Index.build([
    _fact("boats", "Boats counted", "The council counted more than 1,200 boats.", table="stats", value=1200),
    _fact("council", "Council founded", "The river council was founded in Riverton.", date="2019"),
    _fact("lighthouse", "Lighthouse opened", "A lighthouse opened on the river bank.", date="2021"),
])


def test_rank_puts_the_answering_fact_first() -> None:
    assert rank(INDEX, "how many boats").matches[0].fact.id == "boats"
    assert rank(INDEX, "when was the council established").matches[0].fact.id == "council"


def test_typos_are_forgiven() -> None:
    assert rank(INDEX, "lighthuose").matches[0].fact.id == "lighthouse"


def test_run_together_words_are_read_as_two() -> None:
    terms = rank(INDEX, "lighthouseriver").terms
    assert [t.term for t in terms] == ["lighthous", "river"]
    assert rank(INDEX, "when was the rivercouncil founded").matches[0].fact.id == "council"


def test_a_word_is_not_split_into_stop_words_or_when_nearly_known() -> None:
    assert [t.term for t in rank(INDEX, "theriver").terms] == ["theriv"]  # "the" is a stop word
    assert [t.term for t in rank(INDEX, "lighthuose").terms] == ["lighthuos"]  # a typo, not two words
    assert [t.term for t in rank(INDEX, "riverbank").terms] == ["riverbank"]  # "river" is close enough


def test_question_with_absent_key_terms_is_not_answered() -> None:
    ranking = rank(INDEX, "population of riverton")
    assert not ranking.answered
    assert ranking.matches == []
    assert ranking.candidates  # near facts are still offered as suggestions


def test_rare_terms_outweigh_common_ones() -> None:
    ranking = rank(INDEX, "river lighthouse")
    assert ranking.matches[0].fact.id == "lighthouse"


def test_table_restriction() -> None:
    ranking = rank(INDEX, "river council", tables=["stats"])
    assert all(m.fact.table == "stats" for m in ranking.matches)


@pytest.mark.parametrize(
    ("question", "focused"),
    [
        ("I'm a student. When is the railway to open?", "When is the railway to open?"),
        ("For a feature on river security, could you tell me which departments exist?",
         "could you tell me which departments exist?"),
        ("Hi, I'm covering the talks: what was agreed?", "what was agreed?"),
        ("which meeting launched the mechanism", "which meeting launched the mechanism"),
        ("sanya leaders meeting", "sanya leaders meeting"),
    ],
)
def test_focus_keeps_the_clauses_that_ask(question: str, focused: str) -> None:
    assert focus(question) == focused


@pytest.mark.parametrize(
    ("question", "kind"),
    [("澜沧江发源于哪里", "place"), ("第一次外长会议是什么时候", "date"), ("抓了多少人", "figure"),
     ("谁翻译了这篇文章", "person")],
)
def test_question_type_in_chinese(question: str, kind: str) -> None:
    assert question_type(question) == kind


def test_ordinal_word_one_of_is_not_a_number() -> None:
    assert "1" not in terms_of("one of the primary challenges")


def test_a_named_place_must_be_named_by_the_answer() -> None:
    index = Index.build([
        _fact("lighthouse", "Lighthouse opened", "A lighthouse opened on the river bank in 2021.", date="2021"),
        _fact("council", "Council founded", "The river council was founded.", place="Riverton"),
        _fact("boats", "Boats counted", "The council counted boats on the river.", table="stats", value=12),
    ])
    assert rank(index, "when did the lighthouse open").matches[0].fact.id == "lighthouse"
    assert not rank(index, "when did the lighthouse in riverton open").answered
    assert rank(index, "council founded in riverton").matches[0].fact.id == "council"


def test_who_is_wants_a_person_or_body_not_a_meeting_they_attended() -> None:
    index = Index.build([
        _fact("summit", "Harbour summit", "Ministers of Riverton and Lakeside met at the harbour.",
              table="meetings", participants=["Riverton", "Lakeside"]),
        _fact("mayor", "Ada Reyes", "Ada Reyes is the mayor of Riverton.", table="people", role="mayor of Riverton"),
    ])
    assert rank(index, "who is the mayor of riverton").matches[0].fact.id == "mayor"
    assert not rank(index, "who is the minister of lakeside").answered
    assert rank(index, "who met at the harbour").matches[0].fact.id == "summit"
