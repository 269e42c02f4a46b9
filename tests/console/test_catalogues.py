"""The catalogues: Vietnamese is the source of truth, English translates every text, and what
is shown is what the catalogues say."""

from __future__ import annotations

import httpx

from gateway.console import catalogues
from gateway.console.i18n import Formats, load_translations
from gateway.settings import ConsoleRole
from tests.console.conftest import SignIn


def test_every_text_of_the_console_is_in_both_catalogues() -> None:
    marked = catalogues.texts()
    assert "Tổng quan" in marked
    for language in ("vi", "en"):
        held = {message.id for message in catalogues.read(language) if message.id}
        assert set(marked) <= held, f"{language}: run `make catalogues`"


def test_english_translates_every_text_and_keeps_its_placeholders() -> None:
    english = catalogues.read("en")
    assert list(catalogues.untranslated(english)) == []
    for message in english:
        if message.id:
            for placeholder in ("%(n)s", "%(at)s", "%(account)s"):
                assert (placeholder in str(message.id)) == (placeholder in str(message.string)), (
                    message.id
                )


def test_the_catalogues_compile_and_translate() -> None:
    assert load_translations("en").gettext("Tổng quan") == "Overview"
    assert load_translations("vi").gettext("Tổng quan") == "Tổng quan"


def test_numbers_and_dates_are_written_the_vietnamese_way() -> None:
    vietnamese = Formats("vi")
    assert vietnamese.number(1234567) == "1.234.567"
    assert Formats("en").number(1234567) == "1,234,567"
    assert vietnamese.when(1_735_689_600.0) == "07:00:00 1 thg 1, 2025"
    assert vietnamese.duration(3 * 3600) == "3 tiếng"


async def test_the_language_switch_turns_the_console_english_and_back(sign_in: SignIn) -> None:
    browser: httpx.AsyncClient = await sign_in(ConsoleRole.viewer)
    page = await browser.get("/console/")
    assert '<html lang="vi">' in page.text and "Tổng quan" in page.text

    switched = await browser.get("/console/language/en", params={"next": "/console/"})
    assert switched.status_code == 303 and switched.headers["location"] == "/console/"
    page = await browser.get("/console/")
    assert '<html lang="en">' in page.text and "Overview" in page.text
    assert "Tổng quan" not in page.text

    await browser.get("/console/language/vi")
    assert "Tổng quan" in (await browser.get("/console/")).text


async def test_the_language_switch_goes_back_only_to_console_pages(sign_in: SignIn) -> None:
    browser = await sign_in(ConsoleRole.viewer)
    for elsewhere in ("https://example.org/", "//example.org/", "/v1/status"):
        reply = await browser.get("/console/language/en", params={"next": elsewhere})
        assert reply.headers["location"] == "/console/"
