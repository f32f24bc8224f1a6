"""The packs' index file (lmc_cli.match.indexdb): the same rankings as in memory, keyed, never fatal."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zlib
from pathlib import Path
from typing import Any

import pytest
from helpers import invoke

from lmc_cli import api
from lmc_cli.load import packs
from lmc_cli.match import indexdb
from lmc_cli.match import rank as search
from lmc_cli.match.rank import Index, IndexUnreadable, fact_terms, rank

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from make_pack import write_pack  # noqa: E402

SCOPES = {"ask": None, "stat": ("stats",), "meeting": ("meetings",)}
SYNTHETIC_QUERIES = [
    "how many people were arrested", "arrests", "meth seizures", "methamphetamine tablets in 2019",
    "when was the railway opened", "where is the hydropower dam", "who reported the fraud cases",
    "first summit on cyber scams", "third foreign ministers meeting", "lighthuose", "arestted suspects",
    "reprtriated", "banchi", "澜湄合作", "清迈", "what is the task force", "gambling dens in Laos",
    "trafficking victims rescued", "usd loans", "percent", "50,000", "the", "zzzzqqq", "border checkpoints 2021",
]


def questions() -> list[tuple[str, str]]:
    cases = []
    for name in ("questions.jsonl", "questions_blind.jsonl", "questions_blind2.jsonl"):
        for line in (ROOT / "tests" / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                case = json.loads(line)
                cases.append((case["cmd"][0], " ".join(case["cmd"][1:])))
    return cases


def outcome(ranking: search.Ranking) -> Any:
    """Everything a ranking says, floats exactly."""
    def matches(found: list[Any]) -> list[Any]:
        return [(m.fact, m.score, m.coverage, m.terms) for m in found]

    return (matches(ranking.matches), ranking.kind, ranking.terms, matches(ranking.candidates), ranking.answered)


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> tuple[packs.Corpus, list[dict[str, float]], Any]:
    """A ~3,000-fact generated pack with the bundled facts, loaded, and its index file."""
    root = tmp_path_factory.mktemp("big")
    write_pack(3000, root / "pack-3000")
    corpus = packs.load_corpus([root / "pack-3000"], use_cache=False)
    assert corpus.problems == [] and len(corpus.facts) > 3000
    terms = [fact_terms(f) for f in corpus.facts]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(root / "cache"))
        cached = indexdb.corpus_index([root / "pack-3000"], True)
    assert cached is not None
    return corpus, terms, cached


def test_both_backends_rank_identically(big: Any) -> None:
    corpus, terms, cached = big
    cases = questions() + [(command, q) for q in SYNTHETIC_QUERIES for command in SCOPES]
    for scope in set(SCOPES.values()):
        chosen = [i for i, f in enumerate(corpus.facts) if scope is None or f.table in scope]
        memory = Index.from_terms([corpus.facts[i] for i in chosen], [terms[i] for i in chosen])
        stored = cached.index(scope)
        assert stored.size == memory.size
        assert stored.vocabulary == memory.vocabulary and stored.cjk_vocabulary == memory.cjk_vocabulary
        for command, query in cases:
            if SCOPES[command] != scope:
                continue
            kind = "meeting" if command == "meeting" else None
            for limit in (10, 60):  # past the re-ranked leaders too
                expected = rank(memory, query, kind=kind, limit=limit)
                assert outcome(rank(stored, query, kind=kind, limit=limit)) == outcome(expected), query


def test_facts_and_documents_round_trip(big: Any) -> None:
    corpus, _, cached = big
    index = cached.index()
    for position in (0, 1, len(corpus.facts) // 2, len(corpus.facts) - 1):
        assert index.fact(position) == corpus.facts[position]
        assert index.meta(position) == search.fact_kind(corpus.facts[position])
    assert cached.documents == corpus.documents


def test_the_span_index_finds_the_facts_of_a_range(big: Any) -> None:
    """in_span against api.in_range over the loaded facts: ranges ending and starting on the very
    days facts start and end (the edges of its comparisons), open ranges, a table, a year."""
    import random

    corpus, _, cached = big
    rng = random.Random(5)
    days = sorted({day for f in corpus.facts if f.span() for day in f.span() or ()})
    bounds = [(None, None), ("2016-01-01", "2016-12-31"), (None, days[0]), (days[-1], None), ("2030-01-01", None)]
    bounds += [tuple(sorted(rng.sample(days, 2))) for _ in range(20)]
    bounds += [(day, day) for day in rng.sample(days, 20)]
    for low, high in bounds:
        for tables in ((), ("meetings",), ("stats", "events")):
            expected = [f for f in corpus.facts if (not tables or f.table in tables) and api.in_range(f, low, high)]
            assert cached.in_span(low, high, tables) == expected, (low, high, tables)
    assert cached.facts_at([5, 3, 5, 0]) == [corpus.facts[i] for i in (5, 3, 5, 0)]


# --- through the command line ---------------------------------------------------------


@pytest.fixture
def pack(minipack: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "idxpack"
    shutil.copytree(minipack, copy)
    return copy


def index_files(cache: Path) -> list[Path]:
    return sorted((cache / "lmc").glob("index-*.sqlite"))


def search_json(*args: str) -> Any:
    result = invoke(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout), result.stderr


def test_a_warm_search_reads_the_index_file_not_the_packs(pack: Path, isolated_environment: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    first = search_json("--facts", str(pack), "stat", "boats")
    assert len(index_files(isolated_environment)) == 1
    monkeypatch.setattr(packs, "load_corpus", lambda *a, **k: pytest.fail("loaded the corpus"))
    assert search_json("--facts", str(pack), "stat", "boats") == first
    assert search_json("--facts", str(pack), "ask", "how many boats did the council count")[0]


def test_bundled_facts_alone_are_searched_in_memory(isolated_environment: Path) -> None:
    assert search_json("stat", "arrests")[0]
    assert index_files(isolated_environment) == []


def test_a_changed_file_invalidates_the_index(pack: Path) -> None:
    path = pack / "figures.toml"
    assert search_json("--facts", str(pack), "stat", "boats")[0][0]["title"] == "Boats counted by the council"
    old = path.stat()
    replacement = pack / "figures.new"
    replacement.write_text(path.read_text(encoding="utf-8").replace("Boats counted", "Ships counted"),
                           encoding="utf-8")
    os.replace(replacement, path)
    os.utime(path, ns=(old.st_atime_ns, old.st_mtime_ns))  # same size and mtime, new inode
    assert search_json("--facts", str(pack), "stat", "boats")[0][0]["title"] == "Ships counted by the council"


def test_a_new_file_in_a_pack_invalidates_the_index(pack: Path) -> None:
    search_json("--facts", str(pack), "stat", "boats")
    extra = pack / "more.toml"
    extra.write_text('table = "stats"\n[[fact]]\nid = "test-rafts"\ntitle = "Rafts counted"\n'
                     'text = "The council counted 12 rafts."\nvalue = 12\n[[fact.sources]]\n'
                     'doc = "doc1"\nquote = "It counted more than 1,200 boats."\n', encoding="utf-8")
    found, _ = search_json("--facts", str(pack), "stat", "rafts")
    assert found[0]["id"] == "test-rafts"


@pytest.mark.parametrize("garbage", [b"", b"not a database at all", b"SQLite format 3\x00" + b"\x00" * 200])
def test_a_corrupt_index_file_is_ignored_and_rebuilt(pack: Path, isolated_environment: Path, garbage: bytes) -> None:
    expected = search_json("--facts", str(pack), "stat", "boats")
    [path] = index_files(isolated_environment)
    path.write_bytes(garbage)
    assert search_json("--facts", str(pack), "stat", "boats") == expected
    assert indexdb.corpus_index([pack], True) is not None
    assert path.stat().st_size > 1000 and path.read_bytes()[:16] == b"SQLite format 3\x00"  # rebuilt


def test_a_failure_mid_search_falls_back_to_memory(pack: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = search_json("--facts", str(pack), "ask", "how many boats")

    def broken(self: Any, sql: str, parameters: Any = ()) -> Any:
        raise IndexUnreadable("database disk image is malformed")

    monkeypatch.setattr(indexdb.CachedCorpus, "query", broken)
    assert search_json("--facts", str(pack), "ask", "how many boats") == expected


def test_a_read_only_cache_directory_searches_in_memory(pack: Path, isolated_environment: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    expected = search_json("--no-bundled", "--facts", str(pack), "stat", "boats")
    for path in index_files(isolated_environment):
        path.unlink()

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(indexdb.tempfiles, "create", refuse)  # the index's temporary file (tempfiles.py)
    assert search_json("--no-bundled", "--facts", str(pack), "stat", "boats") == expected
    assert index_files(isolated_environment) == []


def test_warnings_for_a_broken_pack_are_kept_in_the_index(pack: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(pack, broken)  # the same ids: a clash, so this pack is skipped
    args = ("--facts", str(pack), "--facts", str(broken), "stat", "boats")
    first, warnings = search_json(*args)
    assert "duplicate id" in warnings and "(pack 'broken' skipped)" in warnings
    monkeypatch.setattr(packs, "load_corpus", lambda *a, **k: pytest.fail("loaded the corpus"))
    assert search_json(*args) == (first, warnings)


def test_only_broken_packs_still_exit_3(tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "bad.toml").write_text("[[fact]]\nid = 'x'\n", encoding="utf-8")
    for _ in range(2):
        result = invoke("--no-bundled", "--facts", str(broken), "stat", "boats")
        assert result.exit_code == 3 and "bad.toml" in result.stderr


def test_concurrent_first_runs_share_one_index(pack: Path, isolated_environment: Path) -> None:
    lmc = Path(sys.executable).parent / "lmc"
    args = [str(lmc), "--facts", str(pack), "ask", "how many boats", "--format", "json"]
    env = {**os.environ, "XDG_CACHE_HOME": str(isolated_environment)}
    runs = [subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) for _ in range(6)]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert all(run.returncode == 0 for run in runs), outputs
    assert len({stdout for stdout, _ in outputs}) == 1 and all(stderr == b"" for _, stderr in outputs)
    assert len(index_files(isolated_environment)) == 1
    assert [p.name for p in (isolated_environment / "lmc").iterdir() if p.name.startswith(".tmp-")] == []


# --- one cache per set of packs, updated file by file (issue 16) ---------------------------------


def test_the_same_pack_named_two_ways_is_one_cache(pack: Path, isolated_environment: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(pack.parent)
    first = search_json("--facts", pack.name, "stat", "boats")
    monkeypatch.chdir(pack)
    monkeypatch.setattr(indexdb, "parse_file", lambda *a: pytest.fail("parsed a file again"))
    assert search_json("--facts", ".", "stat", "boats") == first
    assert search_json("--facts", str(pack), "stat", "boats") == first
    assert len(index_files(isolated_environment)) == 1


def test_a_same_size_same_mtime_rewrite_in_place_is_seen(pack: Path) -> None:
    path = pack / "figures.toml"
    assert search_json("--facts", str(pack), "stat", "boats")[0][0]["title"] == "Boats counted by the council"
    old = path.stat()
    with open(path, "r+b") as handle:  # the same inode, size and (restored) mtime: only ctime tells
        data = handle.read().replace(b"Boats counted", b"Ships counted")
        handle.seek(0)
        handle.write(data)
    os.utime(path, ns=(old.st_atime_ns, old.st_mtime_ns))
    assert path.stat().st_ino == old.st_ino and path.stat().st_size == old.st_size
    assert search_json("--facts", str(pack), "stat", "boats")[0][0]["title"] == "Ships counted by the council"


def test_only_the_changed_file_is_parsed_again(pack: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    search_json("--facts", str(pack), "stat", "boats")
    parsed: list[str] = []
    real = indexdb.parse_file
    monkeypatch.setattr(indexdb, "parse_file", lambda path, *a: parsed.append(path.name) or real(path, *a))
    os.utime(pack / "figures.toml")  # a new key, the same content: hashed, not parsed
    search_json("--facts", str(pack), "stat", "boats")
    assert parsed == []
    path = pack / "figures.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("Boats counted", "Ships counted"), encoding="utf-8")
    assert search_json("--facts", str(pack), "stat", "boats")[0][0]["title"] == "Ships counted by the council"
    assert parsed == ["figures.toml"]


def test_an_edit_reruns_the_checks_only_around_the_changed_file(pack: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    search_json("--facts", str(pack), "stat", "boats")
    calls: list[int] = []
    real = packs.corpus_problems
    monkeypatch.setattr(packs, "corpus_problems", lambda *a: calls.append(1) or real(*a))
    path = pack / "figures.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Boats counted", "Ships counted"), encoding="utf-8")
    found, warnings = search_json("--facts", str(pack), "stat", "boats")
    assert found[0]["title"] == "Ships counted by the council" and warnings == "" and calls == []
    # a reference to no fact: the whole checks say what is wrong, and the pack is skipped
    path.write_text(text.replace('id = "test-boats"', 'id = "test-boats"\nrelated = ["test-nothing"]'),
                    encoding="utf-8")
    result = invoke("--facts", str(pack), "stat", "boats", "--format", "json")
    assert calls and "related id 'test-nothing' does not exist" in result.stderr
    path.write_text(text, encoding="utf-8")
    found, warnings = search_json("--facts", str(pack), "stat", "boats")
    assert found[0]["title"] == "Boats counted by the council" and warnings == ""


def test_a_damaged_check_row_rebuilds_the_check_tables(pack: Path, isolated_environment: Path) -> None:
    import sqlite3

    search_json("--facts", str(pack), "stat", "boats")
    [path] = index_files(isolated_environment)
    with sqlite3.connect(path) as connection:  # a row of the file left as it is, its checksum wrong
        assert connection.execute("UPDATE check_ids SET crc = crc + 1 WHERE id = 'test-council-first-meeting'"
                                  ).rowcount == 1
    figures = pack / "figures.toml"  # a reference to that row's fact: its row is read
    figures.write_text(figures.read_text(encoding="utf-8").replace(
        'id = "test-boats"', 'id = "test-boats"\nrelated = ["test-council-first-meeting"]'), encoding="utf-8")
    found, warnings = search_json("--facts", str(pack), "stat", "boats")
    assert found[0]["related"] == ["test-council-first-meeting"] and warnings == ""
    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT id, fid, n, crc FROM check_ids").fetchall()
    assert "test-council-first-meeting" in {r[0] for r in rows}
    assert all(checksum == indexdb.crc(i, fid, n) for i, fid, n, checksum in rows)


def test_a_damaged_row_is_a_miss_and_its_file_is_parsed_again(pack: Path, isolated_environment: Path) -> None:
    import sqlite3

    expected = search_json("--facts", str(pack), "stat", "boats")
    [path] = index_files(isolated_environment)
    with sqlite3.connect(path) as connection:  # a flipped word, its checksum left as it was
        rows = [(fid, seq, zlib.decompress(record)) for fid, seq, record in
                connection.execute("SELECT fid, seq, record FROM facts")]
        changed = [(zlib.compress(raw.replace(b"Boats", b"Boots")), fid, seq) for fid, seq, raw in rows
                   if b"Boats counted" in raw]
        connection.executemany("UPDATE facts SET record = ? WHERE fid = ? AND seq = ?", changed)
    assert len(changed) == 1
    assert search_json("--facts", str(pack), "stat", "boats") == expected  # in memory, this once
    assert search_json("--facts", str(pack), "stat", "boats") == expected  # the file parsed again
    with sqlite3.connect(path) as connection:
        stored = [zlib.decompress(record) for (record,) in connection.execute("SELECT record FROM facts")]
    assert not any(b"Boots" in raw for raw in stored) and sum(b"Boats counted" in raw for raw in stored) == 1


def test_a_reader_keeps_its_snapshot_while_another_lmc_updates(pack: Path, isolated_environment: Path) -> None:
    reader = indexdb.corpus_index([pack], False)
    assert reader is not None
    index = reader.index(("stats",))
    before = [index.fact(p).title for p in range(reader.size) if index.meta(p).table == "stats"]
    path = pack / "figures.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("Boats counted", "Ships counted"), encoding="utf-8")
    lmc = Path(sys.executable).parent / "lmc"
    env = {**os.environ, "XDG_CACHE_HOME": str(isolated_environment)}
    done = subprocess.run([str(lmc), "--no-bundled", "--facts", str(pack), "stat", "ships", "-f", "json"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0 and "Ships counted" in done.stdout, done.stderr
    reader._facts.clear()
    assert [index.fact(p).title for p in range(reader.size) if index.meta(p).table == "stats"] == before
    after = indexdb.corpus_index([pack], False)
    assert after is not None and any(after.fact(p).title == "Ships counted by the council" for p in range(after.size))


def snapshot(cached: indexdb.CachedCorpus) -> Any:
    """Everything a cache answers with: facts in order, postings by position, problems, documents."""
    index = cached.index()
    facts = [index.fact(p) for p in range(cached.size)]
    postings = {term: list(index.postings_for(term)) for term in index.vocabulary}
    return (facts, [index.meta(p) for p in range(cached.size)], postings,
            [p.message for p in cached.problems], cached.documents)


def test_an_incremental_update_gives_the_same_cache_as_a_rebuild(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import random

    rng = random.Random(16)
    root = tmp_path / "syn"
    write_pack(700, root, per_file=50)
    other = tmp_path / "other"
    shutil.copytree(ROOT / "tests" / "data" / "minipack", other)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "incremental"))
    assert indexdb.corpus_index([root, other], True) is not None
    for step in range(8):
        names = sorted(p.name for p in root.glob("*.toml") if p.name != "sources.toml")
        action = rng.choice(["edit", "edit", "remove", "add", "clash"])
        victim = root / rng.choice(names)
        if action == "edit":
            lines = victim.read_text(encoding="utf-8").split("\n")
            titles = [i for i, line in enumerate(lines) if line.startswith("title = ")]
            lines[rng.choice(titles)] = f'title = "Edited title {step}"'
            victim.write_text("\n".join(lines), encoding="utf-8")
        elif action == "remove":
            victim.unlink()
        elif action == "add":
            text = victim.read_text(encoding="utf-8").replace('id = "', f'id = "added{step}-')
            text = text.replace('related = ["', f'related = ["added{step}-')
            (root / f"zz-added-{step}.toml").write_text(text, encoding="utf-8")
        else:  # a duplicate id across packs: the second pack is skipped, then fixed again
            (other / "clash.toml").write_text(victim.read_text(encoding="utf-8"), encoding="utf-8")
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "incremental"))
        updated = indexdb.corpus_index([root, other], True)
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / f"fresh-{step}"))
        fresh = indexdb.corpus_index([root, other], True)
        assert updated is not None and fresh is not None
        assert snapshot(updated) == snapshot(fresh), action
        corpus = packs.load_corpus([root, other], use_cache=False)
        assert [fresh.fact(p) for p in range(fresh.size)] == corpus.facts
        assert [p.message for p in fresh.problems] == [p.message for p in corpus.problems]
        for query in ("how many people were arrested", "edited title", "first summit on cyber scams"):
            assert outcome(rank(updated.index(), query, limit=10)) == outcome(rank(fresh.index(), query, limit=10))
        (other / "clash.toml").unlink(missing_ok=True)


def fact_blocks(text: str) -> list[str]:
    return ["[[fact]]" + part for part in text.split("[[fact]]")[1:]]


def test_incremental_checks_give_the_same_cache_as_a_rebuild(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Random edits that add and remove references (to earlier and later packs, to no fact),
    duplicates, alias collisions, disputes and drafts: after each, the updated cache (its checks
    rerun only around the changed files when nothing is wrong) equals one built from scratch, and
    both equal load_corpus. An edit that breaks a pack is undone and checked again, so both ways
    of updating are taken many times."""
    import random

    rng = random.Random(1616)
    root = tmp_path / "syn"
    write_pack(300, root, per_file=30)
    other = tmp_path / "other"
    shutil.copytree(ROOT / "tests" / "data" / "minipack", other)
    bundled_ids = [f.id for f in packs.load_corpus([], use_cache=False).facts]
    ways: list[bool] = []
    real = indexdb.incremental_state

    def recorded(*args: Any) -> Any:
        found = real(*args)
        if os.environ["XDG_CACHE_HOME"].endswith("incremental"):
            ways.append(found is not None)
        return found

    monkeypatch.setattr(indexdb, "incremental_state", recorded)

    def fact_files() -> list[Path]:
        return sorted(p for p in root.glob("*.toml") if p.name != "sources.toml")

    def synthetic_ids() -> list[str]:
        return [line.split('"')[1] for p in fact_files() for line in p.read_text(encoding="utf-8").splitlines()
                if line.startswith("id = ")]

    def add_line(path: Path, line: str) -> None:
        """`line` after the id of one of the file's facts."""
        lines = path.read_text(encoding="utf-8").split("\n")
        at = rng.choice([i for i, text in enumerate(lines) if text.startswith("id = ")])
        lines.insert(at + 1, line)
        path.write_text("\n".join(lines), encoding="utf-8")

    def files_now() -> dict[Path, str]:
        return {p: p.read_text(encoding="utf-8") for d in (root, other) for p in d.glob("*.toml")}

    def put_back(saved: dict[Path, str]) -> None:
        for path in set(files_now()) - set(saved):
            path.unlink()
        for path, text in saved.items():
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8")

    def compare(step: int, action: str) -> bool:
        """The updated cache against a new one and load_corpus; whether the packs have a problem."""
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "incremental"))
        updated = indexdb.corpus_index([root, other], True)
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "fresh"))
        fresh = indexdb.corpus_index([root, other], True)
        assert updated is not None and fresh is not None
        assert snapshot(updated) == snapshot(fresh), (step, action)
        assert (updated.disputes, updated.counts) == (fresh.disputes, fresh.counts), (step, action)
        corpus = packs.load_corpus([root, other], use_cache=False)
        assert [fresh.fact(p) for p in range(fresh.size)] == corpus.facts
        assert [p.message for p in fresh.problems] == [p.message for p in corpus.problems]
        assert fresh.counts == {label: n for label, n in api.citation_counts(corpus).items() if n}
        for query in ("how many people were arrested", "edited", "which figure"):
            assert outcome(rank(updated.index(), query, limit=10)) == outcome(rank(fresh.index(), query, limit=10))
        shutil.rmtree(tmp_path / "fresh")
        return bool(fresh.problems)

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "incremental"))
    assert indexdb.corpus_index([root, other], True) is not None
    actions = ["edit", "relate", "relate", "relate", "dangle", "dispute", "dispute", "undispute", "remove", "add",
               "duplicate", "clash", "alias", "draft"]
    broken = 0
    for step in range(36):
        saved = files_now()
        action = rng.choice(actions)
        victim = rng.choice(fact_files())
        text = victim.read_text(encoding="utf-8")
        if action == "edit":
            victim.write_text(text.replace('title = "', f'title = "Edited {step} ', 1), encoding="utf-8")
        elif action == "relate":  # to the same pack, the bundled pack (earlier: fine) or the other (later: not)
            target = rng.choice([*rng.sample(synthetic_ids(), 4), rng.choice(bundled_ids),
                                 "test-council-first-meeting"])
            add_line(victim, f'related = ["{target}"]')
        elif action == "dangle":
            add_line(victim, f'related = ["no-such-fact-{step}"]')
        elif action == "dispute":
            targets = rng.sample(synthetic_ids(), 2) + ([rng.choice(bundled_ids)] if rng.random() < 0.5 else [])
            related = ", ".join(f'"{t}"' for t in [*targets, targets[0]])
            (root / f"zz-conflict-{step}.toml").write_text(
                f'table = "conflicts"\n\n[[fact]]\nid = "conflict-{step}"\ntitle = "Which figure, {step}?"\n'
                f'text = "Two reports disagree ({step})."\nrelated = [{related}]\n\n'
                f'[[fact.sources]]\ndoc = "d1"\nquote = "A quote {step}"\n', encoding="utf-8")
        elif action == "undispute":
            for path in sorted(root.glob("zz-conflict-*.toml"))[:1]:
                path.unlink()
        elif action == "remove":
            victim.unlink()
        elif action == "add":
            (root / f"zz-added-{step}.toml").write_text(text.replace('id = "', f'id = "added{step}-'),
                                                         encoding="utf-8")
        elif action == "duplicate":  # a fact of one file copied into another of the same pack
            host = rng.choice(fact_files())
            host.write_text(host.read_text(encoding="utf-8") + "\n" + rng.choice(fact_blocks(text)),
                            encoding="utf-8")
        elif action == "clash":  # the same ids in a later pack
            (other / "clash.toml").write_text(text, encoding="utf-8")
        elif action == "alias":  # one fact takes another's aliases
            lines = [line for p in fact_files() for line in p.read_text(encoding="utf-8").split("\n")
                     if line.startswith("aliases = ")]
            mine = [line for line in text.split("\n") if line.startswith("aliases = ")]
            if mine:
                victim.write_text(text.replace(mine[0], rng.choice(lines), 1), encoding="utf-8")
        else:
            add_line(victim, "draft = true")
        if compare(step, action):
            broken += 1
            put_back(saved)
            assert not compare(step, "undone")
    assert broken >= 4 and sum(ways) >= 10 and ways.count(False) >= 2 * broken, (broken, ways)
