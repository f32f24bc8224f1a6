"""Questions that name their source prefer the facts that source states."""

from __future__ import annotations

import pytest
from helpers import records

from lmc_cli.load.packs import load_corpus
from lmc_cli.match.attribution import split


@pytest.fixture(scope="module")
def documents():  # type: ignore[no-untyped-def]
    return list(load_corpus().documents.values())


@pytest.mark.parametrize(
    ("question", "rest", "labels"),
    [
        ("according to document 004, what happened to the 50,000", "what happened to the 50,000", ["004"]),
        ("how many people were arrested according to 001", "how many people were arrested", ["001"]),
        ("what did wang yi say in the WNAM report", "what did wang yi say", ["003"]),
        ("in doc 3 who called for a ministerial meeting", "who called for a ministerial meeting", ["003"]),
        ("according to the article by Ni Yueju, what is the most prominent threat",
         "what is the most prominent threat", ["000"]),
        ("In the article 'A New Era of Cooperation: Southeast Asia's Fight Against Organized Crime', what did"
         " Wang Yi plan?", "what did Wang Yi plan?", ["004"]),
        ("what does \u201cShared River, Shared Future\u201d say about the railway", "what does say about the railway",
         ["000"]),
    ],
)
def test_source_phrases_are_split_off_and_resolved(documents, question: str, rest: str, labels: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert split(question, documents) == (rest, labels)


@pytest.mark.parametrize(
    "question",
    ["who spoke in chiang mai", "how many arrests in 2024", "what is in the concept paper",
     "what did ni yueju write about terrorism", "what did Wang Yi's 'early harvest' projects lead to"],
)
def test_ordinary_questions_name_no_source(documents, question: str) -> None:  # type: ignore[no-untyped-def]
    assert split(question, documents) == (question, [])


def test_the_named_document_decides_a_disputed_figure() -> None:
    by_004 = records("ask", "according to document 004, what happened to more than 50,000 people")[0]
    by_003 = records("ask", "according to document 003, how many people were arrested")[0]
    assert "004" in {s["doc"] for s in by_004["sources"]}
    assert "face trial" in str(by_004)
    assert "003" in {s["doc"] for s in by_003["sources"]}
    assert by_003["value"] == 50000
