"""Semantic similarity from a static token-vector table, in pure Python.

The table (data/semantic_vectors.bin: rows, vocabulary and a hash index over it) was distilled
once, offline, from the sentence-embedding model all-MiniLM-L6-v2 by tools/distill_semantic.py
(model2vec's method: each WordPiece token's model output, PCA to 256 dimensions, Zipf weighting,
4-bit rows). A text's vector is the sum of its tokens' rows, normalised; similarity is the
cosine. No numpy, no model, no network: the table is memory-mapped on the first call, so
commands that do not search never pay for it (and those that do pay about 1 ms).

For speed, a fact's vector is computed once (`fact_vector`) and stored compactly (`pack`, 4 + dims
bytes); `similarities_packed` scores a question against stored vectors.
"""

from __future__ import annotations

import mmap
import re
import struct
import sys
import unicodedata
from array import array
from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass, field
from math import sqrt
from operator import mul
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zlib import crc32

from lmc_cli.errors import LmcError

if TYPE_CHECKING:
    from lmc_cli.model import Fact

DATA_DIR = Path(__file__).resolve().parent / "data"
VECTORS_FILE = "semantic_vectors.bin"
MAGIC = b"LMCSV4B2"
OFFSET = 8  # a stored nibble is value + 8 (values -7..7)
FIELD_BIAS = 1 << 15  # a field of `Table.wide` is its value + this, so never negative
FIELD_PEAK = (1 << 15) - 1  # the largest row value's magnitude, in integer steps
MAX_ROWS_A_SUM = (1 << 16) - 1  # 32-bit fields of values below 2**16 hold this many rows' sum
_HIGH = bytes(b >> 4 for b in range(256))
_LOW = bytes(b & 15 for b in range(256))
_PAD_240 = bytes(240)  # the rest of a 256-entry translation table whose first 16 entries matter
HEADER = struct.Struct("<IIII")  # rows, dims, hash slots, vocabulary bytes
PACKED_NORM = struct.Struct("<f")
WORD_MEMORY = 200_000  # words whose rows a table remembers before it starts afresh
MAX_WORD_CHARS = 100  # longer "words" are one unknown token, as in BERT's WordPiece
UNKNOWN = "[UNK]"
Buffer = bytes | mmap.mmap


class Vocabulary:
    """Token -> row through the hash index stored in the table file (no object per token).

    A token's slot is zlib.crc32 of its UTF-8 bytes modulo the slot count, probing on while the
    slot holds another token; a slot holds row + 1, 0 when empty (tools/distill_semantic.py).
    """

    __slots__ = ("_data", "_words", "_offsets", "_slots", "_mask", "_count")

    def __init__(self, data: Buffer, words_at: int, offsets: Sequence[int], slots: Sequence[int], count: int) -> None:
        self._data = data
        self._words = words_at
        self._offsets = offsets
        self._slots = slots
        self._mask = len(slots) - 1
        self._count = count

    def index(self, token: str) -> int:
        """The token's row, or -1 (also where a damaged index points nowhere sensible)."""
        raw = token.encode("utf-8")
        at = crc32(raw) & self._mask
        for _ in range(self._mask + 1):
            row = self._slots[at] - 1
            if row < 0 or row >= self._count:
                return -1
            start = self._words + self._offsets[row]
            if self._data[start : self._words + self._offsets[row + 1]] == raw:
                return row
            at = (at + 1) & self._mask
        return -1

    def token(self, row: int) -> str:
        start, end = self._offsets[row], self._offsets[row + 1]
        return self._data[self._words + start : self._words + end].decode("utf-8", "replace")

    def get(self, token: str, default: int = -1) -> int:
        row = self.index(token)
        return default if row < 0 else row

    def __contains__(self, token: object) -> bool:
        return isinstance(token, str) and self.index(token) >= 0

    def __getitem__(self, token: str) -> int:
        row = self.index(token)
        if row < 0:
            raise KeyError(token)
        return row

    def __len__(self) -> int:
        return self._count


