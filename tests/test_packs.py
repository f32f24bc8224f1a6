"""User fact packs: --facts DIR (repeatable), LMC_FACTS_PATH, clashes, broken packs, validate."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from helpers import invoke


def test_facts_option_adds_a_pack_with_labelled_sources(minipack: Path) -> None:
    result = invoke("--facts", str(minipack), "stat", "boats", "--format", "json")
    assert result.exit_code == 0, result.stderr
    top = json.loads(result.stdout)[0]
    assert top["id"] == "test-boats"
    assert top["pack"] == "minipack"
    assert [s["doc"] for s in top["sources"]] == ["minipack:doc1"]


def test_pack_from_environment_and_bundled_facts_together(minipack: Path) -> None:
    result = invoke("list", "--format", "json", env={"LMC_FACTS_PATH": f"/nonexistent-lmc-pack:{minipack}"})
    ids = {r["id"] for r in json.loads(result.stdout)}
    assert {"test-boats", "test-council-first-meeting", "arrests-50000"} <= ids
    assert "/nonexistent-lmc-pack" in result.stderr  # a missing pack is a warning, not fatal


def test_no_bundled_loads_only_the_pack(minipack: Path) -> None:
    result = invoke("--no-bundled", "--facts", str(minipack), "list", "--format", "json")
    assert {r["pack"] for r in json.loads(result.stdout)} == {"minipack"}


def test_sources_lists_pack_documents_by_label(minipack: Path) -> None:
    result = invoke("--facts", str(minipack), "sources", "--format", "json")
    labels = {d["label"] for d in json.loads(result.stdout)}
    assert "minipack:doc1" in labels


def test_id_clash_between_packs_names_both_files(minipack: Path, tmp_path: Path) -> None:
    other = tmp_path / "otherpack"
    shutil.copytree(minipack, other)
    result = invoke("--facts", str(minipack), "--facts", str(other), "stat", "boats", "--format", "json")
    assert "duplicate id" in result.stderr
    assert str(minipack / "council.toml") in result.stderr
    assert str(other / "council.toml") in result.stderr
    assert "otherpack" in result.stderr
    assert json.loads(result.stdout)[0]["pack"] == "minipack"  # the first pack still answers
    checked = invoke("validate", str(minipack), str(other))
    assert checked.exit_code == 3
    assert str(minipack / "council.toml") in checked.stderr and str(other / "council.toml") in checked.stderr


def test_broken_pack_warns_and_bundled_facts_still_load(tmp_path: Path) -> None:
    broken = tmp_path / "brokenpack"
    broken.mkdir()
    (broken / "stats.toml").write_text('[[fact]]\nid = "x"\ntitle = \n', encoding="utf-8")
    result = invoke("--facts", str(broken), "stat", "arrests", "--format", "json")
    assert result.exit_code == 0
    assert "warning" in result.stderr and "brokenpack" in result.stderr
    assert str(broken / "stats.toml") in result.stderr
    assert json.loads(result.stdout)[0]["id"] == "arrests-50000"


def test_validate_checks_a_pack(minipack: Path) -> None:
    result = invoke("validate", str(minipack))
    assert result.exit_code == 0, result.stderr
    assert "ok: " in result.stderr
    against = invoke("validate", str(minipack), "--against", str(minipack))
    assert against.exit_code == 0, against.stderr


def test_validate_reports_a_broken_pack(minipack: Path, tmp_path: Path) -> None:
    pack = tmp_path / "badpack"
    shutil.copytree(minipack, pack)
    text = (pack / "figures.toml").read_text(encoding="utf-8").replace('doc = "doc1"', 'doc = "nodoc"', 1)
    (pack / "figures.toml").write_text(text, encoding="utf-8")
    result = invoke("validate", str(pack))
    assert result.exit_code == 3
    assert "nodoc" in result.stderr and str(pack / "figures.toml") in result.stderr
