"""Start-up cost: each path imports only what it needs (checked in a fresh interpreter).

The probe runs the real entry point (`lmc_cli.cli.main`) with the given argv and
environment, then writes the names in `sys.modules` to a file; no timing is asserted
(benchmarks/bench_startup.py is the measurement).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

PROBE = """
import json, os, sys
sys.argv = ["lmc", *json.loads(os.environ["PROBE_ARGS"])]
from lmc_cli.cli.run import main
try:
    main()
except SystemExit as exc:
    code = exc.code
else:
    code = 0
with open(os.environ["PROBE_OUT"], "w") as handle:
    json.dump({"code": code, "modules": sorted(sys.modules)}, handle)
"""

RICH = ("rich",)
HEAVY = ("rapidfuzz", "tomllib", "tomli", "lmc_cli.load.packs", "lmc_cli.load.parse", "lmc_cli.match.rank")


def probe(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> tuple[Any, str]:
    out = tmp_path / "modules.json"
    full_env = {**os.environ, "PROBE_ARGS": json.dumps(list(args)), "PROBE_OUT": str(out), **(env or {})}
    result = subprocess.run(
        [sys.executable, "-c", PROBE], env=full_env, capture_output=True, text=True, timeout=120
    )
    assert out.exists(), result.stderr
    return json.loads(out.read_text()), result.stdout


def loaded(modules: list[str], prefixes: tuple[str, ...]) -> list[str]:
    return [m for m in modules if any(m == p or m.startswith(p + ".") for p in prefixes)]


@pytest.mark.parametrize("args", [("--help",), ("--version",), ("stat", "--help"), ("ask", "--help")])
def test_help_and_version_load_no_facts_no_matcher_no_rich(tmp_path: Path, args: tuple[str, ...]) -> None:
    report, stdout = probe(tmp_path, *args)
    assert report["code"] in (0, None)
    assert stdout.strip(), "the probe did not print the help or version"
    assert loaded(report["modules"], HEAVY + RICH + ("pydantic",)) == []


def test_shell_completion_loads_no_facts_no_matcher(tmp_path: Path) -> None:
    env = {"_LMC_COMPLETE": "complete_bash", "COMP_WORDS": "lmc st", "COMP_CWORD": "1"}
    report, stdout = probe(tmp_path, env=env)
    assert "stat" in stdout.split()
    assert loaded(report["modules"], HEAVY + RICH + ("pydantic",)) == []


@pytest.mark.parametrize("args", [("stat", "arrests", "--format", "json"), ("stat", "arrests"),
                                  ("ask", "how", "many", "arrests", "-f", "json"), ("meeting", "sanya")])
def test_piped_and_json_paths_do_not_import_rich(tmp_path: Path, args: tuple[str, ...]) -> None:
    report, stdout = probe(tmp_path, *args)  # stdout is a pipe here: json or tsv
    assert report["code"] in (0, None)
    assert stdout.strip(), "the probe printed no results"
    assert loaded(report["modules"], RICH + ("pydantic",)) == []
    assert "lmc_cli.match.rank" in report["modules"]


@pytest.mark.parametrize("args", [("stat", "arrests", "--format", "json"), ("ask", "how", "many", "arrests"),
                                  ("--help",), ("coverage", "--help")])
def test_the_query_path_and_help_never_import_the_curate_extra(tmp_path: Path, args: tuple[str, ...]) -> None:
    """pysbd (the curate extra) and lmc_cli.curate are for lmc coverage and lmc draft only."""
    report, stdout = probe(tmp_path, *args)
    assert report["code"] in (0, None) and stdout.strip()
    assert loaded(report["modules"], ("pysbd", "lmc_cli.curate")) == []


def test_warm_cache_parses_no_toml(tmp_path: Path) -> None:
    probe(tmp_path, "stat", "arrests", "--format", "json")
    report, stdout = probe(tmp_path, "stat", "arrests", "--format", "json")
    assert json.loads(stdout)[0]["id"] == "arrests-50000"
    assert loaded(report["modules"], ("tomllib", "tomli")) == []


def test_the_fast_path_is_on_for_in_process_tests_and_the_console_script() -> None:
    """On the pinned Typer, fastparse installs (a Typer change that breaks it fails here, loudly),
    and CliRunner goes through the same command tree as the console script."""
    import typer.main
    import typer.testing

    from lmc_cli.cli import app
    from lmc_cli.cli.fastparse import PlainParamMarker, install
    from lmc_cli.cli.run import build_command

    assert install(typer.main.get_command(app)), "fastparse is off: Typer's internals changed"
    command = typer.testing._get_command(app)
    params = [p for c in command.commands.values() for p in c.params]
    assert params and all(isinstance(getattr(p, "_runtime_param", None), PlainParamMarker) for p in params
                          if getattr(p, "type_descriptor", None) is not None
                          and p.type_descriptor.file_annotation is None
                          and p.type_descriptor.parameter_info.parser is None)
    assert typer.testing._get_command is build_command


def test_plain_coercion_agrees_with_typer() -> None:
    """fastparse gives the same values as Typer's own (Pydantic) coercion, or defers to it."""
    import typer.main
    from typer._coercion import build_runtime_param

    from lmc_cli.cli import app
    from lmc_cli.cli.fastparse import install

    command = typer.main.get_command(app)
    assert install(command)
    samples: dict[str, list[Any]] = {
        "str": ["x", "2016-03", "", "a\udcffb"],
        "int": ["7", "007", " 5", "+3", "0", "-1", "x", "1" * 30, 10],
        "bool": [True, False],
        "OutputFormat": ["json", "JSON", "Tsv", " json", "xml"],
        "Path": ["facts", "/nonexistent/x", "."],
        "list[str]": [("a", "b"), ()],
        "list[pathlib.Path]": [("facts", "tests"), ()],
    }
    ctx = command.make_context("lmc", [], resilient_parsing=True)
    checked = 0
    stack = [command]
    while stack:
        current = stack.pop()
        stack.extend(getattr(current, "commands", {}).values())
        for param in current.params:
            annotation = param.type_descriptor.annotation
            name = getattr(annotation, "__name__", None) if not hasattr(annotation, "__origin__") else str(annotation)
            for value in samples.get(str(name), []):
                expected = outcome(build_runtime_param(param.type_descriptor), value, param, ctx)
                assert outcome(param._runtime_param, value, param, ctx) == expected, (param.name, value)
                checked += 1
    assert checked > 50


