"""Regular expressions compiled on first use, so that a command compiles only those it runs.

A module that keeps its patterns here still offers them by name (PEP 562), for `module.NAME`
and `from module import NAME` alike:

    PATTERNS = LazyPatterns(__name__, TOKEN=r"[a-z0-9]+")

    def __getattr__(name: str) -> re.Pattern[str]:
        return PATTERNS.module_attribute(name)

and uses them itself as `PATTERNS.TOKEN`. The first use compiles and keeps the pattern as a
plain attribute, so every later use is an ordinary attribute read.
"""

from __future__ import annotations

import re
from typing import Any


class LazyPatterns:
    """Named patterns, each compiled the first time it is read."""

    def __init__(self, module: str, **sources: str) -> None:
        self.__dict__["_module"] = module
        self.__dict__["_sources"] = sources

    def __getattr__(self, name: str) -> re.Pattern[str]:
        sources: dict[str, str] = self.__dict__["_sources"]
        if name not in sources:
            raise AttributeError(name)
        compiled = self.__dict__[name] = re.compile(sources[name])
        return compiled

    def module_attribute(self, name: str) -> re.Pattern[str]:
        """A module's `__getattr__`: its patterns by name, an AttributeError for anything else."""
        if name not in self.__dict__["_sources"]:
            raise AttributeError(f"module {self.__dict__['_module']!r} has no attribute {name!r}")
        found: re.Pattern[str] | None = self.__dict__.get(name)
        return found if found is not None else self.__getattr__(name)


class LazyModule:
    """A module imported the first time one of its attributes is read, and kept (not imported
    again on every read). Every read stays a call of __getattr__ after a failed lookup, about
    a microsecond: bind what a loop calls to a name first. The attribute itself is not kept, so
    a patched one is seen."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: Any = None

    def __getattr__(self, attribute: str) -> Any:
        module = self.__dict__["_module"]
        if module is None:
            import importlib

            module = self.__dict__["_module"] = importlib.import_module(self.__dict__["_name"])
        return getattr(module, attribute)
