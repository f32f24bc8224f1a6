"""Browsing on a terminal: ids everywhere, one line per fact, --long, --limit, several ids for
show, a pager for long output (never in a pipe), and lmc ask - for questions in bulk."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import struct
import sys
import termios
from pathlib import Path

import pytest
from helpers import LMC, drain_terminal, invoke, records, run_lmc

from lmc_cli.errors import ExitCode
from lmc_cli.output.columns import FACT_COLUMNS


def table(*args: str, width: int = 80) -> str:
    result = invoke(*args, "--format", "table", env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("width", [80, 120])
def test_list_is_one_line_per_fact_with_its_id_whole(width: int) -> None:
    facts = records("list")
    lines = table("list", width=width).splitlines()
    fact_lines = lines[: len(facts)]
    assert [line.split()[0] for line in fact_lines] == [f["id"] for f in facts]
    assert all(len(line) <= width and line == line.rstrip() for line in lines)


def test_conflicts_compact_and_long() -> None:
    conflicts = records("conflicts")
    short = table("conflicts").splitlines()
    assert [line.split()[0] for line in short[: len(conflicts)]] == [c["id"] for c in conflicts]
    long = table("conflicts", "--long")
    assert all(c["sources"][0]["quote"][:20] in " ".join(long.split()) for c in conflicts)
    assert len(long.splitlines()) > 3 * len(short)


def test_also_relevant_and_timeline_show_ids() -> None:
    answers = records("ask", "how many arrests")
    text = table("ask", "how many arrests")
    for record in answers:
        assert record["id"] in text.split()
    timeline = table("timeline", "--from", "2016", "--to", "2016")
    for record in records("timeline", "--from", "2016", "--to", "2016"):
        assert record["id"] in timeline.split(), record["id"]


def test_meeting_quotes_sit_under_their_own_fact() -> None:
    found = records("meeting", "sanya")
    text = " ".join(table("meeting", "sanya").split())
    positions = [text.index(r["id"]) for r in found]
    assert positions == sorted(positions)
    for n, record in enumerate(found):
        quote_start = " ".join(record["sources"][0]["quote"].split())[:30]
        where = text.index(quote_start, positions[n])
        assert n + 1 == len(found) or where < positions[n + 1]


def test_no_line_ends_in_spaces() -> None:
    for args in (("list",), ("ask", "how many arrests"), ("show", "arrests-50000"), ("timeline",), ("sources",)):
        assert all(line == line.rstrip() for line in table(*args).splitlines()), args


@pytest.mark.parametrize("command", [("list",), ("conflicts",), ("timeline",), ("sources",), ("stat", "arrests"),
                                     ("meeting", "meeting"), ("ask", "meeting")], ids=lambda c: c[0])
def test_every_listing_command_takes_limit(command: tuple[str, ...]) -> None:
    every = records(*command, "--limit", "1000")
    assert len(every) >= 1
    limited = records(*command, "--limit", "2")
    assert limited == every[:2] or [r["id"] for r in limited] == [r["id"] for r in every[:2]]
    assert len(invoke(*command, "-n", "1", "--format", "tsv").stdout.splitlines()) == 1


def test_show_takes_several_ids_and_separators() -> None:
    wanted = ["arrests-50000", "conflict-sanya-meeting-date", "lmc-leaders-meeting-1-sanya"]
    for args in (wanted, [", ".join(wanted)], [wanted[0] + ",", wanted[1] + ",", wanted[2]], [",".join(wanted)]):
        assert [r["id"] for r in records("show", *args)] == wanted, args
    assert [r["id"] for r in records("show", wanted[0], wanted[0])] == [wanted[0]]
    assert [r["id"] for r in records("show", f"{wanted[0]}, {wanted[1]}     │")] == wanted[:2]  # a card's edge
    missing = invoke("show", wanted[0], "no-such-fact")
    assert missing.exit_code == ExitCode.NO_MATCH and missing.stdout == ""


def test_the_cards_own_hint_works_when_pasted() -> None:
    text = table("ask", "how many arrests")
    hint = next(line for line in text.splitlines() if "lmc show conflict-" in line)
    ids = hint.split("lmc show", 1)[1].strip(" │").split()
    assert invoke("show", *ids, "--format", "json").exit_code == 0


# --- lmc ask - ----------------------------------------------------------------------------

QUESTIONS = "how many arrests\n\nwhat is the price of bitcoin on mars\nwhen was the LMC formally established\n"


def test_ask_dash_jsonl_one_object_per_question() -> None:
    result = invoke("ask", "-", "--format", "jsonl", input=QUESTIONS)
    assert result.exit_code == ExitCode.NO_MATCH
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["question"] for o in objects] == [q for q in QUESTIONS.splitlines() if q]
    assert [o["answered"] for o in objects] == [True, False, True]
    assert objects[0]["answers"][0]["id"] == records("ask", "how many arrests")[0]["id"]
    assert objects[1]["answers"] == []
    assert "no fact answers that: what is the price of bitcoin on mars" in result.stderr


def test_ask_dash_json_is_one_array() -> None:
    result = invoke("ask", "-", "--format", "json", input="how many arrests\nwhen was the LMC formally established\n")
    assert result.exit_code == 0
    assert [o["question"] for o in json.loads(result.stdout)] == ["how many arrests",
                                                                   "when was the LMC formally established"]


def test_ask_dash_tsv_has_the_question_last() -> None:
    result = invoke("ask", "-", input=QUESTIONS)  # a pipe: TSV
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert all(len(row) == len(FACT_COLUMNS) + 1 for row in rows)
    assert {row[-1] for row in rows} == {q for q in QUESTIONS.splitlines() if q}
    unanswered = [row for row in rows if row[-1].startswith("what is the price")]
    assert len(unanswered) == 1 and not any(unanswered[0][:-1])
    assert len([r for r in rows if r[-1] == "how many arrests"]) == len(records("ask", "how many arrests"))


def test_ask_dash_exit_zero_when_all_answered() -> None:
    assert invoke("ask", "-", input="how many arrests\n").exit_code == 0
    assert invoke("ask", "-", input="\n\n").exit_code == ExitCode.USAGE


def test_ask_reads_stdin_only_for_dash() -> None:
    # A caller that leaves stdin open must never hang: without "-", stdin is not read.
    import subprocess

    with subprocess.Popen([str(LMC), "ask", "how many arrests"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL) as process:
        assert process.stdout is not None
        out = process.stdout.read()  # stdin stays open the whole time
        assert process.wait(timeout=60) == 0
    assert b"arrests" in out
    result = run_lmc("ask", input="")
    assert result.returncode == ExitCode.USAGE


def test_ask_dash_streams_answers_as_questions_arrive() -> None:
    import subprocess

    with subprocess.Popen([str(LMC), "ask", "-", "-f", "jsonl"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, text=True) as process:
        assert process.stdin and process.stdout
        process.stdin.write("how many arrests\n")
        process.stdin.flush()
        first = json.loads(process.stdout.readline())  # answered before stdin is closed
        assert first["question"] == "how many arrests" and first["answered"]
        process.stdin.close()
        assert process.wait(timeout=60) == 0


# --- the pager ----------------------------------------------------------------------------

FAKE_PAGER = "import sys; open(sys.argv[1], 'wb').write(sys.stdin.buffer.read())"


def on_a_small_terminal(args: list[str], env: dict[str, str], rows: int = 10) -> tuple[int, bytes]:
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, 80, 0, 0))
        os.environ.update(env)
        os.execv(str(LMC), [str(LMC), *args])
    try:
        return drain_terminal(fd, pid)
    finally:
        os.close(fd)


def pager_env(tmp_path: Path) -> tuple[dict[str, str], Path]:
    script = tmp_path / "pager.py"
    script.write_text(FAKE_PAGER)
    paged = tmp_path / "paged.txt"
    return {"LMC_PAGER": f"{sys.executable} {script} {paged}", "TERM": "xterm", "COLUMNS": "80"}, paged


def test_long_output_on_a_terminal_goes_through_the_pager(tmp_path: Path) -> None:
    env, paged = pager_env(tmp_path)
    code, screen = on_a_small_terminal(["list"], env)
    assert code == 0
    text = paged.read_bytes()
    assert text.count(b"\n") >= 10 and b"arrests-50000" in text
    assert b"arrests-50000" not in screen


def test_short_output_and_no_pager_are_written_directly(tmp_path: Path) -> None:
    env, paged = pager_env(tmp_path)
    code, screen = on_a_small_terminal(["show", "arrests-50000", "--format", "tsv"], env)
    assert code == 0 and not paged.exists() and b"arrests-50000" in screen
    for args in (["list", "--no-pager"], ["--no-pager", "list"]):
        code, screen = on_a_small_terminal(args, env)
        assert code == 0 and not paged.exists() and b"arrests-50000" in screen


def test_pager_from_PAGER_and_never_in_a_pipe(tmp_path: Path) -> None:
    env, paged = pager_env(tmp_path)
    env["PAGER"] = env.pop("LMC_PAGER")
    code, _ = on_a_small_terminal(["list"], {**env, "LMC_PAGER": env["PAGER"]})
    assert code == 0 and paged.exists()
    paged.unlink()
    result = run_lmc("list", "--format", "table", env={**os.environ, **env})
    assert result.returncode == 0 and "arrests-50000" in result.stdout and not paged.exists()


def test_a_missing_pager_is_skipped(tmp_path: Path) -> None:
    code, screen = on_a_small_terminal(["list"], {"LMC_PAGER": "no-such-pager-program", "TERM": "xterm"})
    assert code == 0 and b"arrests-50000" in screen


def test_did_you_mean_wraps_on_a_terminal_and_stays_one_line_in_a_pipe() -> None:
    code, screen = on_a_small_terminal(["ask", "how tall is mount everest"],
                                       {"COLUMNS": "50", "LMC_PAGER": "", "TERM": "dumb"})
    lines = screen.decode().replace("\r\n", "\n").splitlines()
    assert code == ExitCode.NO_MATCH and any(line.startswith("did you mean: ") for line in lines)
    assert all(len(line) <= 50 for line in lines), lines
    piped = run_lmc("ask", "how tall is mount everest")
    assert len([line for line in piped.stderr.splitlines() if line.startswith("did you mean")]) == 1
    assert all(line.startswith(("lmc: ", "did you mean: ")) for line in piped.stderr.splitlines())


def test_overview_wraps_titles_at_the_width() -> None:
    text = invoke(env={"COLUMNS": "60"}).stdout
    assert all(len(line) <= 60 for line in text.splitlines())
    for record in records("sources"):
        assert " ".join(record["title"].split()[:3]) in text
