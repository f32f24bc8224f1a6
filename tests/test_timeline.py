"""`lmc timeline`: every dated fact, chronological, with inclusive partial-date ranges."""

from helpers import invoke, records

from lmc_cli.errors import ExitCode


def test_timeline_is_chronological() -> None:
    dates = [r["date"] for r in records("timeline")]
    assert dates
    starts = [d if len(d) == 10 else d + ("-01" if len(d) == 7 else "-01-01") for d in dates]
    assert starts == sorted(starts)


def test_from_includes_facts_dated_only_to_an_overlapping_year_or_month() -> None:
    result = records("timeline", "--from", "2016-03-15", "--to", "2016-03-20")
    ids = {r["id"] for r in result}
    assert "lmc-leaders-meeting-1-sanya" in ids  # dated March 2016 (or a day in it)


def test_range_excludes_outside_facts() -> None:
    for record in records("timeline", "--from", "2017", "--to", "2017"):
        start, end = record["date"], record.get("date_end") or record["date"]
        assert start[:4] <= "2017" <= end[:4]


def test_every_fact_in_the_timeline_is_dated() -> None:
    assert all(r["date"] for r in records("timeline"))


def test_bad_date_is_a_usage_error() -> None:
    result = invoke("timeline", "--from", "March 2016")
    assert result.exit_code == ExitCode.USAGE
    assert "--from" in result.stderr


def test_reversed_range_is_a_usage_error() -> None:
    assert invoke("timeline", "--from", "2020", "--to", "2010").exit_code == ExitCode.USAGE


def test_empty_range_is_no_match() -> None:
    result = invoke("timeline", "--from", "1900", "--to", "1901")
    assert result.exit_code == ExitCode.NO_MATCH