def outcome(runtime: Any, value: Any, param: Any, ctx: Any) -> tuple[str, Any]:
    try:
        return ("ok", runtime.coerce(value, param=param, ctx=ctx))
    except Exception as exc:  # noqa: BLE001 - compared, not handled
        return (type(exc).__name__, str(exc))


CHART = ("lmc_cli.output.chart", "lmc_cli.output.timeline_page", "lmc_cli.output.markup")


@pytest.mark.parametrize("args", [("timeline", "-f", "tsv"), ("timeline", "-f", "json"), ("timeline",)])
def test_terminal_and_text_timelines_do_not_import_the_chart(tmp_path: Path, args: tuple[str, ...]) -> None:
    report, stdout = probe(tmp_path, *args)
    assert report["code"] in (0, None) and stdout.strip()
    assert loaded(report["modules"], CHART) == []


def test_the_chart_needs_no_rich_and_no_matcher(tmp_path: Path) -> None:
    report, stdout = probe(tmp_path, "timeline", "-f", "svg", "-o", "-")
    assert report["code"] in (0, None) and stdout.startswith("<svg")
    assert "lmc_cli.output.chart" in report["modules"]
    assert loaded(report["modules"], RICH + ("rapidfuzz", "lmc_cli.match.rank")) == []


# --- issue 16: a command imports and builds only what it uses ---

SEARCH_ONLY = ("rapidfuzz", "lmc_cli.match.rank", "lmc_cli.match.query", "lmc_cli.match.semantic")


@pytest.mark.parametrize("args", [("show", "arrests-50000", "--format", "json"), ("list", "--format", "json"),
                                  ("timeline", "--format", "json"), ("sources", "--format", "json"),
                                  ("show", "arrests-50000"), ("list", "--table", "stats", "-f", "tsv")])
def test_commands_that_do_not_search_import_neither_the_matcher_nor_rich(tmp_path: Path,
                                                                        args: tuple[str, ...]) -> None:
    """Warm (the second run): no rapidfuzz, no matcher, no Rich, no TOML parser, no tempfile (nothing
    is written), no csv (not CSV output)."""
    probe(tmp_path, *args)
    report, stdout = probe(tmp_path, *args)
    assert report["code"] in (0, None) and stdout.strip()
    unneeded = SEARCH_ONLY + RICH + ("pydantic", "tomllib", "tomli", "tempfile", "csv")
    assert loaded(report["modules"], unneeded) == []
    assert "lmc_cli.load.packs" in report["modules"]  # the probe does see what the run imports


def test_a_search_does_import_rapidfuzz(tmp_path: Path) -> None:
    """The other side of the test above: the probe sees rapidfuzz when ranking needs it."""
    report, _ = probe(tmp_path, "stat", "arrests", "--format", "json")
    assert report["code"] in (0, None)
    assert "rapidfuzz" in report["modules"]


@pytest.mark.parametrize(("argv", "built"), [
    (["show", "arrests-50000", "-f", "json"], {"show"}),
    (["--no-bundled", "--facts", "some/dir", "--drafts", "--no-pager", "list"], {"list"}),
    (["--facts=some/dir", "stat", "arrests"], {"stat"}),
    (["--version"], set()),
    (["--no-bundled", "--version", "show"], set()),
])
def test_the_console_script_builds_only_the_command_it_runs(argv: list[str], built: set[str]) -> None:
    from lmc_cli.cli.run import build_command

    assert set(build_command(argv=argv).commands) == built


