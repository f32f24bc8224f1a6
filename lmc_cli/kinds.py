"""The registry of fact kinds (tables): how each is named, marked and drawn, in one place.

A pack may bring a table lmc has never seen: it is loaded, searched and listed like any
other and drawn with OTHER. A kind named here gets its word, terminal mark and chart lane.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Kind:
    table: str  # the table name in fact files
    label: str  # one fact of it, in a sentence ("a meeting")
    symbol: str  # its mark on a terminal
    style: str  # its Rich style on a terminal
    lane: str  # its lane on the timeline chart
    colour: str  # its chart colour (Okabe-Ito: told apart by most colour-blind readers)
    shape: str  # its chart marker (colour is never the only cue)


# In chart lane order.
KINDS: tuple[Kind, ...] = (
    Kind("meetings", "meeting", "●", "bold blue", "meetings", "#0072B2", "circle"),
    Kind("events", "event", "◆", "bold green", "events", "#009E73", "diamond"),
    Kind("stats", "figure", "▲", "bold cyan", "figures", "#C98A00", "triangle"),
    Kind("organizations", "organization", "■", "bright_black", "organisations", "#CC79A7", "square"),
    Kind("places", "place", "⌂", "bright_black", "places", "#56B4E9", "pentagon"),
    Kind("people", "person", "☺", "bright_black", "people", "#555555", "star"),
    Kind("statements", "statement", "❝", "magenta", "statements", "#7B61A8", "down"),
    Kind("threats", "threat", "✖", "red", "threats", "#A50026", "cross"),
    Kind("conflicts", "conflict", "⚠", "bold yellow", "disputes", "#D55E00", "hexagon"),
)
BY_TABLE: dict[str, Kind] = {kind.table: kind for kind in KINDS}
OTHER = Kind("", "", "•", "", "", "#777777", "circle")


def kind_of(table: str) -> Kind:
    """The registered kind of a table, or OTHER with the table's own name as its label."""
    found = BY_TABLE.get(table)
    return found if found is not None else Kind(table, table, OTHER.symbol, OTHER.style, "", OTHER.colour,
                                                 OTHER.shape)
