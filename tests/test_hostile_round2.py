"""Regression tests for the second hostile round (../shared/reports/robustness-2, F1-F25).

Each test is named after its finding and checks what the report's "what should happen" asks.
The installed lmc runs as a process wherever a shell, a pipe, a signal or the file system is
involved. Safe as root: device nodes are made with mknod inside tmp_path, never in /dev.
F1's real zsh run is tests/test_zsh_completion.py; F4's fuzzing is tests/test_cache_fuzz.py.
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

import pytest
from hostile import LMC, TIMEOUT, big_pack, clean_stderr, fact_toml, write_pack

from lmc_cli.errors import DataError
from lmc_cli.load import cache, toml
from lmc_cli.model import Fact

SOURCES = '[[document]]\nid = "d1"\ntitle = "Doc one"\nkind = "news"\n'
WIDGETS = ('[[fact]]\nid = "widget-count"\ntitle = "Widgets produced"\ntext = "The factory produced 1200 widgets."\n'
           'value = 1200\nunit = "widgets"\ndate = "2020-05"\n[[fact.sources]]\ndoc = "d1"\n'
           'quote = "produced 1200 widgets"\n')
UNSAFE_BYTES = ("\x1b", "\x07", "\u202e", "\x9b")


def pack(directory: Path, stats: str = WIDGETS, **files: str) -> Path:
    """The report's `pack` function: one document, one dated figure (1200 widgets)."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "sources.toml").write_text(SOURCES, encoding="utf-8")
    (directory / "stats.toml").write_text(stats, encoding="utf-8")
    for name, text in files.items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory


