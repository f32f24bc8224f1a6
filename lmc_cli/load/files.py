"""Reading files a fact pack names, safely: regular files only, with a bound, never through a link
out of the pack.

A pack is untrusted input. A FIFO or a device named `*.toml` would block lmc (and Tab) or fill
memory; a symlink could lead out of the pack, and swapping it between a check and the open
(a race) could too; a loop, a name that is not UTF-8 or an unreadable directory must make the
pack broken (one warning, the other packs answer), never crash lmc. So:

- a file is opened with O_NONBLOCK (a FIFO opens at once), checked with fstat to be a regular
  file, and read to at most `limit` + 1 bytes;
- a pack's files are listed once through a directory descriptor; a link is followed only to a
  file beside it, which is then opened with O_NOFOLLOW: what is read is always a regular file in
  the pack directory itself, whatever the link says by then;
- editor and OS side files (names starting with `.`: Emacs's `.#x.toml` lock links, macOS's
  `._x.toml`) are not part of the pack.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from lmc_cli.errors import DataError

MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
FACT_SUFFIX = ".toml"
_CHUNK = 1 << 20
_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def _problem(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symlink loop (or a link where a file was expected)"
    return exc.strerror or str(exc)


def read_regular(path: Path | str, limit: int = MAX_FILE_BYTES, *, follow_links: bool = True) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; anything else is a DataError naming it.

    With follow_links=False the last component must not be a symlink (see list_pack).
    """
    where = str(path)
    try:
        fd = os.open(path, _OPEN_FLAGS | (0 if follow_links else _NOFOLLOW))
    except OSError as exc:
        raise DataError(f"cannot read: {_problem(exc)}", where) from None
    except ValueError:  # an embedded NUL
        raise DataError("cannot read: the name holds a NUL byte", where.replace("\0", "\\x00")) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise DataError("is a directory, not a fact file", where)
        if not stat.S_ISREG(info.st_mode):
            raise DataError("is not a regular file (a FIFO, device or socket); refusing to read it", where)
        if info.st_size > limit:
            raise DataError(f"file is {info.st_size} bytes, over the {limit}-byte limit", where)
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            chunk = os.read(fd, min(_CHUNK, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            raise DataError(f"file grew over the {limit}-byte limit while being read", where)
        return b"".join(chunks)
    except OSError as exc:
        raise DataError(f"cannot read: {_problem(exc)}", where) from None
    finally:
        os.close(fd)


def is_side_file(name: str) -> bool:
    """Editor and OS files that sit beside a pack's files but are not part of it."""
    return name.startswith(".")


def _valid_name(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # a byte that was not UTF-8, kept as a lone surrogate
        return False
    return True


def list_pack(directory: Path) -> list[Path]:
    """The fact files of a pack, sorted: `*.toml` beside each other, links resolved to a sibling.

    Each path names a regular file in `directory` itself, to be read with follow_links=False.
    A link out of the pack, a loop, a link to a link, a FIFO or device, a name that is not UTF-8
    or a directory that cannot be listed is a DataError: the pack is broken.
    """
    where = str(directory)
    if not _valid_name(os.path.basename(os.path.abspath(directory))):
        raise DataError("the directory name is not UTF-8; rename it", where)
    try:
        dir_fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise DataError(f"cannot list: {_problem(exc)}", where) from None
    except ValueError:
        raise DataError("cannot list: the name holds a NUL byte", where.replace("\0", "\\x00")) from None
    try:
        try:
            names = sorted(os.listdir(dir_fd))
        except OSError as exc:
            raise DataError(f"cannot list: {_problem(exc)}", where) from None
        home = os.path.normpath(os.path.abspath(directory))
        homes = (home, os.path.realpath(directory))
        found: dict[str, Path] = {}
        for name in names:
            if not name.endswith(FACT_SUFFIX) or is_side_file(name):
                continue
            shown = directory / name
            if not _valid_name(name):
                raise DataError("the file name is not UTF-8; rename it", str(shown))
            target = _in_pack(dir_fd, name, homes, str(shown))
            found.setdefault(target, directory / target)
        return list(found.values())
    finally:
        os.close(dir_fd)


def _in_pack(dir_fd: int, name: str, homes: tuple[str, str], shown: str) -> str:
    """The name in the pack directory that `name` stands for: itself, or the sibling it links to."""
    try:
        info = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
        if stat.S_ISLNK(info.st_mode):
            link = os.readlink(name, dir_fd=dir_fd)
            target = os.path.normpath(os.path.join(homes[0], link))
            if os.path.dirname(target) not in homes:
                raise DataError("links outside its pack; refusing to read it", shown)
            name = os.path.basename(target)
            if not _valid_name(name):
                raise DataError("links to a name that is not UTF-8", shown)
            info = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
            if stat.S_ISLNK(info.st_mode):
                raise DataError("links to a link (or is a symlink loop); refusing to follow it", shown)
    except OSError as exc:
        raise DataError(f"cannot read: {_problem(exc)}", shown) from None
    if stat.S_ISDIR(info.st_mode):
        raise DataError("is a directory, not a fact file", shown)
    if not stat.S_ISREG(info.st_mode):
        raise DataError("is not a regular file (a FIFO, device or socket); refusing to read it", shown)
    return name
