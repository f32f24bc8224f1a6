"""The sentence splitter and the checkable elements of a sentence (lmc_cli/curate/elements.py)."""

import pytest

pytest.importorskip("pysbd")

from lmc_cli.curate.elements import document_elements, elements, proper_words, split  # noqa: E402


def test_split_keeps_abbreviations_and_curly_quotes_inside_a_sentence():
    text = "Mr. Wang met U.S. officials. He said “security comes first.” Then he left.\nNi Yueju"
    sentences = [s.text for s in split(text)]
    assert sentences[0] == "Mr. Wang met U.S. officials."
    assert sentences[-1] == "Ni Yueju"
    for s in split(text):
        assert text[s.start:s.end] == s.text


def test_elements_of_a_sentence():
    found = {(e.kind, e.text) for e in elements(
        "Chinese Foreign Minister Wang Yi said on 12 March 2016 that over 50,000 people were arrested.")}
    assert ("date", "12 March 2016") in found
    assert ("number", "50,000") in found
    assert ("name", "Chinese Foreign Minister Wang Yi") in found
    assert ("claim", "said") in found


def kinds(sentence: str, **options: object) -> set[tuple[str, str]]:
    return {(e.kind, e.text) for e in elements(sentence, **options)}  # type: ignore[arg-type]


def test_numbers_and_dates_as_the_sentence_writes_them() -> None:
    found = kinds("Despite the COVID-19 in the first half of 2020, investment rose by 33.5% to $1.7 billion "
                  "for (1) the 17th summit and 5 million passengers in August.")
    assert ("number", "33.5%") in found and ("number", "$1.7 billion") in found and ("number", "5 million") in found
    assert ("number", "17th") in found and ("number", "first") in found
    assert ("date", "2020") in found and ("date", "August") in found
    assert ("number", "19") not in found  # the digits of a name
    assert ("number", "1") not in found  # a list marker
    assert ("number", "one") in kinds("Criminals commit crimes in one country against victims in another.")
    assert kinds("It is one of the most important rivers, a land-linked one.") == set()


def test_a_reporting_verb_used_as_an_adjective_is_no_claim() -> None:
    assert kinds("He said the China-proposed Global Security Initiative worked.") >= {("claim", "said")}
    assert ("claim", "proposed") not in kinds("He said the China-proposed Global Security Initiative worked.")
    assert ("claim", "proposed") not in kinds("The proposed integration of services reflects a new approach.")
    assert ("claim", "States") not in kinds("For instance, the United States may need to recalibrate.")
    assert ("name", "United States") in kinds("For instance, the United States may need to recalibrate.")


def test_a_heading_names_only_what_the_document_capitalises_mid_sentence() -> None:
    text = "Remarkable Achievements\nThe Sanya Declaration was issued. Work began in the Sanya Declaration's spirit.\n"
    sentences = split(text)
    assert sentences[0].heading and not sentences[1].heading
    proper = proper_words(sentences)
    assert "Sanya" in proper and "Remarkable" not in proper
    assert elements(sentences[0].text, heading=True, proper=proper) == []
    assert kinds("Law Network in the Sanya Declaration", heading=True, proper=proper) == {("name", "Sanya Declaration")}


def test_document_elements_judge_an_opening_word_by_the_rest_of_the_document() -> None:
    text = "Originating in the Tanggula Mountains, the river runs far. It leaves the Tanggula Mountains."
    (first, found), _ = document_elements(text)
    assert [e.text for e in found if e.kind == "name"] == ["Tanggula Mountains"]
    assert all(first.text[e.start:e.end] == e.text for e in found)