def lmc(*args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = TIMEOUT,
        **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """The installed lmc, bundled facts included (unlike hostile.run)."""
    return subprocess.run([str(LMC), *map(str, args)], capture_output=True, text=True, errors="replace",
                          timeout=timeout, cwd=cwd, env={**os.environ, **(env or {})}, **kwargs)


def one_line_messages(stderr: str) -> None:
    """Every line on stderr is an lmc message (nothing forged, nothing split)."""
    clean_stderr(stderr)
    for line in stderr.splitlines():
        assert line.startswith(("lmc: ", "did you mean", "ok:", "wrote ", "exported ")), stderr


def answers_arrests(result: subprocess.CompletedProcess[str]) -> None:
    """The bundled question still answered: exit 0 and the arrests figure."""
    assert result.returncode == 0, result.stderr
    assert "arrest" in result.stdout.lower()


def make_node(path: Path, kind: int, device: tuple[int, int] = (0, 0)) -> Path:
    if os.geteuid() != 0 and kind != stat.S_IFIFO:
        pytest.skip("mknod of a device node needs root")
    if kind == stat.S_IFIFO:
        os.mkfifo(path)
    else:
        os.mknod(path, 0o666 | kind, os.makedev(*device))
    return path


# --- F1: completion values never carry shell syntax or control characters -------------------


def test_f1_a_per_fact_table_is_a_slug_like_the_files(tmp_path: Path) -> None:
    breakout = ("[[fact]]\nid = \"z1\"\ntable = 'a\\'\ntitle = \"z1\"\ntext = \"z1\"\n[[fact.sources]]\n"
                "doc = \"d1\"\nquote = \"q\"\n")
    p = pack(tmp_path / "pz", WIDGETS + breakout)
    result = lmc("--facts", p, "--no-bundled", "validate")
    assert result.returncode == 3
    assert "field 'table'" in result.stderr
    one_line_messages(result.stderr)


def completion(kind: str, words: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return lmc(env={**env, "_LMC_COMPLETE": f"complete_{kind}", "_TYPER_COMPLETE_ARGS": words,
                    "_TYPER_COMPLETE_FISH_ACTION": "get-args",
                    "COMP_WORDS": words, "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1))})


@pytest.mark.parametrize("kind", ["zsh", "bash", "fish"])
def test_f1_completion_values_are_sanitised(tmp_path: Path, kind: str) -> None:
    evil = "Evil \x1b]0;PWNED\x07 meet\u202eing \\ \x9b ) ; touch X ; ws=( \\"
    p = write_pack(tmp_path / "evil", {"meetings.toml": 'table = "meetings"\n' + fact_toml(
        "evil-meeting", evil, "A meeting.", aliases=["alias \\", "alias ' $(touch Y)"]),
        "stats.toml": 'table = "stats"\n' + fact_toml("evil-stat", evil, "A figure.", value=3)},
        documents='[[document]]\nid = "doc1"\ntitle = "T"\nkind = "report"\n')
    env = {"LMC_FACTS_PATH": str(p)}
    for words in ("lmc --no-bundled meeting ", "lmc --no-bundled stat ", "lmc --no-bundled list --table ",
                  "lmc --no-bundled show "):
        result = completion(kind, words, env)
        assert result.returncode == 0, result.stderr
        out = result.stdout
        assert any(name in out for name in ("Evil", "meetings", "evil-")), (words, out)
        values = completion_values(kind, out)
        assert values, (words, out)
        for value in values:
            for char in (*UNSAFE_BYTES, "\\", "'", '"', "`", "$", ";", "(", ")", "|", "&", "\n"):
                assert char not in value, (words, char, value)


def completion_values(kind: str, out: str) -> list[str]:
    """The values a completion script offers: zsh's quoted list, bash's lines, fish's lines."""
    if kind == "zsh":
        inside = out.split("((", 1)[1].rsplit("))", 1)[0]
        return [value.split(":", 1)[0] for value in re.findall(r'"((?:[^"\\]|\\.)*)"', inside)]
    return [line.split("\t", 1)[0] for line in out.splitlines() if line]


# --- F2: never rename over a device, FIFO or symlink -----------------------------------------


@pytest.mark.parametrize("kind", ["null", "full", "fifo", "symlink"])
def test_f2_sqlite_export_never_replaces_a_device_fifo_or_link(tmp_path: Path, kind: str) -> None:
    target = tmp_path / f"{kind}.db"
    if kind == "null":
        make_node(target, stat.S_IFCHR, (1, 3))
    elif kind == "full":
        make_node(target, stat.S_IFCHR, (1, 7))
    elif kind == "fifo":
        make_node(target, stat.S_IFIFO)
    else:
        (tmp_path / "target.txt").write_text("t\n")
        target.symlink_to("target.txt")
    before = os.lstat(target)
    result = lmc("export", "-f", "sqlite", "-o", target, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    one_line_messages(result.stderr)
    after = os.lstat(target)
    assert stat.S_IFMT(after.st_mode) == stat.S_IFMT(before.st_mode)
    assert (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)
    if kind == "symlink":
        assert (tmp_path / "target.txt").read_text() == "t\n"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_f2_text_into_a_character_device_is_written_not_replaced(tmp_path: Path) -> None:
    null = make_node(tmp_path / "null.json", stat.S_IFCHR, (1, 3))
    result = lmc("export", "-f", "json", "-o", null)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISCHR(os.lstat(null).st_mode)


# --- F3: the overview prints table names through the sanitiser --------------------------------


def test_f3_overview_never_carries_a_raw_escape(tmp_path: Path) -> None:
    payload = ('[[fact]]\nid = "x1"\ntable = "x\\u001b]0;PWNED\\u0007\\u001b[2J\\u202e"\ntitle = "t"\ntext = "t"\n'
               '[[fact.sources]]\ndoc = "d1"\nquote = "q"\n')
    p = pack(tmp_path / "b2", WIDGETS + payload)
    result = lmc("--facts", p)
    assert result.returncode == 0, result.stderr
    assert "lmc: warning:" in result.stderr and "field 'table'" in result.stderr  # refused, pack skipped
    for char in UNSAFE_BYTES:
        assert char not in result.stdout + result.stderr


def test_f3_overview_text_neutralises_a_table_that_reached_it() -> None:
    from lmc_cli.api import overview_text
    from lmc_cli.load.packs import Corpus
    from lmc_cli.model import Citation

    fact = Fact(id="x1", table="x\x1b]0;PWNED\x07\u202e", title="t", text="t", pack="p", path="p/x.toml",
                sources=(Citation(doc="d1", quote="q", pack="p"),))
    text = overview_text(Corpus(facts=[fact]))
    assert "x\\x1b]0;PWNED\\x07\\u202e" in text
    for char in UNSAFE_BYTES:
        assert char not in text


# --- F4: a corrupted cache record is a miss, never a crash or a wrong answer --------------------


def test_f4_a_cached_record_with_a_bad_date_is_rebuilt(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    p = pack(tmp_path / "b6")
    env = {"XDG_CACHE_HOME": str(cache)}
    expected = lmc("--facts", p, "timeline", "-f", "json", env=env)
    assert expected.returncode == 0
    changed = 0
    for path in cache.rglob("*"):
        if path.is_file() and not path.name.endswith(".sqlite"):
            text = path.read_bytes()
            if b'"date":"2020-05"' in text:
                path.write_bytes(text.replace(b'"date":"2020-05"', b'"date":"2020-15"'))
                changed += 1
    result = lmc("--facts", p, "timeline", "-f", "json", env=env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == json.loads(expected.stdout)


# --- F5, F6, F20: a broken pack is skipped with a warning; the rest answers -------------------


def test_f5_a_symlink_loop_file_skips_the_pack(tmp_path: Path) -> None:
    p = pack(tmp_path / "b4")
    (p / "self.toml").symlink_to("self.toml")
    result = lmc("--facts", p, "stat", "arrests")
    answers_arrests(result)
    assert "lmc: warning:" in result.stderr and "skipped" in result.stderr
    one_line_messages(result.stderr)
    result = lmc("stat", "arrests", env={"LMC_FACTS_PATH": str(p)})
    answers_arrests(result)


def test_f5_a_symlink_loop_directory_skips_the_pack(tmp_path: Path) -> None:
    (tmp_path / "loopdir").symlink_to("loopdir")
    result = lmc("--facts", "loopdir", "stat", "arrests", cwd=tmp_path)
    answers_arrests(result)
    assert "lmc: warning:" in result.stderr
    one_line_messages(result.stderr)


@pytest.mark.parametrize("where", ["directory", "file"])
def test_f6_a_name_that_is_not_utf8_skips_the_pack(tmp_path: Path, where: str) -> None:
    raw = os.fsencode(tmp_path) + (b"/b5\xff" if where == "directory" else b"/b5")
    os.makedirs(raw, exist_ok=True)
    pack(Path(os.fsdecode(raw)))
    if where == "file":
        with open(raw + b"/x\xff.toml", "w") as handle:
            handle.write(WIDGETS.replace("widget-count", "other"))
    proc = subprocess.run([os.fsencode(LMC), b"--facts", raw, b"stat", b"arrests"], capture_output=True,
                          timeout=TIMEOUT)
    stderr = proc.stderr.decode("utf-8")  # strict: what lmc prints is UTF-8 (the byte shown as an escape)
    assert proc.returncode == 0, stderr
    assert b"arrest" in proc.stdout.lower()
    assert "not UTF-8" in stderr and "\\udcff" in stderr
    one_line_messages(stderr)


def test_f20_an_unreadable_pack_directory_is_a_broken_pack(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("F20 needs a non-root user: no setpriv to drop root")
        home = Path(tempfile.mkdtemp(prefix="lmc-f20-", dir="/tmp"))  # reachable by the unprivileged user
        p = pack(home / "punr")
        os.chmod(home, 0o777)
        os.chmod(p, 0)
        probe = subprocess.run([setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-c",
                                "import lmc_cli.app"], capture_output=True, text=True, cwd=home)
        if probe.returncode != 0:
            pytest.skip(f"F20: the unprivileged user cannot run this venv's lmc: {probe.stderr.strip()[-200:]}")
        prefix = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-m", "lmc_cli"]
    else:
        p = pack(tmp_path / "punr")
        os.chmod(p, 0)
        prefix = [str(LMC)]
        home = tmp_path
    env = {**os.environ, "XDG_CACHE_HOME": str(home / "cache"), "LMC_FACTS_PATH": str(p)}
    try:
        validate = subprocess.run([*prefix, "--no-bundled", "validate"], capture_output=True, text=True, env=env,
                                  cwd=home, timeout=TIMEOUT)
        assert validate.returncode == 3, validate.stderr
        assert "cannot list" in validate.stderr and "Permission denied" in validate.stderr
        env.pop("LMC_FACTS_PATH")
        answer = subprocess.run([*prefix, "--facts", str(p), "stat", "arrests"], capture_output=True, text=True,
                                env=env, cwd=home, timeout=TIMEOUT)
        answers_arrests(answer)
        assert "lmc: warning:" in answer.stderr and "skipped" in answer.stderr
        one_line_messages(answer.stderr)
    finally:
        os.chmod(p, 0o755)


# --- F7: non-regular files are refused at once; reads are bounded ------------------------------


def test_f7_a_fifo_in_a_pack_never_blocks_lmc_or_tab(tmp_path: Path) -> None:
    p = pack(tmp_path / "b7")
    os.mkfifo(p / "zz.toml")
    result = lmc("--facts", p, "stat", "arrests", timeout=20)
    answers_arrests(result)
    assert "not a regular file" in result.stderr
    tab = lmc(env={"_LMC_COMPLETE": "complete_bash", "COMP_WORDS": f"lmc --facts {p} show w", "COMP_CWORD": "4"},
              timeout=20)
    assert tab.returncode == 0


def test_f7_validate_refuses_a_device_and_a_pipe(tmp_path: Path) -> None:
    zero = make_node(tmp_path / "zero", stat.S_IFCHR, (1, 5))
    result = lmc("validate", zero)
    assert result.returncode == 3
    assert "not a regular file" in result.stderr
    one_line_messages(result.stderr)
    proc = subprocess.Popen([str(LMC), "validate", "/dev/stdin"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    out, err = proc.communicate(b"x = 1\n" * 10, timeout=TIMEOUT)
    assert proc.returncode == 3
    assert b"not a regular file" in err


def test_f7_reads_stop_at_the_limit(tmp_path: Path) -> None:
    from lmc_cli.load import files

    big = tmp_path / "big.toml"
    big.write_bytes(b"# " + b"x" * 200)
    with pytest.raises(DataError, match="over the 100-byte limit"):
        files.read_regular(big, 100)
    assert files.read_regular(big, 1000).startswith(b"# x")


def test_f7_a_fifo_document_under_against_is_reported_not_read(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    os.mkfifo(seeds / "d1.txt")
    p = pack(tmp_path / "pag")
    (p / "sources.toml").write_text(SOURCES + 'file = "d1.txt"\n')
    result = lmc("validate", p, "--against", seeds, timeout=20)
    assert result.returncode == 3
    assert "not a regular file" in result.stderr
    one_line_messages(result.stderr)


# --- F8: the dotted-key guard sees keys anywhere ----------------------------------------------


@pytest.mark.parametrize("text", [
    "x = {" + ".".join(["a"] * 100) + " = 1}\n",
    "x = [{" + ".".join(['"q"'] * 40) + " = 1}]\n",
    "x = [1,\n  {" + ".".join(["b"] * 40) + " = 2}]\n",
])
def test_f8_a_long_dotted_key_inside_an_inline_table_is_refused_before_parsing(tmp_path: Path, text: str) -> None:
    path = tmp_path / "n.toml"
    path.write_text(text)
    with pytest.raises(DataError, match="dotted key of more than 32 parts"):
        toml.read_toml(path)


def test_f8_in_a_pack(tmp_path: Path) -> None:
    p = pack(tmp_path / "b8", **{"n.toml": "x = {" + ".".join(["a"] * 100000) + " = 1}\n"})
    result = lmc("--facts", p, "--no-bundled", "list")
    assert result.returncode == 3
    assert "dotted key" in result.stderr


def test_f8_keys_of_fact_files_are_not_mistaken(tmp_path: Path) -> None:
    """Prose with many dots and dotted keys of a few parts stay fine."""
    prose = "The U.N. said... " * 50 + "1.5.2 and a.b.c"
    path = tmp_path / "ok.toml"
    path.write_text(f"a.b.c = 1\ntext = {json.dumps(prose)}\n")
    assert toml.read_toml(path)["a"]["b"]["c"] == 1


# --- F9: exports never destroy what they did not write ------------------------------------------


def test_f9_export_keeps_a_foreign_database(tmp_path: Path) -> None:
    db = tmp_path / "mine.db"
    connection = sqlite3.connect(db)
    connection.execute("create table my_notes(x)")
    connection.commit()
    connection.close()
    result = lmc("export", "-o", db, cwd=tmp_path)
    assert result.returncode == 2
    assert [r[0] for r in sqlite3.connect(db).execute("select name from sqlite_master")] == ["my_notes"]


@pytest.mark.parametrize("command", [["export", "-f", "json"], ["timeline", "-f", "tsv"], ["timeline", "-f", "csv"]])
def test_f9_no_output_over_a_loaded_fact_file(tmp_path: Path, command: list[str]) -> None:
    p = pack(tmp_path / "pk")
    before = (p / "stats.toml").read_bytes()
    result = lmc("--facts", p, *command, "-o", p / "stats.toml")
    assert result.returncode == 2, result.stderr
    assert "fact file" in result.stderr
    assert (p / "stats.toml").read_bytes() == before


def test_f9_timeline_refuses_an_unknown_suffix(tmp_path: Path) -> None:
    result = lmc("timeline", "-o", "tl.sgv", cwd=tmp_path)
    assert result.returncode == 2
    assert not (tmp_path / "tl.sgv").exists()


@pytest.mark.parametrize("name", ["m.db", "m.json", "m.svg"])
def test_f9_new_files_get_the_umask_mode_and_old_ones_keep_theirs(tmp_path: Path, name: str) -> None:
    command = ["timeline", "-o", name] if name.endswith(".svg") else ["export", "-o", name]

    def umask(mask: int) -> Any:
        return lambda: os.umask(mask)

    assert lmc(*command, cwd=tmp_path, preexec_fn=umask(0o022)).returncode == 0
    assert stat.S_IMODE(os.stat(tmp_path / name).st_mode) == 0o644
    if name.endswith(".db"):
        return  # a database is replaced by a fresh one (and its metadata), as the export module says
    os.chmod(tmp_path / name, 0o640)
    assert lmc(*command, cwd=tmp_path, preexec_fn=umask(0o022)).returncode == 0
    assert stat.S_IMODE(os.stat(tmp_path / name).st_mode) == 0o640


# --- F10, F16: writes are atomic; signals and failures leave no temporary file ----------------


def limit_file_size(size: int) -> Any:
    return lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))


@pytest.mark.parametrize("name", ["good.json", "good.csv", "good.svg"])
def test_f10_a_failed_write_keeps_the_previous_file(tmp_path: Path, name: str) -> None:
    command = ["timeline", "-o", name] if name.endswith(".svg") else ["export", "-o", name]
    assert lmc(*command, cwd=tmp_path).returncode == 0
    before = (tmp_path / name).read_bytes()
    assert len(before) > 20000
    result = lmc(*command, cwd=tmp_path, preexec_fn=limit_file_size(10000))
    assert result.returncode == 74, result.stderr
    assert result.stderr.startswith("lmc: cannot write output:")
    one_line_messages(result.stderr)
    assert (tmp_path / name).read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


@pytest.fixture(scope="module")
def slow_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return big_pack(tmp_path_factory.mktemp("slow") / "pack", files=20, per_file=500)


def signal_when(proc: subprocess.Popen[bytes], ready: Any, signum: int) -> None:
    deadline = time.monotonic() + TIMEOUT * 3
    while not ready():
        if proc.poll() is not None or time.monotonic() > deadline:
            pytest.fail("lmc finished before the moment to signal it")
        time.sleep(0.002)
    proc.send_signal(signum)


EXPECTED_STATUS = {signal.SIGINT: -signal.SIGINT, signal.SIGTERM: -signal.SIGTERM, signal.SIGHUP: -signal.SIGHUP}


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
@pytest.mark.parametrize("format_", ["json", "sqlite"])
def test_f10_f16_a_signal_during_export_keeps_the_old_file_and_leaves_nothing(
        slow_pack: Path, tmp_path: Path, signum: int, format_: str) -> None:
    out = tmp_path / "out" / f"o.{'db' if format_ == 'sqlite' else 'json'}"
    out.parent.mkdir()
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    first = subprocess.run([str(LMC), "--no-bundled", "--facts", str(slow_pack), "export", "-o", str(out)],
                           capture_output=True, env=env, timeout=TIMEOUT * 3)
    assert first.returncode == 0, first.stderr
    before = out.read_bytes()
    proc = subprocess.Popen([str(LMC), "--no-bundled", "--facts", str(slow_pack), "export", "-o", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    signal_when(proc, lambda: any(p.name.endswith(".tmp") for p in out.parent.iterdir()), signum)
    _, err = proc.communicate(timeout=TIMEOUT)
    assert proc.returncode == EXPECTED_STATUS[signum], err
    assert err.decode() == "lmc: interrupted\n"
    assert out.read_bytes() == before
    assert sorted(p.name for p in out.parent.iterdir() if p.name.startswith(".")) == []


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_f16_a_signal_during_a_cold_run_leaves_no_temporary_file_in_the_cache(
        slow_pack: Path, tmp_path: Path, signum: int) -> None:
    cache = tmp_path / "cache"
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    proc = subprocess.Popen([str(LMC), "--no-bundled", "--facts", str(slow_pack), "ask", "how many boats"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    signal_when(proc, lambda: cache.exists() and any(p.name.startswith(".tmp") for p in cache.rglob("*")), signum)
    _, err = proc.communicate(timeout=TIMEOUT)
    assert proc.returncode == EXPECTED_STATUS[signum], err
    assert err.decode() == "lmc: interrupted\n"
    assert [p.name for p in cache.rglob(".tmp*")] == []


def test_f16_old_temporary_files_are_swept_by_the_next_cold_run(slow_pack: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache" / "lmc"
    cache.mkdir(parents=True)
    old, young = cache / ".tmp-killed.sqlite", cache / ".tmp-running.sqlite"
    for leftover in (old, young):
        leftover.write_bytes(b"x" * 1000)
    os.utime(old, (time.time() - 7200, time.time() - 7200))  # left by a run killed two hours ago
    other = cache / "not-ours.sqlite"
    other.write_bytes(b"y")
    os.utime(other, (time.time() - 7200, time.time() - 7200))
    result = lmc("--no-bundled", "--facts", slow_pack, "stat", "boats", env={"XDG_CACHE_HOME": str(tmp_path / "cache")})
    assert result.returncode == 0, result.stderr
    assert not old.exists()
    assert young.exists() and other.exists()


# --- F11: a same-size, same-mtime replacement is seen -------------------------------------------


@pytest.mark.parametrize("how", ["in place", "new inode"])
def test_f11_a_replacement_with_the_same_size_and_mtime_is_seen(tmp_path: Path, how: str) -> None:
    p = pack(tmp_path / "b12")
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    first = lmc("--facts", p, "--no-bundled", "list", "-f", "json", env=env)
    assert json.loads(first.stdout)[0]["value"] == 1200
    target = p / "stats.toml"
    old = os.stat(target)
    new = target.read_text().replace("1200", "9999")
    if how == "in place":
        target.write_text(new)
    else:
        target.unlink()
        target.write_text(new)
    os.utime(target, ns=(old.st_atime_ns, old.st_mtime_ns))
    assert os.stat(target).st_size == old.st_size
    second = lmc("--facts", p, "--no-bundled", "list", "-f", "json", env=env)
    assert json.loads(second.stdout)[0]["value"] == 9999
    ask = lmc("--facts", p, "--no-bundled", "stat", "widgets", "-f", "json", env=env)
    assert json.loads(ask.stdout)[0]["value"] == 9999


# --- F12, F13, F21, F19: the validator's rules --------------------------------------------------


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "1e400", "1" + "0" * 400, "1" + "0" * 5000])
def test_f12_non_finite_or_huge_values_are_invalid_data(tmp_path: Path, value: str) -> None:
    p = pack(tmp_path / "b9", WIDGETS.replace("value = 1200", f"value = {value}"))
    for command in (["validate"], ["stat", "widgets", "-f", "json"], ["export", "-f", "json"]):
        result = lmc("--facts", p, "--no-bundled", *command)
        assert result.returncode == 3, (command, result.stderr)
        assert "Infinity" not in result.stdout
        one_line_messages(result.stderr)


def test_f12_an_ordinal_past_sqlite_integers_is_invalid(tmp_path: Path) -> None:
    p = pack(tmp_path / "b9c", WIDGETS.replace("value = 1200", "ordinal = 99999999999999999999"))
    assert lmc("--facts", p, "--no-bundled", "export", "-f", "sqlite", "-o", tmp_path / "x.db").returncode == 3


def test_f13_a_run_of_number_words_never_crashes(tmp_path: Path) -> None:
    words = " ".join(["hundred"] * 2200)
    result = lmc("ask", words)
    assert result.returncode in (0, 1), result.stderr
    clean_stderr(result.stderr)
    p = pack(tmp_path / "ph", WIDGETS.replace("The factory produced 1200 widgets.", words))
    result = lmc("--facts", p, "stat", "widgets")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("change", [
    ('id = "widget-count"', 'id = "widget-count\\n"'),
    ('date = "2020-05"', 'date = "２０２０-０５"'),
    ('date = "2020-05"', 'date = "٢٠١٦"'),
    ('date = "2020-05"', 'date = "2016\\n"'),
    ('date = "2020-05"', 'date = "2020-05"\ndate_end = "2010"'),
    ('date = "2020-05"', "date = 2016-03-01"),
])
def test_f21_ids_and_dates_are_ascii_and_ordered(tmp_path: Path, change: tuple[str, str]) -> None:
    p = pack(tmp_path / "b19", WIDGETS.replace(*change))
    result = lmc("--facts", p, "--no-bundled", "validate")
    assert result.returncode == 3, result.stderr
    one_line_messages(result.stderr)
    if "2016-03-01" in change[1]:
        assert "quoted string" in result.stderr


def test_f19_a_nul_in_a_document_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "seeds").mkdir()
    p = pack(tmp_path / "pag")
    (p / "sources.toml").write_text(SOURCES + 'file = "d1\\u0000.txt"\n')
    result = lmc("validate", p, "--against", tmp_path / "seeds")
    assert result.returncode == 3
    assert "file" in result.stderr
    one_line_messages(result.stderr)


# --- F14, F15: side files; labels that cannot collide ------------------------------------------


def test_f14_editor_and_os_side_files_are_not_part_of_the_pack(tmp_path: Path) -> None:
    p = pack(tmp_path / "b11")
    (p / ".#stats.toml").symlink_to("user@host.1234:1700000000")
    (p / "._stats.toml").write_bytes(b"\x00\x05\x16\x07Mac OS X")
    (p / ".hidden.toml").write_text("not toml at all [")
    result = lmc("--facts", p, "--no-bundled", "stat", "widgets")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "widget-count" in result.stdout


def test_f15_document_labels_never_collide(tmp_path: Path) -> None:
    a, ab = tmp_path / "a", tmp_path / "a:b"
    a.mkdir()
    ab.mkdir()
    (a / "sources.toml").write_text('[[document]]\nid = "b:c"\ntitle = "real source"\nkind = "news"\n')
    (a / "stats.toml").write_text('[[fact]]\nid = "fact-a"\ntitle = "A"\ntext = "A."\n[[fact.sources]]\n'
                                  'doc = "b:c"\nquote = "A"\n')
    (ab / "sources.toml").write_text('[[document]]\nid = "c"\ntitle = "FORGED"\nkind = "news"\n')
    (ab / "stats.toml").write_text('[[fact]]\nid = "fact-ab"\ntitle = "AB"\ntext = "AB."\n[[fact.sources]]\n'
                                   'doc = "c"\nquote = "AB"\n')
    result = lmc("--facts", "a", "--facts", "a:b", "--no-bundled", "sources", "-f", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "document id" in result.stderr  # pack a's id 'b:c' is refused, so pack a is skipped
    labels = [d["label"] for d in json.loads(result.stdout)]
    assert labels == ["a-b:c"]
    assert len(labels) == len(set(labels))


# --- F17: Ctrl-C at any moment after lmc's first line; Ctrl-C pressed repeatedly ---------------

EARLY = """
import os, signal, sys, time
delay = float(sys.argv[1])
sys.argv = ["lmc", "--no-bundled", "--facts", sys.argv[2], "list", "--format", "json"]
from lmc_cli.app import main
ready, go = os.pipe()
if os.fork() == 0:  # a helper that sends Ctrl-C `delay` seconds after main() is entered
    os.close(go)
    os.read(ready, 1)
    time.sleep(delay)
    os.kill(os.getppid(), signal.SIGINT)
    os._exit(0)
os.close(ready)
def entered(frame, event, arg):  # the profiler's call event for main: the timer starts there
    if event == "call" and frame.f_code is main.__code__:
        sys.setprofile(None)
        os.write(go, b"x")
sys.setprofile(entered)
main()
"""


@pytest.mark.parametrize("delay", [0.001, 0.002, 0.003, 0.005, 0.008, 0.012, 0.02, 0.03, 0.05, 0.08, 0.12])
def test_f17_sigint_at_any_moment_after_lmc_starts_is_clean(slow_pack: Path, tmp_path: Path, delay: float) -> None:
    """The timer starts at lmc's entry (app.main, called by the console script): from there on, always
    one line. What comes before (Python's start-up) is out of reach: benchmarks/bench_sigint.py."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    proc = subprocess.run([sys.executable, "-c", EARLY, str(delay), str(slow_pack)], capture_output=True, env=env,
                          timeout=TIMEOUT * 3)
    err = proc.stderr.decode()
    assert proc.returncode in (-signal.SIGINT, 0), err
    if proc.returncode == -signal.SIGINT:
        assert err == "lmc: interrupted\n"
    else:
        assert err == ""


def test_f17_repeated_ctrl_c_prints_one_line(slow_pack: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    proc = subprocess.Popen([str(LMC), "--no-bundled", "--facts", str(slow_pack), "list", "-f", "json"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    signal_when(proc, lambda: cache.exists() and any(p.suffix == ".json" or p.name.startswith(".tmp-")
                                                     for p in cache.rglob("*")), signal.SIGINT)
    for _ in range(30):
        try:
            proc.send_signal(signal.SIGINT)
        except ProcessLookupError:
            break
        time.sleep(0.0005)
    _, err = proc.communicate(timeout=TIMEOUT)
    assert proc.returncode == -signal.SIGINT
    assert err.decode() == "lmc: interrupted\n"


def test_f17_a_bash_loop_of_lmc_calls_stops_at_ctrl_c(slow_pack: Path, tmp_path: Path) -> None:
    """bash stops a loop only if its child died of SIGINT: Ctrl-C to the foreground group."""
    marker = tmp_path / "runs"
    cache = tmp_path / "cache"
    script = (f'for i in 1 2 3 4 5; do echo $i >> {marker}; "{LMC}" --no-bundled --facts "{slow_pack}" list '
              f'-f json >/dev/null; done; echo finished >> {marker}')
    proc = subprocess.Popen(["bash", "-c", script], start_new_session=True, stderr=subprocess.PIPE,
                            env={**os.environ, "XDG_CACHE_HOME": str(cache)})
    signal_when(proc, lambda: cache.exists() and any(p.suffix == ".json" or p.name.startswith(".tmp-")
                                                     for p in cache.rglob("*")), signal.SIGINT)
    os.killpg(proc.pid, signal.SIGINT)  # what the terminal does: the whole foreground group
    proc.communicate(timeout=TIMEOUT)
    assert marker.read_text().split() == ["1"]


def test_f17_handlers_are_installed_by_the_console_entry_only() -> None:
    code = ("import signal, lmc_cli.api, lmc_cli.cli, lmc_cli.load.packs; "
            "print(all(signal.getsignal(s) in (signal.SIG_DFL, signal.default_int_handler) "
            "for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)))")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "True"


# --- F18: stdout that cannot be written is exit 74, never a silent short write -----------------


def full_device(tmp_path: Path) -> Path:
    if os.geteuid() == 0:
        return make_node(tmp_path / "full", stat.S_IFCHR, (1, 7))
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full and not root to make one")
    return Path("/dev/full")


@pytest.mark.parametrize("args", [["--version"], ["list"], ["--help"], ["timeline", "-f", "svg", "-o", "-"],
                                  ["export", "-f", "json"], ["help", "exit-codes"], ["stat", "arrests"]])
def test_f18_stdout_on_a_full_device_is_exit_74(tmp_path: Path, args: list[str]) -> None:
    with open(full_device(tmp_path), "w") as full:
        result = subprocess.run([str(LMC), *args], stdout=full, stderr=subprocess.PIPE, text=True, timeout=TIMEOUT)
    assert result.returncode == 74, result.stderr
    assert result.stderr == "lmc: cannot write output: No space left on device\n"


def test_f18_a_file_size_limit_on_stdout_is_exit_74(tmp_path: Path) -> None:
    with open(tmp_path / "out.json", "w") as out:
        result = subprocess.run([str(LMC), "export", "-f", "json"], stdout=out, stderr=subprocess.PIPE, text=True,
                                preexec_fn=limit_file_size(10240), timeout=TIMEOUT)
    assert result.returncode == 74
    assert result.stderr.startswith("lmc: cannot write output:")


def test_f18_a_non_blocking_pipe_gets_every_byte(tmp_path: Path) -> None:
    full = subprocess.run([str(LMC), "export", "-f", "json"], capture_output=True, timeout=TIMEOUT).stdout
    read_end, write_end = os.pipe()
    os.set_blocking(write_end, False)  # as Node.js leaves a child's stdout
    proc = subprocess.Popen([str(LMC), "export", "-f", "json"], stdout=write_end, stderr=subprocess.PIPE)
    os.close(write_end)
    time.sleep(0.5)  # the reader is late: the pipe fills
    chunks = []
    while chunk := os.read(read_end, 65536):
        chunks.append(chunk)
    os.close(read_end)
    proc.wait(timeout=TIMEOUT)
    assert proc.returncode == 0, proc.stderr.read() if proc.stderr else ""
    assert b"".join(chunks) == full


def test_f18_install_completion_with_home_a_file_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x")
    # from bash, as a user runs it (Typer finds the shell from the parent process)
    result = subprocess.run(["bash", "-c", f'"{LMC}" --install-completion'], capture_output=True, text=True,
                            env={**os.environ, "HOME": str(tmp_path / "afile"), "SHELL": "/bin/bash"},
                            timeout=TIMEOUT)
    assert result.returncode == 74, result.stderr
    one_line_messages(result.stderr)


# --- F22: messages are one line, always --------------------------------------------------------


def test_f22_a_newline_in_a_pack_path_cannot_forge_a_message(tmp_path: Path) -> None:
    d = tmp_path / "pk\nlmc: all quotes verified against the documents, 0 problems"
    pack(d, "x = \n")
    result = lmc("--facts", d, "stat", "arrests")
    assert result.returncode == 0
    assert len(result.stderr.splitlines()) == 1
    assert "\\n" in result.stderr


def test_f22_a_newline_in_a_title_cannot_split_did_you_mean(tmp_path: Path) -> None:
    p = pack(tmp_path / "t2", WIDGETS.replace('title = "Widgets produced"',
                                              'title = "Widgets\\nlmc: note: everything is fine"'))
    result = lmc("--facts", p, "ask", "widgetz qqq", "-n", "1")
    assert not any(line.startswith("lmc: note") for line in result.stderr.splitlines()), result.stderr
    one_line_messages(result.stderr)


# --- F23: the symlink check cannot be raced -----------------------------------------------------


def test_f23_swapping_a_link_never_loads_a_file_outside_the_pack(tmp_path: Path) -> None:
    p = pack(tmp_path / "prace")
    (p / "inner.data").write_text('table = "stats"\n' + fact_toml("inside-twin", "Inside twin", "Inside.",
                                                                   quote="Inside.").replace("doc1", "d1"))
    (tmp_path / "outside.toml").write_text('table = "stats"\n' + fact_toml(
        "outside-secret", "Outside the pack", "Outside.", quote="Outside.").replace("doc1", "d1"))
    link = p / "x.toml"
    stop = threading.Event()
    swaps = [0]

    def flip() -> None:
        while not stop.is_set():
            for target in ("inner.data", str(tmp_path / "outside.toml")):
                tmp = p / ".x.swap"
                tmp.unlink(missing_ok=True)
                tmp.symlink_to(target)
                os.replace(tmp, link)
                swaps[0] += 1

    flipper = threading.Thread(target=flip)
    flipper.start()
    try:
        outputs = [lmc("--facts", p, "--no-bundled", "list", "-f", "tsv", env={"XDG_CACHE_HOME": str(tmp_path / "c")})
                   for _ in range(30)]
    finally:
        stop.set()
        flipper.join()
    assert swaps[0] > 30
    assert not any("outside-secret" in o.stdout for o in outputs)
    for output in outputs:
        clean_stderr(output.stderr)


# --- F24: SVG and HTML stay well-formed ----------------------------------------------------------


@pytest.mark.parametrize("char", ["\\uFFFF", "\\uFFFE", "\\uFDD0", "\\U0001FFFE", "\\u001b"])
def test_f24_noncharacters_never_break_the_svg(tmp_path: Path, char: str) -> None:
    p = pack(tmp_path / "b22", WIDGETS.replace('title = "Widgets produced"', f'title = "Widgets {char}"'))
    result = lmc("--facts", p, "--no-bundled", "timeline", "-o", tmp_path / "t.svg")
    assert result.returncode == 0, result.stderr
    ElementTree.parse(tmp_path / "t.svg")
    assert re.search(r"Widgets \\(u|U|x)[0-9a-f]", (tmp_path / "t.svg").read_text())


# --- F25: the cache directory ----------------------------------------------------------------------


@pytest.mark.parametrize("home, xdg", [("", ""), ("", "relcache"), ("/h", "rel/cache"), ("/h", "")])
def test_f25_empty_or_relative_cache_variables_are_ignored(monkeypatch: pytest.MonkeyPatch, home: str,
                                                           xdg: str) -> None:
    monkeypatch.setenv("HOME", home)
    monkeypatch.setenv("XDG_CACHE_HOME", xdg)
    where = cache.cache_dir()
    assert where.is_absolute()
    assert where != Path("/.cache/lmc")
    if home:
        assert where == Path(home) / ".cache" / "lmc"
