"""Usage errors in lmc's words: one line, `lmc: ...`, whatever Click or Typer raised.

Click prints a usage line, a hint and `Error: ...` (four lines); Typer words a bad value as
Pydantic does (`Value error, 'xml' is not one of ...`, `Input should be greater than or equal
to 1`). `usage_line` says the same thing once, naming the command and the option, with the
choices or a "did you mean" where there is one.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

PYDANTIC_REWORDING = (
    (re.compile(r"^Value error, (.*?)\.?$"), r"\1"),
    (re.compile(r"^Input should be greater than or equal to (\S+)$"), r"must be \1 or more"),
    (re.compile(r"^Input should be less than or equal to (\S+)$"), r"must be \1 or less"),
    (re.compile(r"^Input should be a valid integer.*$"), "must be a whole number"),
    (re.compile(r"^Input should be a valid number.*$"), "must be a number"),
)


def reword(text: str) -> str:
    text = text.strip()
    for pattern, replacement in PYDANTIC_REWORDING:
        if pattern.match(text):
            return pattern.sub(replacement, text)
    return text[:1].lower() + text[1:].rstrip(".") if text else text


def command_words(exc: Any) -> list[str]:
    ctx = getattr(exc, "ctx", None)
    path = str(getattr(ctx, "command_path", "") or "lmc").split()
    return path[1:] if path and path[0] == "lmc" else path


def param_name(param: Any) -> str:
    opts = [o for o in getattr(param, "opts", None) or () if o.startswith("-")]
    if opts:
        return str(max(opts, key=len))
    return str(getattr(param, "metavar", None) or getattr(param, "name", "") or "argument").upper().rstrip(".")


def commands_of(exc: Any) -> list[str]:
    ctx = getattr(exc, "ctx", None)
    command = getattr(ctx, "command", None)
    return sorted(getattr(command, "commands", {}) or {})


def usage_line(exc: Any) -> str:
    """The one line that replaces Click's usage block for `exc` (a Click exception)."""
    name = type(exc).__name__
    words = command_words(exc)
    where = f"lmc {' '.join(words)}".strip()
    prefix = f"lmc: {' '.join(words)}: " if words else "lmc: "
    hint = f" (see {where} --help)" if getattr(exc, "ctx", None) is not None else ""
    message = str(getattr(exc, "message", "") or exc)
    if name == "NoSuchOption":
        option = getattr(exc, "option_name", "") or message.rsplit(" ", 1)[-1]
        near = [p for p in getattr(exc, "possibilities", None) or () if p not in ("--help", "-h")]
        near = near or difflib.get_close_matches(option, near, n=3)
        return prefix + f"no option {option}" + (f"; did you mean {', '.join(sorted(near))}?" if near else hint)
    if name == "MissingParameter":
        param = getattr(exc, "param", None)
        what = param_name(param) if param is not None else "an argument"
        return prefix + f"give {what}{hint}"
    if name == "BadParameter":
        param = getattr(exc, "param", None)
        what = param_name(param) if param is not None else "a value"
        return prefix + f"{what}: {reword(message)}"
    if name == "BadOptionUsage":
        option = getattr(exc, "option_name", "") or "the option"
        if "requires an argument" in message:
            return prefix + f"{option} needs a value{hint}"
        return prefix + reword(message)
    found = re.match(r"No such command '(.*?)'\.", message)
    if found:
        known = commands_of(exc)
        near = difflib.get_close_matches(found.group(1), known, n=2)
        tail = f"; did you mean {' or '.join(near)}?" if near else f"; commands are: {', '.join(known)}"
        return prefix + f"no command '{found.group(1)}'" + tail
    found = re.match(r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)$", message)
    if found:
        return prefix + f"unexpected argument '{found.group(1)}'{hint}"
    return prefix + reword(message)
