"""Argument coercion without Pydantic for the plain parameter types lmc declares.

Typer (0.2x) coerces every parameter through a Pydantic TypeAdapter built on first use;
importing Pydantic and building those adapters is about half of lmc's start-up. For str,
int (with min/max), bool, Enum choices, Path and lists of them, this module coerces with
Typer's own helpers instead. Every value it cannot take as is (a bad number, an unknown
choice, any other type) goes to Typer's own coercion, so results and error messages stay
Typer's. It rides on Typer's private modules, so pyproject pins Typer to the tested minor
release, and it fails closed: if those internals are missing or changed in any way, `install`
gives up (returns False) and Typer's own coercion does everything; tests/test_startup.py fails
loudly when the fast path is off on the pinned Typer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, get_args, get_origin

DIGITS = re.compile(r"[0-9]{1,18}")
DEFER = object()


class PlainParamMarker:
    """What every parameter fastparse coerces carries (so a test can tell the fast path is on)."""


def install(command: Any) -> bool:
    """Give every parameter of a Typer-built command tree the Pydantic-free coercion; False (and
    Typer's own coercion everywhere) if Typer's internals are not what this module expects."""
    try:
        return _install(command)
    except Exception:  # noqa: BLE001 - fail closed: any surprise leaves Typer's coercion in charge
        return False


def _install(command: Any) -> bool:
    try:
        from typer._coercion import RuntimeParam, build_runtime_param
        from typer._param_types import coerce_cli_choice, coerce_cli_path
    except ImportError:
        return False

    @dataclass(frozen=True)
    class PlainParam(RuntimeParam, PlainParamMarker):  # type: ignore[misc, valid-type, unused-ignore]
        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            try:
                result = coerce(self.annotation, self.parameter_info, value, param, ctx)
            except Exception:  # noqa: BLE001 - Typer's own coercion decides and words the error
                result = DEFER
            if result is DEFER:
                return build_runtime_param(param.type_descriptor)._coerce_value(value, param=param, ctx=ctx)
            return result

    def coerce(annotation: Any, info: Any, value: Any, param: Any, ctx: Any) -> Any:
        if get_origin(annotation) is list:
            if not isinstance(value, (list, tuple)):
                return DEFER
            (item_type,) = get_args(annotation)
            items = [coerce(item_type, info, item, param, ctx) for item in value]
            return DEFER if any(item is DEFER for item in items) else items
        if annotation is str:
            return value if isinstance(value, str) else DEFER
        if annotation is bool:
            return value if isinstance(value, bool) else DEFER
        if annotation is int:
            return _integer(value, info)
        if isinstance(annotation, type) and issubclass(annotation, Enum):
            return coerce_cli_choice(value, choices=tuple(annotation), case_sensitive=info.case_sensitive, ctx=ctx)
        if annotation is Path and info.path_type is None and isinstance(value, (str, Path)):
            return coerce_cli_path(Path(value), info, path_type=Path, param=param, ctx=ctx)
        return DEFER

    def give(param: Any) -> bool:
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is None or getattr(param, "_runtime_param", False) is not None:
            return False
        if descriptor.file_annotation is not None or descriptor.parameter_info.parser is not None:
            return False
        param._runtime_param = PlainParam(parameter_info=descriptor.parameter_info, annotation=descriptor.annotation)
        return True

    def with_help_option(current: Any) -> None:
        # The --help option is made on first use, from the context; give it the coercion then.
        original = current.get_help_option

        def get_help_option(ctx: Any) -> Any:
            option = original(ctx)
            if option is not None:
                give(option)
            return option

        current.get_help_option = get_help_option

    installed = False
    stack = [command]
    while stack:
        current = stack.pop()
        stack.extend(getattr(current, "commands", {}).values())
        with_help_option(current)
        for param in current.params:
            installed = give(param) or installed
    return installed


def _integer(value: Any, info: Any) -> Any:
    if isinstance(value, bool):
        return DEFER
    if isinstance(value, str) and DIGITS.fullmatch(value):
        value = int(value)
    if not isinstance(value, int) or info.clamp:
        return DEFER
    if (info.min is not None and value < info.min) or (info.max is not None and value > info.max):
        return DEFER
    return value
