"""The per-file parse cache: keyed by path, size, mtime_ns, inode, version; never fatal."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path
from typing import Any

import pytest

from lmc_cli.load import cache, packs

FIGURES = "figures.toml"


@pytest.fixture
def pack(minipack: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "cachepack"
    shutil.copytree(minipack, copy)
    return copy


def titles(pack: Path) -> dict[str, str]:
    corpus = packs.load_corpus([pack], bundled=False)
    assert corpus.problems == []
    return {f.id: f.title for f in corpus.facts}


def cache_files(cache: Path) -> list[Path]:
    return sorted((cache / "lmc").glob("*.json"))


def test_second_load_comes_from_the_cache(pack: Path, isolated_environment: Path, monkeypatch) -> None:
    first = titles(pack)
    assert len(cache_files(isolated_environment)) == 3  # sources.toml and two fact files
    monkeypatch.setattr(cache, "read_toml", lambda path: pytest.fail(f"parsed {path} again"))
    assert titles(pack) == first


def test_same_size_and_mtime_but_new_inode_invalidates(pack: Path) -> None:
    path = pack / FIGURES
    assert titles(pack)["test-boats"] == "Boats counted by the council"
    old = path.stat()
    text = path.read_text(encoding="utf-8").replace("Boats counted", "Ships counted")  # same length
    replacement = pack / "figures.new"
    replacement.write_text(text, encoding="utf-8")
    os.replace(replacement, path)
    os.utime(path, ns=(old.st_atime_ns, old.st_mtime_ns))
    new = path.stat()
    assert (new.st_size, new.st_mtime_ns) == (old.st_size, old.st_mtime_ns) and new.st_ino != old.st_ino
    assert titles(pack)["test-boats"] == "Ships counted by the council"


def test_pack_name_is_part_of_the_key(pack: Path, tmp_path: Path) -> None:
    packs.load_corpus([pack], bundled=False)
    twin = tmp_path / "twin" / "cachepack"
    shutil.copytree(pack, twin)
    corpus = packs.load_corpus([pack, twin], bundled=False)  # twin clashes: same ids
    assert {f.pack for f in corpus.facts} == {"cachepack"}
    corpus = packs.load_corpus([twin, pack], bundled=False)
    assert {f.sources[0].label for f in corpus.facts} == {"cachepack:doc1"}


def read_cache_file(path: Path) -> dict[str, Any]:
    """A cache file: a header line (key, field, CRC-32 of the payload), then the payload."""
    header_line, _, body = path.read_bytes().partition(b"\n")
    header = json.loads(header_line)
    assert header["crc32"] == zlib.crc32(body)
    return {"key": header["key"], header["field"]: json.loads(body)}


@pytest.mark.parametrize("garbage", [b"", b"{not json", b"[]", b'{"key": 1, "facts": 2}', b"\xff\xfe",
                                     b'{"key": null, "facts": [{"id": 1}]}'])
def test_corrupt_cache_file_is_ignored_and_rebuilt(pack: Path, isolated_environment: Path, garbage: bytes) -> None:
    expected = titles(pack)
    for cached in cache_files(isolated_environment):
        cached.write_bytes(garbage)
    assert titles(pack) == expected
    for cached in cache_files(isolated_environment):
        assert read_cache_file(cached)["facts"]  # rewritten


def test_corrupt_records_with_a_matching_key_are_ignored(pack: Path, isolated_environment: Path) -> None:
    expected = titles(pack)
    for cached in cache_files(isolated_environment):
        header = read_cache_file(cached)
        records = header["facts"]
        bogus = [[{"id": "x", "bogus": True}], [records[0][:-1]], [[*records[0], "extra"]], [["x"]], ["x" * 40],
                 [dict.fromkeys(map(str, range(40)))]]
        for checksum in ("stale", "matching"):  # the checksum catches it; and a record that fails to build
            for records in bogus:
                body = json.dumps(records).encode()
                header_line = {"key": header["key"], "field": "facts",
                               "crc32": zlib.crc32(body) if checksum == "matching" else 0}
                cached.write_bytes(json.dumps(header_line).encode() + b"\n" + body)
                assert titles(pack) == expected


def test_read_only_cache_directory_is_not_fatal(pack: Path, isolated_environment: Path, monkeypatch) -> None:
    directory = isolated_environment / "lmc"
    directory.mkdir()
    directory.chmod(0o500)
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # root ignores the mode: refuse as the OS would

        def refuse(*args: object, **kwargs: object) -> None:
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(tempfile, "mkstemp", refuse)
    try:
        assert titles(pack)["test-boats"]
        assert cache_files(isolated_environment) == []
    finally:
        directory.chmod(0o700)


def test_unwritable_cache_location_is_not_fatal(pack: Path, tmp_path: Path, monkeypatch) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the cache directory should be", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # lmc/ cannot be created under a file
    assert titles(pack)["test-boats"]
    assert titles(pack)["test-boats"]


def test_read_only_cache_files_are_still_read(pack: Path, isolated_environment: Path, monkeypatch) -> None:
    expected = titles(pack)
    directory = isolated_environment / "lmc"
    for cached in cache_files(isolated_environment):
        cached.chmod(0o400)
    directory.chmod(0o500)
    try:
        monkeypatch.setattr(cache, "read_toml", lambda path: pytest.fail(f"parsed {path} again"))
        assert titles(pack) == expected
    finally:
        directory.chmod(0o700)


def test_concurrent_first_runs_all_succeed(pack: Path, isolated_environment: Path) -> None:
    lmc = Path(sys.executable).parent / "lmc"
    args = [str(lmc), "--no-bundled", "--facts", str(pack), "stat", "boats", "--format", "json"]
    env = {**os.environ, "XDG_CACHE_HOME": str(isolated_environment)}
    runs = [subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) for _ in range(6)]
    outputs = [run.communicate(timeout=120) for run in runs]
    for run, (stdout, stderr) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, stderr
        assert json.loads(stdout)[0]["id"] == "test-boats"
        assert stderr == b""
    assert [p.name for p in (isolated_environment / "lmc").iterdir() if p.name.startswith(".tmp-")] == []
    for cached in cache_files(isolated_environment):
        read_cache_file(cached)  # whole files, never interleaved


def test_search_terms_are_cached_per_file_and_keyed_by_the_code(pack: Path) -> None:
    from lmc_cli.match.rank import Index, fact_terms, rank

    facts = packs.load_corpus([pack], bundled=False).facts
    calls: list[str] = []

    def compute(fact):  # type: ignore[no-untyped-def]
        calls.append(fact.id)
        return fact_terms(fact)

    first = cache.cached_terms(facts, compute, "code-1")
    assert first == [fact_terms(f) for f in facts] and len(calls) == len(facts)
    assert cache.cached_terms(facts, compute, "code-1") == first and len(calls) == len(facts)
    cache.cached_terms(facts, compute, "code-2")
    assert len(calls) == 2 * len(facts)
    cached = rank(Index.from_terms(facts, first), "boats counted")
    built = rank(Index.build(facts), "boats counted")
    assert [(m.fact.id, m.score) for m in cached.matches] == [(m.fact.id, m.score) for m in built.matches]


def test_the_search_terms_key_changes_with_the_lexicon_file(tmp_path: Path) -> None:
    # The stop words and the Chinese question words shape a fact's terms: an edited lexicon
    # must not be answered with terms cached under the old one.
    lexicon = tmp_path / "lexicon.json"
    lexicon.write_text("{}", encoding="utf-8")
    before = cache.code_fingerprint(cache, lexicon)
    lexicon.write_text('{"stopwords": []}', encoding="utf-8")
    assert cache.code_fingerprint(cache, lexicon) != before
    assert cache.code_fingerprint(cache, tmp_path / "gone.json").endswith("gone.json:?")


def test_the_in_memory_index_keys_its_cached_terms_by_all_the_code_that_derives_them(
        pack: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # fact_terms runs query.terms_of (cjk_grams, changed in b534283, is there) and the lexicon's
    # parser as well as rank.py and text.py: a change to either must not be answered with terms
    # cached under the old code.
    from lmc_cli import api

    keys: list[str] = []
    real = api.cached_terms

    def spy(facts, compute, fingerprint):  # type: ignore[no-untyped-def]
        keys.append(fingerprint)
        return real(facts, compute, fingerprint)

    monkeypatch.setattr(api, "cached_terms", spy)
    api.memory_index(packs.load_corpus([pack], bundled=False), None)
    names = {part.split(":")[0] for part in keys[0].split("|")[1:]}
    assert names == {"lmc_cli.match.rank", "lmc_cli.match.query", "lmc_cli.match.text", "lmc_cli.match.lexicon",
                     "lexicon.json"}
    assert ":?" not in keys[0]


def test_a_cache_file_of_an_older_format_is_removed_when_its_path_is_cached_again(
        pack: Path, isolated_environment: Path) -> None:
    # Formats 1-5 named a path's files by SHA-256 of the path; format 6 names them otherwise and
    # never reads the old ones. Each is removed when the path's new file is written.
    import hashlib

    directory = isolated_environment / "lmc"
    directory.mkdir(parents=True)
    legacy = []
    for path in sorted(pack.iterdir()):
        if path.suffix == ".toml":
            name = hashlib.sha256(str(path).encode("utf-8", "surrogatepass")).hexdigest()[:32]
            for suffix in (".json", ".terms.json") if path.name != "sources.toml" else (".json",):
                (directory / (name + suffix)).write_text('{"key": [5]}\n[]')
                legacy.append(directory / (name + suffix))
    other = directory / ("0" * 32 + ".json")  # a file of a path not loaded: left alone
    other.write_text('{"key": [5]}\n[]')
    from lmc_cli import api

    corpus = api.open_corpus([pack], bundled=False)
    api.ask(corpus, "how many boats did the council count")  # the search terms: the .terms.json files
    assert [p for p in legacy if p.exists()] == [] and other.exists()
    assert len(cache_files(isolated_environment)) == 3 + 2 + 1  # three files and two terms, the other
