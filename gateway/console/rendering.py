"""Pages rendered on the server: one Jinja2 environment per language, the layout's context.

Templates live in ``templates/`` beside the routes; each extends ``layout.html`` (skip link,
navigation, language switch, who is signed in). Texts go through gettext (``_`` and
``ngettext``, new style: ``_("Còn %(n)s", n=3)``); dates and numbers through ``fmt``
(``gateway.console.i18n.Formats``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from gateway.console.access import LANGUAGE_COOKIE, Operator
from gateway.console.i18n import LANGUAGES, Formats, language_of, load_translations
from gateway.settings import ConsoleRole

TEMPLATES = Path(__file__).resolve().parent / "templates"
PERSONAL_PARAMETERS = frozenset({"subject", "citizen"})
"""Search fields holding an ID number: never carried into another link (the language switch)."""


def N_(text: str) -> str:
    """Marks a text for the catalogues where it is written; it is translated where shown."""
    return text


@dataclass(frozen=True, slots=True)
class NavItem:
    path: str
    label: str
    role: ConsoleRole = ConsoleRole.viewer


NAVIGATION = (
    NavItem("/console/", N_("Tổng quan")),
    NavItem("/console/failures", N_("Sự cố")),
    NavItem("/console/dossiers", N_("Hồ sơ")),
    NavItem("/console/inbox", N_("Văn bản đến")),
    NavItem("/console/charts", N_("Biểu đồ")),
    NavItem("/console/indicators", N_("Chỉ số")),
    NavItem("/console/reports", N_("Báo cáo định kỳ")),
    NavItem("/console/reconciliation", N_("Đối soát")),
    NavItem("/console/catalogue", N_("Danh mục thủ tục")),
    NavItem("/console/access-audit", N_("Truy cập dữ liệu cá nhân")),
    NavItem("/console/actions", N_("Nhật ký thao tác")),
    NavItem("/console/diagnostics", N_("Chẩn đoán")),
)


class Pages:
    """Renders the console's templates in the language of each request."""

    def __init__(self) -> None:
        self._environments: dict[str, Environment] = {}
        for language in LANGUAGES:
            environment = Environment(
                loader=FileSystemLoader(TEMPLATES),
                autoescape=select_autoescape(["html", "svg"]),
                undefined=StrictUndefined,
                extensions=["jinja2.ext.i18n"],
                trim_blocks=True,
                lstrip_blocks=True,
            )
            environment.install_gettext_translations(  # type: ignore[attr-defined]
                load_translations(language), newstyle=True
            )
            self._environments[language] = environment

    def render(
        self,
        request: Request,
        template: str,
        context: Mapping[str, Any] | None = None,
        *,
        operator: Operator | None,
        status_code: int = 200,
    ) -> HTMLResponse:
        language = language_of(request.cookies.get(LANGUAGE_COOKIE))
        environment = self._environments[language]
        path = request.url.path
        kept = urlencode(
            [(k, v) for k, v in request.query_params.multi_items() if k not in PERSONAL_PARAMETERS]
        )
        back = path + (f"?{kept}" if kept else "")
        page = environment.get_template(template).render(
            {
                "request": request,
                "language": language,
                "other_language": "en" if language == "vi" else "vi",
                "fmt": Formats(language),
                "operator": operator,
                "roles": ConsoleRole,
                "navigation": [
                    item for item in NAVIGATION if operator is not None and operator.may(item.role)
                ],
                "path": path,
                "back": back,
                **(context or {}),
            }
        )
        return HTMLResponse(page, status_code=status_code)
