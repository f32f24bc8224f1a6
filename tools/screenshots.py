"""Regenerate the timeline screenshots under docs/ with headless Chromium.

    python tools/screenshots.py            # needs `lmc` installed and Chromium (.ci/install-browser)

Writes docs/timeline-chart.png (the SVG at 1280 px, a slide), docs/timeline-chart-a4.png (at
794 px, the width of an A4 page at 96 dpi) and docs/timeline-page.png (the HTML page at 1280 px,
one marker focused so that its panel shows).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars")
FOCUS = "lmc-leaders-meeting-1-sanya"  # a disputed fact, so that the panel shows both marks


def lmc(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "lmc_cli", *args], check=True, cwd=ROOT)


def shoot(url: str, out: Path, width: int, height: int) -> None:
    browser = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)),
                   None)
    if browser is None:
        raise SystemExit("screenshots: no Chromium; run: sudo bash .ci/install-browser")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([browser, *FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}",
                        f"--screenshot={out}", url], check=True, capture_output=True, stdin=subprocess.DEVNULL)
    print(f"wrote {out.relative_to(ROOT)} ({width}x{height})")


def main() -> None:
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        svg, page = folder / "timeline.svg", folder / "timeline.html"
        lmc("timeline", "--output", str(svg))
        lmc("timeline", "--output", str(page))
        found = re.search(r'viewBox="0 0 (\d+) (\d+)"', svg.read_text(encoding="utf-8"))
        assert found, "the chart has no viewBox"
        ratio = int(found.group(2)) / int(found.group(1))
        frame = folder / "chart.html"  # the chart scaled to the window's width, as on a slide or a page
        frame.write_text('<!DOCTYPE html><html><body style="margin:0"><img alt="" style="width:100%;display:block" '
                         f'src="{svg.name}"></body></html>', encoding="utf-8")
        for width, name in ((1280, "timeline-chart.png"), (794, "timeline-chart-a4.png")):
            shoot(frame.as_uri(), DOCS / name, width, round(width * ratio))
        shoot(page.as_uri() + f"?focus={FOCUS}", DOCS / "timeline-page.png", 1280, 1500)


if __name__ == "__main__":
    main()