@pytest.mark.parametrize("argv", [[], ["--help"], ["-h", "show"], ["help"], ["help", "exit-codes"], ["sho"],
                                  ["--bogus", "show"], ["--facts"], ["--", "show"], ["--install-completion"]])
def test_arguments_that_need_the_whole_tree_get_it(argv: list[str]) -> None:
    """Help lists every command, a typo is answered with the closest, `lmc help` prints the root's help."""
    from lmc_cli.cli.run import build_command

    assert set(build_command(argv=argv).commands) == set(build_command().commands)


def test_completion_gets_the_whole_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    from lmc_cli.cli.run import build_command

    monkeypatch.setenv("_LMC_COMPLETE", "complete_bash")
    assert set(build_command(argv=["show", "x"]).commands) == set(build_command().commands)


def run_tree(command: Any, argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[str, str, str]:
    try:
        command.main(argv, prog_name="lmc", standalone_mode=False)
        failure = ""
    except BaseException as exc:  # noqa: BLE001 - compared, not handled
        failure = f"{type(exc).__name__}: {exc} {getattr(exc, 'exit_code', '')}"
    captured = capsys.readouterr()
    return captured.out, captured.err, failure


def test_every_command_built_alone_parses_and_helps_as_in_the_whole_tree(capsys: pytest.CaptureFixture[str]) -> None:
    """The same help, the same usage errors, for every command, whether the tree holds it alone or all."""
    from lmc_cli.cli.run import build_command

    whole = build_command()
    checked = 0
    for name, command in whole.commands.items():
        cases = [[name, "--help"], [name, "-h"], [name, "--bogus-option"], ["--no-bundled", name, "--help"]]
        if any(getattr(p, "required", False) for p in command.params):
            cases.append([name])  # a missing argument, before the command runs
        for argv in cases:
            alone = build_command(argv=argv)
            assert set(alone.commands) == ({name} if name != "help" else set(whole.commands))
            expected = run_tree(build_command(), argv, capsys)
            assert run_tree(alone, argv, capsys) == expected, argv
            checked += 1
    assert checked > 40


def test_the_root_options_the_lean_tree_knows_are_the_root_callbacks() -> None:
    """cli/run.py lists the root options a command name may follow; they must be exactly the
    callback's plain options (the eager ones, --help and --version, and completion's, are not)."""
    from lmc_cli.cli.run import ROOT_FLAGS, ROOT_VALUE_OPTIONS, build_command

    root = build_command()
    completion = {"install_completion", "show_completion"}  # Typer's: the whole tree handles them
    options = [p for p in root.params if getattr(p, "opts", None) and not p.is_eager and p.name not in completion]
    assert {o for p in options if p.is_flag for o in (*p.opts, *p.secondary_opts)} == ROOT_FLAGS
    assert {o for p in options if not p.is_flag for o in (*p.opts, *p.secondary_opts)} == ROOT_VALUE_OPTIONS


def test_patterns_compiled_on_first_use_are_the_modules_names() -> None:
    """text.TOKEN, `from ... import CJK` and the module's own PATTERNS.X are one compiled pattern."""
    import re

    from lmc_cli.load import rules, toml
    from lmc_cli.match import text
    from lmc_cli.match.text import CJK
    from lmc_cli.output import sanitise

    assert CJK is text.CJK is text.PATTERNS.CJK
    assert isinstance(text.TOKEN, re.Pattern) and text.TOKEN.findall("50 arrests 湄公河") == ["50", "arrests", "湄公河"]
    assert rules.SLUG_RE.search("arrests-50000") and not rules.SLUG_RE.search("Arrests")
    assert toml.LONG_DOTTED_KEY is toml.PATTERNS.LONG_DOTTED_KEY
    assert sanitise.UNSAFE.pattern == f"[{rules.UNSAFE_CHARACTERS}]"
    with pytest.raises(AttributeError, match="has no attribute 'NOT_A_PATTERN'"):
        text.NOT_A_PATTERN  # noqa: B018 - the attribute access is the test


def test_the_fast_unsafe_substitution_is_the_pattern_itself_over_every_code_point() -> None:
    from lmc_cli.output import sanitise
    from lmc_cli.output.indented import json_escape

    every = "".join(chr(code) for code in range(0x110000))
    for in_line, pattern in ((False, sanitise.PATTERNS.UNSAFE), (True, sanitise.PATTERNS.UNSAFE_IN_LINE)):
        for replace in (sanitise._escape, sanitise._escape_named, json_escape, " "):
            for sample in (every, "plain ascii", "湄公河 \u202e \U0001fffe x\x7f", "\U0010ffff"):
                assert sanitise.substitute(replace, sample, in_line=in_line) == pattern.sub(replace, sample)
