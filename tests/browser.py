"""Headless Chromium for the tests: load a page, let its scripts run, read the DOM and console.

CI installs Debian's chromium (.ci/install-browser); elsewhere a test that needs it is skipped
with the reason, but never when CI=true.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

NAMES = ("chromium", "chromium-browser", "google-chrome")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--enable-logging=stderr", "--v=0")
CONSOLE = re.compile(r":CONSOLE[^\]]*\] (.*)")


def chromium() -> str:
    """The browser's path, or skip (fail under CI) saying how to install it."""
    for name in NAMES:
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI") == "true":
        pytest.fail("CI=true but no headless Chromium: .ci/run must call .ci/install-browser")
    pytest.skip("headless Chromium is not installed (bash .ci/install-browser installs Debian's chromium)")


def run_browser(*args: str) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run([chromium(), *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True,
                              text=True, errors="replace", timeout=120, stdin=subprocess.DEVNULL)


def dump_dom(url: str, *flags: str) -> tuple[str, list[str]]:
    """The DOM after the page's scripts ran, and every console message it logged."""
    result = run_browser(*flags, "--dump-dom", url)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout, CONSOLE.findall(result.stderr)


def file_url(path: Path, query: str = "") -> str:
    return path.resolve().as_uri() + query
