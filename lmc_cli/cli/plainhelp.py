"""Help in lmc's words: no Python type names, whole command summaries.

Typer (0.2x) writes an argument as `QUERY <list[str]>` and `{QUERY}...`, a ranged option as
`<int range>` with `x>=1`, and cuts each command's summary at about 45 characters. `install`
changes those few methods of Typer's classes once, at import: arguments show their metavar
(`QUERY...`, `[PATH]...`), options show the metavar the CLI gives them, ranges are said in
the option's own help, and a summary is the command's first paragraph, wrapped, whole.
With a Typer that lacks these methods, nothing changes and help stays Typer's.
"""

from __future__ import annotations

from typing import Any


def first_paragraph(text: str) -> str:
    paragraph = text.strip().split("\n\n", 1)[0]
    return " ".join(paragraph.replace("\b", "").split())


def install() -> bool:
    try:
        from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption
    except ImportError:  # pragma: no cover - depends on the Typer version installed
        return False

    def argument_type(self: Any, ctx: Any) -> None:
        return None

    def argument_usage(self: Any) -> str:
        name = str(self.metavar or self.name or "").upper() if self.metavar is None else str(self.metavar)
        name = name.removesuffix("...")
        shown = name if self.required else f"[{name}]"
        return shown + ("..." if self.nargs != 1 else "")

    def argument_name(self: Any) -> str:
        return str(argument_usage(self))

    def option_type(self: Any, ctx: Any) -> str:
        desc = getattr(self, "type_descriptor", None)
        if desc is not None and getattr(desc, "is_choice", False):
            return "|".join(str(getattr(c, "value", c)) for c in desc.choices or ())
        return "N" if desc is not None and getattr(desc, "annotation", None) is int else "VALUE"

    def no_range(self: Any) -> str:
        return ""

    def short_help(self: Any, limit: int = 45) -> str:
        if getattr(self, "short_help", None):
            return str(self.short_help)
        return first_paragraph(self.help or "")

    patched = False
    for cls, name, method in (
        (TyperArgument, "display_type_rich", argument_type),
        (TyperArgument, "display_type", argument_type),
        (TyperArgument, "_usage_display_name", argument_usage),
        (TyperArgument, "_rich_display_name", argument_name),
        (TyperOption, "display_type", option_type),
        (TyperOption, "_get_number_range_help_str", no_range),
        (TyperCommand, "get_short_help_str", short_help),
        (TyperGroup, "get_short_help_str", short_help),
    ):
        if hasattr(cls, name):
            setattr(cls, name, method)
            patched = True
    return patched