@dataclass(frozen=True, slots=True)
class Table:
    """Token rows: row i is `scales[i] * (values - 8)`, values as `row(i)` gives them."""

    vocab: Vocabulary
    dims: int
    scales: array[float]
    data: Buffer  # the whole file: rows start at `base`, dims / 2 bytes each
    base: int
    unknown: int  # row of "[UNK]", -1 if none
    unit: float = 1.0  # integer steps per unit of a row value in `wide`
    _wide: dict[int, int] = field(default_factory=dict)
    _memo: dict[str, tuple[int, ...]] = field(default_factory=dict)  # word -> its tokens' rows

    def row(self, index: int) -> tuple[float, bytes]:
        """The row's scale and its dims values, each stored + 8 (0..15)."""
        width = self.dims // 2
        start = self.base + index * width
        chunk = self.data[start : start + width]
        return self.scales[index], chunk.translate(_HIGH) + chunk.translate(_LOW)

    def wide(self, index: int) -> int:
        """The row as one integer of dims 32-bit fields, each round(value * unit) + FIELD_BIAS.

        Adding these integers adds all the rows' fields at once (none carries into the next while
        fewer than 2**16 rows are added), which makes summing a text's rows one addition a token.
        """
        packed = self._wide.get(index)
        if packed is None:
            scale, values = self.row(index)
            step = scale * self.unit
            # A stored value is one of 16 (0..15): map each to its field's four bytes, byte by byte.
            fields = [round((v - OFFSET) * step) + FIELD_BIAS for v in range(16)]
            out = bytearray(4 * self.dims)
            for shift in range(4):
                out[shift::4] = values.translate(bytes([(f >> (8 * shift)) & 255 for f in fields]) + _PAD_240)
            packed = int.from_bytes(out, "little")
            self._wide[index] = packed
        return packed


_TABLE: Table | None = None


def load_table(path: Path) -> Table:
    """Read a table file; a missing or damaged one is an LmcError naming it."""
    data = _map(path)
    fixed = len(MAGIC) + HEADER.size
    if len(data) < fixed or data[: len(MAGIC)] != MAGIC:
        raise LmcError(f"{path} is not an lmc semantic table; reinstall lmc")
    count, dims, slots, words = HEADER.unpack_from(data, len(MAGIC))
    rows_at = fixed + 4 * count
    offsets_at = rows_at + count * (dims // 2)
    slots_at = offsets_at + 4 * (count + 1)
    words_at = slots_at + 4 * slots
    if dims == 0 or dims % 2 or slots < count or slots & (slots - 1) or len(data) != words_at + words:
        raise LmcError(f"{path} is damaged (its sizes do not add up); reinstall lmc")
    scales = _uint32_or_float(data, fixed, count, "f")
    offsets = _uint32_or_float(data, offsets_at, count + 1, "I")
    index = _uint32_or_float(data, slots_at, slots, "I")
    if offsets[0] != 0 or offsets[-1] != words:
        raise LmcError(f"{path} is damaged (its vocabulary offsets); reinstall lmc")
    vocab = Vocabulary(data, words_at, offsets, index, count)
    peak = max(scales, default=0.0) * (OFFSET - 1)
    unit = FIELD_PEAK / peak if peak > 0 else 1.0
    return Table(vocab, dims, scales, data, rows_at, vocab.index(UNKNOWN), unit)


def _map(path: Path) -> Buffer:
    """The file mapped read-only (pages are read as rows are used), or read whole if it cannot be."""
    try:
        with open(path, "rb") as fh:
            try:
                return mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
            except (OSError, ValueError):  # an empty file, or a file system without mmap
                return fh.read()
    except OSError as exc:
        raise LmcError(f"cannot read the semantic table ({exc}); reinstall lmc") from exc


def _uint32_or_float(data: Buffer, start: int, count: int, code: str) -> array[Any]:
    """`count` little-endian 4-byte items of array type `code` from `data` at `start`."""
    out = array(code)
    if out.itemsize != 4:  # pragma: no cover - CPython's "f" and "I" are 4 bytes where lmc runs
        raise LmcError(f"this platform's array type {code!r} is not 4 bytes")
    out.frombytes(data[start : start + 4 * count])
    if sys.byteorder == "big":  # pragma: no cover - big-endian hosts
        out.byteswap()
    return out


def table() -> Table:
    """The packaged table, loaded once per process."""
    global _TABLE
    if _TABLE is None:
        _TABLE = load_table(DATA_DIR / VECTORS_FILE)
    return _TABLE


def _is_punctuation(char: str) -> bool:
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2A6DF
        or 0xF900 <= code <= 0xFAFF
        or 0x2F800 <= code <= 0x2FA1F
    )


