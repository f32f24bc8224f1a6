"""The checksum every row of the packs' cache carries (indexdb, indexchecks)."""

from __future__ import annotations

import zlib


def crc(*parts: object) -> int:
    """The checksum a row carries: typed (an int that became a text does not match), length-framed."""
    value = 0
    for part in parts:
        raw = part if isinstance(part, bytes) else f"{type(part).__name__}:{part}".encode("utf-8", "surrogatepass")
        value = zlib.crc32(raw, zlib.crc32(len(raw).to_bytes(8, "big"), value))
    return value
