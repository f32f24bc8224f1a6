"""`lmc ask`: the fact that answers, cited; or an honest "no fact answers that"."""

import json
import re

from helpers import invoke, records

from lmc_cli.errors import ExitCode


def test_launch_question_finds_the_sanya_meeting() -> None:
    top = records("ask", "which meeting launched the mechanism")[0]
    assert top["id"] == "lmc-leaders-meeting-1-sanya"


def test_how_many_wants_a_figure() -> None:
    top = records("ask", "how many people were arrested")[0]
    assert top["value"] == 50000


def test_synonyms_and_inflections() -> None:
    assert records("ask", "how many suspects were repatriated to china")[0]["value"] == 31000
    assert records("ask", "how long is the china laos railroad")[0]["value"] == 600
    assert records("ask", "how many ringleaders were handed over")[0]["value"] == 63


def test_numbers_written_as_words_match_digits() -> None:
    top = records("ask", "which meeting endorsed forty-five projects")[0]
    assert "45" in top["text"]


def test_chinese_alias() -> None:
    assert "Lancang-Mekong" in records("ask", "澜湄合作")[0]["title"]
    assert records("ask", "王毅")[0]["id"] == "wang-yi"


def test_question_words_do_not_need_to_match() -> None:
    top = records("ask", "who translated the article by Ni Yueju")[0]
    assert top["id"] == "agnes"


def test_unanswerable_question_exits_1_with_suggestions() -> None:
    result = invoke("ask", "what is the population of laos")
    assert result.exit_code == ExitCode.NO_MATCH
    assert result.stdout == ""
    # Either no fact is close, or the closest (a fact about Laos) has no population figure.
    assert "no fact answers that" in result.stderr or "the documents do not say" in result.stderr
    assert "did you mean" in result.stderr


def test_off_topic_question_is_rejected() -> None:
    assert invoke("ask", "bitcoin price").exit_code == ExitCode.NO_MATCH


def test_explain_goes_to_stderr_and_names_type_terms_and_scores() -> None:
    result = invoke("ask", "how many arrests", "--explain", "--format", "json")
    assert result.exit_code == 0
    assert "question type: figure" in result.stderr
    assert "term 'arrest'" in result.stderr
    assert re.search(r"candidate arrests-50000: p=0\.\d\d score", result.stderr)
    assert "slot asked: figure, measure arrest" in result.stderr
    assert "fills the slot" in result.stderr
    assert re.search(r"decision: answered \(confidence 0\.\d\d\)", result.stderr)
    assert result.stdout.lstrip().startswith("[")
    assert 0 < json.loads(result.stdout)[0]["confidence"] <= 1


def test_table_output_leads_with_an_answer_card_and_its_quote() -> None:
    result = invoke("ask", "how many arrests were reported", "--format", "table")
    lines = result.stdout.splitlines()
    assert lines[0].startswith("╭") and "People arrested" in lines[0]
    assert "“" in result.stdout  # the quote of the top answer
    assert "Also relevant" in result.stdout


def test_disputed_answer_is_flagged_in_the_card() -> None:
    result = invoke("ask", "how many arrests were reported", "--format", "table")
    assert "disputed" in result.stdout


def test_empty_question_is_a_usage_error() -> None:
    assert invoke("ask", "  ").exit_code == ExitCode.USAGE