_ASCII_DROPPED = {code: None for code in [*range(32), 127] if chr(code) not in " \t\n\r"}
_ASCII_WORD = re.compile(r"[a-z0-9]+|[^\sa-z0-9]")
_SPACES = (" ", "\t", "\n", "\r")


def words(text: str) -> list[str]:
    """Fold (lower case, accents stripped) and split into words, punctuation and CJK characters.

    The same pre-tokenisation as the uncased BERT vocabulary the table was distilled from:
    control characters and accents are dropped, every punctuation mark and CJK character is a
    word of its own.
    """
    if text.isascii():  # the common case, at C speed: same result as `words_general`
        return _ascii_words(text)
    out: list[str] = []
    for chunk in text.split(" "):  # a space ends a word on either path, so chunks split alike
        if chunk:
            out.extend(_ascii_words(chunk) if chunk.isascii() else words_general(chunk))
    return out


def _ascii_words(text: str) -> list[str]:
    return _ASCII_WORD.findall(text.lower().translate(_ASCII_DROPPED))


def words_general(text: str) -> list[str]:
    """`words` for any text, a character at a time."""
    folded = unicodedata.normalize("NFD", text.lower())
    out: list[str] = []
    current: list[str] = []
    for char in folded:
        category = unicodedata.category(char)
        if char in _SPACES or category in ("Zs", "Zl", "Zp"):
            if current:
                out.append("".join(current))
                current = []
        elif category in ("Mn", "Cc", "Cf") or char == "\ufffd" or char == "\x00":
            continue  # accents and control characters are dropped, not word breaks
        elif _is_punctuation(char) or _is_cjk(char):
            if current:
                out.append("".join(current))
                current = []
            out.append(char)
        else:
            current.append(char)
    if current:
        out.append("".join(current))
    return out


def wordpiece(word: str, vocab: Container[str]) -> list[str]:
    """Greedy longest-match-first WordPiece; a word that cannot be covered is one unknown token."""
    found = _pieces(word, lambda piece: 0 if piece in vocab else -1)
    return [piece for piece, _ in found] if found is not None else [UNKNOWN]


def _pieces(word: str, find: Callable[[str], int]) -> list[tuple[str, int]] | None:
    """The word's WordPiece tokens with what `find` says of each (-1: absent); None if uncoverable."""
    if len(word) > MAX_WORD_CHARS:
        return None
    pieces: list[tuple[str, int]] = []
    start = 0
    while start < len(word):
        end = len(word)
        while end > start:
            piece = word[start:end] if start == 0 else "##" + word[start:end]
            row = find(piece)
            if row >= 0:
                pieces.append((piece, row))
                break
            end -= 1
        else:
            return None
        start = end
    return pieces


def tokens(text: str, vocab: Container[str] | None = None) -> list[str]:
    """The WordPiece tokens of a text (unknown words as "[UNK]")."""
    vocab = table().vocab if vocab is None else vocab
    return [piece for word in words(text) for piece in wordpiece(word, vocab)]


def _word_rows(tab: Table, word: str) -> tuple[int, ...]:
    """The table rows of a word's tokens (none for an unknown word), remembered per table."""
    rows = tab._memo.get(word)
    if rows is None:
        found = _pieces(word, tab.vocab.index)
        rows = tuple(row for _, row in found) if found is not None else ()
        if len(tab._memo) >= WORD_MEMORY:
            tab._memo.clear()
        tab._memo[word] = rows
    return rows


