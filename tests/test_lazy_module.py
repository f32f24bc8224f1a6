"""lazy.LazyModule: the module is imported on the first read of an attribute, and only then."""

from __future__ import annotations

import importlib
import sys

import pytest

from lmc_cli.lazy import LazyModule


def test_the_module_is_imported_once_on_first_use_and_patches_are_seen(monkeypatch: pytest.MonkeyPatch) -> None:
    imported: list[str] = []
    real = importlib.import_module

    def counting(name: str, package: str | None = None) -> object:
        imported.append(name)
        return real(name, package)

    monkeypatch.delitem(sys.modules, "colorsys", raising=False)
    monkeypatch.setattr(importlib, "import_module", counting)
    lazy = LazyModule("colorsys")
    assert imported == [] and "colorsys" not in sys.modules
    assert lazy.rgb_to_hsv(1.0, 0.0, 0.0) == (0.0, 1.0, 1.0)
    assert lazy.hsv_to_rgb(0.0, 1.0, 1.0) == (1.0, 0.0, 0.0)
    assert imported == ["colorsys"]
    monkeypatch.setattr(sys.modules["colorsys"], "rgb_to_hsv", lambda r, g, b: "patched")
    assert lazy.rgb_to_hsv(1.0, 0.0, 0.0) == "patched"
    with pytest.raises(AttributeError):
        _ = lazy.no_such_function
