"""`lmc meeting QUERY`: meetings matching a query, best first, cited."""

from helpers import invoke, records

from lmc_cli.errors import ExitCode


def test_sanya_finds_the_first_leaders_meeting() -> None:
    top = records("meeting", "sanya")[0]
    assert top["id"] == "lmc-leaders-meeting-1-sanya"
    assert top["table"] == "meetings"
    assert top["date"].startswith("2016")
    assert "Sanya" in top["place"]
    assert top["sources"] and all(s["quote"] for s in top["sources"])


def test_typo_and_word_order_are_forgiven() -> None:
    assert records("meeting", "sanyaa")[0]["id"] == "lmc-leaders-meeting-1-sanya"
    assert records("meeting", "ministers", "foreign", "first")[0]["id"] == "lmc-fm-meeting-1-xishuangbanna"


def test_chinese_place_name_finds_the_meeting() -> None:
    assert records("meeting", "三亚")[0]["id"] == "lmc-leaders-meeting-1-sanya"


def test_chiang_mai_lists_both_meetings_held_there() -> None:
    ids = [r["id"] for r in records("meeting", "chiang mai")[:3]]
    assert "chiang-mai-informal-discussion" in ids
    assert "lmc-fm-meeting-9-chiang-mai" in ids


def test_only_meetings_are_returned() -> None:
    assert {r["table"] for r in records("meeting", "foreign ministers")} == {"meetings"}


def test_unknown_meeting_exits_1_with_suggestions_on_stderr() -> None:
    result = invoke("meeting", "g20 summit")
    assert result.exit_code == ExitCode.NO_MATCH
    assert result.stdout == ""
    assert "no match for 'g20 summit'" in result.stderr
    assert "did you mean" in result.stderr


def test_no_match_in_json_prints_an_empty_array() -> None:
    result = invoke("meeting", "g20 summit", "--format", "json")
    assert result.exit_code == ExitCode.NO_MATCH
    assert result.stdout.strip() == "[]"
