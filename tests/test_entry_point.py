"""The installed `lmc` console script, run as a user's shell runs it."""

import json
import os
import pty
import subprocess

from helpers import LMC, drain_terminal, run_lmc


def test_installed_entry_point_answers_from_any_directory(tmp_path) -> None:
    result = run_lmc("stat", "arrests", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["value"] == 50000


def test_pipe_output_defaults_to_tsv_without_colour() -> None:
    result = run_lmc("meeting", "sanya")
    assert result.returncode == 0
    assert "\x1b" not in result.stdout
    assert result.stdout.splitlines()[0].split("\t")[0] == "lmc-leaders-meeting-1-sanya"


def test_terminal_output_defaults_to_a_table() -> None:
    pid, fd = pty.fork()
    if pid == 0:  # child: stdout is the pty
        os.environ["COLUMNS"] = "100"
        os.execv(str(LMC), [str(LMC), "meeting", "sanya"])
    code, raw = drain_terminal(fd, pid)
    screen = raw.decode("utf-8", "replace")
    assert code == 0
    assert "Sanya" in screen and "\t" not in screen


def test_exit_codes_of_the_real_process() -> None:
    assert run_lmc("stat", "arrests").returncode == 0
    assert run_lmc("ask", "what is the population of laos").returncode == 1
    assert run_lmc("stat", "--nonsense").returncode == 2
    assert run_lmc("timeline", "--from", "soon").returncode == 2


def test_no_traceback_on_usage_error() -> None:
    result = subprocess.run([str(LMC), "frobnicate"], capture_output=True, text=True)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