def embed(text: str) -> list[float]:
    """The text's unit vector (all zeros when no token of it is known)."""
    tab = table()
    wide = tab.wide
    rows = [wide(row) for word in words(text) for row in _word_rows(tab, word)]
    acc = [0] * tab.dims
    for start in range(0, len(rows), MAX_ROWS_A_SUM):
        chunk = rows[start : start + MAX_ROWS_A_SUM]
        fields = struct.unpack(f"<{tab.dims}I", sum(chunk).to_bytes(4 * tab.dims, "little"))
        bias = FIELD_BIAS * len(chunk)
        acc = [a + f - bias for a, f in zip(acc, fields, strict=True)]
    return _normalised([float(a) for a in acc])


def _normalised(vector: list[float]) -> list[float]:
    norm = sqrt(sum(map(mul, vector, vector)))
    if norm == 0.0:
        return vector
    return [x / norm for x in vector]


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    """Cosine of two vectors of one length; 0.0 when either is all zeros."""
    if len(a) != len(b):
        raise ValueError(f"vectors of {len(a)} and {len(b)} dimensions")
    norms = sqrt(sum(map(mul, a, a)) * sum(map(mul, b, b)))
    return sum(map(mul, a, b)) / norms if norms else 0.0


def similarities(question: str, candidates: Iterable[str]) -> list[float]:
    """Cosine of the question with each candidate text, in the candidates' order."""
    q = embed(question)
    return [sum(map(mul, q, embed(text))) for text in candidates]


def fact_text(
    title: str,
    text: str = "",
    aliases: Iterable[str] = (),
    keywords: Iterable[str] = (),
    questions: Iterable[str] = (),
) -> str:
    """The words of a fact that its semantic vector is made from (quotes left out: they are long
    and mostly about other things)."""
    parts = [title, text, *aliases, *keywords, *questions]
    return "\n".join(p for p in parts if p)


def fact_vector(
    title: str,
    text: str = "",
    aliases: Iterable[str] = (),
    keywords: Iterable[str] = (),
    questions: Iterable[str] = (),
) -> bytes:
    """A fact's vector, packed for storage in an index (`pack`)."""
    return pack(embed(fact_text(title, text, aliases, keywords, questions)))


def vector_of(fact: Fact) -> bytes:
    """`fact_vector` of a Fact record: title, text, aliases, keywords and questions."""
    return fact_vector(fact.title, fact.text, fact.aliases, fact.keywords, fact.questions)


def pack(vector: Sequence[float]) -> bytes:
    """A unit vector as 4 + dims bytes: float32 1/norm of the int8 values, then the int8 values."""
    peak = max((abs(x) for x in vector), default=0.0)
    if peak == 0.0:
        return PACKED_NORM.pack(0.0) + bytes(len(vector))
    factor = 127.0 / peak  # |x| <= peak, so every value rounds into -127..127
    quant = [round(x * factor) for x in vector]
    norm = sqrt(sum(q * q for q in quant))
    return PACKED_NORM.pack(1.0 / norm) + array("b", quant).tobytes()


def unpack(packed: bytes) -> list[float]:
    """The unit vector stored by `pack` (to int8 precision)."""
    (inverse,) = PACKED_NORM.unpack_from(packed)
    return [x * inverse for x in memoryview(packed)[PACKED_NORM.size :].cast("b")]


def similarities_packed(question: str | Sequence[float], packed: Iterable[bytes]) -> list[float]:
    """Cosine of the question (text or unit vector) with each packed fact vector."""
    q = embed(question) if isinstance(question, str) else question
    size = PACKED_NORM.size + len(q)
    out: list[float] = []
    for item in packed:
        if len(item) != size:
            raise LmcError(f"a stored semantic vector has {len(item)} bytes, not {size}; rebuild the index")
        (inverse,) = PACKED_NORM.unpack_from(item)
        out.append(sum(map(mul, q, memoryview(item)[PACKED_NORM.size :].cast("b"))) * inverse)
    return out
