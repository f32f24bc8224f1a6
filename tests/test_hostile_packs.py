"""Broken fact files end in one line and exit 3, quickly; broken user packs hide nothing; paths stay inside."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from hostile import clean_stderr, fact_toml, run, write_pack
from typer.testing import CliRunner

from lmc_cli.cli import app
from lmc_cli.errors import DataError
from lmc_cli.load import packs, parse, toml

GOOD = 'table = "stats"\n' + fact_toml("a-fact", "A fact", "A fact about boats.", value=3)

BAD_FILES: dict[str, tuple[str | bytes | None, str]] = {
    # name: (content of x.toml, None for a directory; what the one line must say)
    "syntax": ('table = "stats"\n[[fact]]\nid = "a\n', "x.toml:3:"),
    "schema-type": (GOOD.replace('title = "A fact"', "title = 3"), "fact 'a-fact': field 'title'"),
    "schema-missing": (GOOD.replace('text = "A fact about boats."\n', ""), "fact 'a-fact': field 'text'"),
    "schema-unknown": (GOOD.replace("value = 3", "valeu = 3"), "fact 'a-fact': field 'valeu'"),
    "schema-date": (GOOD.replace("value = 3", 'date = "2016-13"'), "field 'date'"),
    "schema-doc": (GOOD.replace('doc = "doc1"', 'doc = "nope"'), "field 'sources.doc'"),
    "empty": ("", "file is empty"),
    "blank": (" \n\n\t\n", "file is empty"),
    "directory": (None, "is a directory"),
    "latin-1": (GOOD.replace("boats", "bÿats").encode("latin-1"), "not UTF-8"),
    "binary": (bytes(range(256)) * 4, "not UTF-8"),
    "nested-arrays": ("x = " + "[" * 1000 + "]" * 1000 + "\n", "nested too deeply"),
    "nested-tables": ("x = " + "{a = " * 1000 + "1" + "}" * 1000 + "\n", "nested too deeply"),
    "dotted-key": ("a" + ".a" * 20000 + " = 1\n", "more than 32 parts"),
    "dotted-header": ("[" + "a" + ".a" * 20000 + "]\n", "more than 32 parts"),
    "quoted-dotted-key": ('"a"' + '."a"' * 20000 + " = 1\n", "more than 32 parts"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_bad_fact_file_is_one_line_and_exit_3(tmp_path: Path, case: str) -> None:
    content, expected = BAD_FILES[case]
    pack = write_pack(tmp_path / "pack", {} if content is None else {"x.toml": content})
    if content is None:
        (pack / "x.toml").mkdir()
    for args in (["validate", str(pack)], ["--facts", str(pack), "list"]):
        result = run(*args)
        assert result.returncode == 3, (args, result.stderr)
        assert result.stderr.count("\n") == 1, result.stderr
        assert str(pack / "x.toml") in result.stderr or "x.toml" in result.stderr
        assert expected in result.stderr, result.stderr
        assert result.stdout == ""
        clean_stderr(result.stderr)


def test_a_huge_file_is_refused_unread(tmp_path: Path) -> None:
    pack = write_pack(tmp_path / "pack", {})
    with open(pack / "x.toml", "wb") as handle:
        handle.truncate(toml.MAX_FILE_BYTES + 1)
    result = run("validate", str(pack))
    assert result.returncode == 3
    assert f"over the {toml.MAX_FILE_BYTES}-byte limit" in result.stderr
    assert result.stderr.count("\n") == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_an_unreadable_file(tmp_path: Path) -> None:
    pack = write_pack(tmp_path / "pack", {"x.toml": GOOD})
    (pack / "x.toml").chmod(0)
    try:
        result = run("validate", str(pack))
    finally:
        (pack / "x.toml").chmod(0o644)
    assert result.returncode == 3
    assert "cannot read" in result.stderr and result.stderr.count("\n") == 1


@pytest.mark.parametrize("content", [
    b"\xef\xbb\xbf" + GOOD.encode(),
    GOOD.replace("\n", "\r\n").encode(),
    b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode(),
], ids=["bom", "crlf", "bom-crlf"])
def test_a_bom_or_crlf_file_loads(tmp_path: Path, content: bytes) -> None:
    pack = write_pack(tmp_path / "pack", {"x.toml": content},
                      documents='\ufeff[[document]]\r\nid = "doc1"\r\ntitle = "T"\r\nkind = "report"\r\n')
    assert run("validate", str(pack)).returncode == 0
    result = run("--facts", str(pack), "show", "a-fact", "--format", "tsv")
    assert result.returncode == 0
    assert result.stdout.split("\t")[3] == "A fact"


def test_a_broken_user_pack_does_not_hide_the_bundled_facts(tmp_path: Path, minipack: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(packs, "bundled_dir", lambda: minipack)
    broken = write_pack(tmp_path / "colleague", {"x.toml": "[[fact]\n"})
    result = CliRunner().invoke(app, ["--facts", str(broken), "stat", "boats", "--format", "tsv"])
    assert result.exit_code == 0
    assert result.stdout.startswith("test-boats\t")
    assert result.stderr.startswith("lmc: warning: ")
    assert "pack 'colleague' skipped" in result.stderr
    assert result.stderr.count("\n") == 1


def test_a_broken_pack_next_to_a_good_one_is_named_and_skipped(tmp_path: Path, minipack: Path) -> None:
    broken = write_pack(tmp_path / "colleague", {"x.toml": GOOD.replace("value = 3", "value = 'x'")})
    result = run("--facts", str(broken), "--facts", str(minipack), "stat", "boats")
    assert result.returncode == 0
    assert "pack 'colleague' skipped" in result.stderr
    assert result.stdout.startswith("test-boats\t")


# --- paths -----------------------------------------------------------------------------


def test_a_fact_file_linking_outside_its_pack_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "secret.toml"
    outside.write_text(GOOD)
    pack = write_pack(tmp_path / "pack", {})
    (pack / "x.toml").symlink_to(outside)
    result = run("validate", str(pack))
    assert result.returncode == 3
    assert "links outside its pack" in result.stderr
    (pack / "x.toml").unlink()
    (pack / "x.toml").symlink_to(tmp_path)  # a link to a directory outside
    assert run("validate", str(pack)).returncode == 3


def test_a_link_inside_the_pack_is_fine(tmp_path: Path) -> None:
    pack = write_pack(tmp_path / "pack", {"real.txt": GOOD})
    (pack / "x.toml").symlink_to(pack / "real.txt")
    assert run("validate", str(pack)).returncode == 0


@pytest.mark.parametrize("reference", ["../secret.txt", "{outside}", "sub/../../secret.txt", "link.txt"])
def test_a_document_reference_cannot_leave_the_against_directory(tmp_path: Path, reference: str) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("A fact about boats.")
    seeds = tmp_path / "seeds"
    (seeds / "sub").mkdir(parents=True)
    (seeds / "link.txt").symlink_to(secret)
    digest = hashlib.sha256(secret.read_bytes()).hexdigest()
    file = reference.format(outside=secret)
    documents = f'[[document]]\nid = "doc1"\nfile = "{file}"\nsha256 = "{digest}"\ntitle = "T"\nkind = "report"\n'
    pack = write_pack(tmp_path / "pack", {"x.toml": GOOD}, documents=documents)
    result = run("validate", str(pack), "--against", str(seeds))
    assert result.returncode == 3
    assert "outside the --against directory" in result.stderr
    assert result.stderr.count("\n") == 1


def test_loader_errors_are_data_errors_naming_the_file(tmp_path: Path) -> None:
    for case, (content, _) in BAD_FILES.items():
        if case == "schema-doc":  # a pack-level check (check_pack), not a file-level one
            continue
        path = tmp_path / f"{case}.toml"
        if content is None:
            path.mkdir()
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        with pytest.raises(DataError) as caught:
            parse.parse_fact_file(toml.read_toml(path), path, "p")
        assert str(path) in caught.value.message
