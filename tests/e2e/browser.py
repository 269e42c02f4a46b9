"""A real browser for end-to-end tests of the console: Debian's Chromium driven by Playwright.

Playwright cannot download its own browsers here, so it drives the system's Chromium
(``apt-get install chromium``; ``.ci/run`` installs it). Without one, the tests are skipped on a
developer's machine and fail in CI (``CI=true``), where a skipped browser suite would pass
unnoticed. Screenshots go to ``LIENTHONG_SCREENSHOTS`` when it is set (CI keeps that folder),
else to the test's own temporary folder.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")


def chromium_path() -> str | None:
    given = os.environ.get("LIENTHONG_CHROMIUM")
    if given:
        return given
    for candidate in CHROMIUM_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    return shutil.which("chromium")


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    """A Chromium browser for a module of tests (Playwright's ``Browser``). Playwright's
    synchronous API runs an event loop of its own in the test thread while it is open, so it is
    closed before the next module's (asynchronous) tests run."""
    path = chromium_path()
    if path is None:
        message = "no Chromium: apt-get install chromium (or set LIENTHONG_CHROMIUM)"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if in_ci():
            pytest.fail("playwright is not installed: pip install -e '.[dev]'")
        pytest.skip("playwright is not installed: pip install -e '.[dev]'")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path)
        try:
            yield browser
        finally:
            browser.close()


class Screenshots:
    """Saves each page a test looks at, numbered in the order taken."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.taken: list[Path] = []

    def take(self, page: object, name: str) -> Path:
        path = self.folder / f"{len(self.taken) + 1:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
        self.taken.append(path)
        return path


@pytest.fixture
def screenshots(request: pytest.FixtureRequest, tmp_path: Path) -> Screenshots:
    root = os.environ.get("LIENTHONG_SCREENSHOTS")
    folder = Path(root) / request.node.name if root else tmp_path / "screenshots"
    return Screenshots(folder)
