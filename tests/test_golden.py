"""Golden renders of the terminal views at 80 and 120 columns (tests/golden/), drawn with
Console(width=..., record=True) from a pack of their own (tests/data/goldenpack), so that
edits to the bundled facts or the matcher's weights do not move them.

After a deliberate change to a view: LMC_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py
rewrites the files; review the diff like code.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console, Group

from lmc_cli.load.packs import load_corpus
from lmc_cli.model import Match
from lmc_cli.output import views
from lmc_cli.output.views import compact

GOLDEN = Path(__file__).parent / "golden"
PACK = Path(__file__).parent / "data" / "goldenpack"
WIDTHS = (80, 120)


@pytest.fixture(scope="module")
def corpus() -> Any:
    loaded = load_corpus([PACK], bundled=False, use_cache=False)
    assert not loaded.problems, [p.message for p in loaded.problems]
    return loaded


def renders(corpus: Any) -> dict[str, Callable[[], Any]]:
    facts = corpus.by_id()
    meeting = facts["test-river-council-first-leaders-meeting-riverton"]
    others = [facts["conflict-first-meeting-date"], facts["patrol-boats-1200"], facts["arrests-on-the-river"]]
    return {
        "ask-card": lambda: Group(views.answer_card(Match(meeting, 9.5, confidence=0.91)),
                                  compact.fact_lines(others, numbered=True, show_value=True,
                                                     title="Also relevant (lmc show ID)")),
        "list": lambda: Group(compact.fact_lines(corpus.facts, show_value=True), compact.legend(corpus.facts)),
        "stat-entries": lambda: compact.entries([Match(facts["patrol-boats-1200"], 8.0),
                                                 Match(facts["arrests-on-the-river"], 4.0)], show_value=True),
        "show": lambda: views.fact_detail(meeting, corpus.documents),
        "timeline": lambda: views.timeline_view(sorted((f for f in corpus.facts if f.effective_date),
                                                        key=lambda f: f.span() or ("", "")), symbols=True),
        "sources": lambda: views.documents_table([(d, 1) for _, d in sorted(corpus.documents.items())]),
    }


def draw(renderable: Any, width: int) -> str:
    console = Console(width=width, record=True, color_system=None, file=io.StringIO(), highlight=False,
                      emoji=False, markup=False, soft_wrap=False)
    console.print(renderable)
    return views.strip_trailing(console.export_text())


NAMES = ("ask-card", "list", "stat-entries", "show", "timeline", "sources")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", NAMES)
def test_render_matches_its_golden_file(corpus: Any, name: str, width: int) -> None:
    text = draw(renders(corpus)[name](), width)
    path = GOLDEN / f"{name}-{width}.txt"
    if os.environ.get("LMC_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"missing {path}: run with LMC_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", NAMES)
def test_golden_renders_fit_and_keep_ids_whole(corpus: Any, name: str, width: int) -> None:
    text = (GOLDEN / f"{name}-{width}.txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert all(len(line) <= width for line in lines), name
    assert all(line == line.rstrip() for line in lines), name
    words = set(text.replace("│", " ").replace(",", " ").split())
    shown = [f.id for f in corpus.facts if f.id[:12] in text]
    for fact_id in shown:
        assert fact_id in words, (name, fact_id)  # an id appears whole, never folded mid-word
