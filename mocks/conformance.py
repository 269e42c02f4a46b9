"""A conformance report from the mocks' journals: did a client keep each national contract?

For acceptance testing (*nghiệm thu*), a one-stop system's vendor runs its traffic against the
mocks and hands the board this evidence: per national system,

- every request that broke the contract, and why (the portal's requests are checked again
  against its JSON Schemas, every violation named; the SOAP systems' refusals ``soap:Client``
  are the mocks' own checks of the WSDL, the XSD and edXML; any other mock's 400 and 422);
- the fields that were sent in every request of a service but always empty;
- the services the client never called;
- a score: the share of its requests that kept the contract (0 to 100), and the share of the
  system's services it called.

A request lost to an injected fault (a 5xx, a reset, a hang) is not the client's doing and is
not held against it. ``build_report`` takes the journals (``journals_from_url`` reads them from
running mocks, ``journals_from_app`` from an app in this process) and ``write_report`` renders
the report in Vietnamese and English, as HTML and Markdown, with its JSON beside
(``lienthong mocks report --journal-from URL --output DIR``).

A new mock needs nothing here: its 400s, 422s and ``soap:Client`` faults are read alike, and its
services come from its admin API. A mock whose requests can be checked again in full gives a
``Checker`` in ``CHECKERS``.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette

from mocks.fields import is_empty, leaves

#: Why a journaled request broke the contract; empty when it kept it.
Checker = Callable[[Mapping[str, Any]], list[str]]

MAX_LISTED = 100
_CLIENT_STATUSES = frozenset({400, 422})


def _portal_checker() -> Checker:
    from mocks.national_portal.contract import LOGIN, SERVICES, default_schemas_dir, load_contract

    contract = load_contract(default_schemas_dir())
    checked = {*SERVICES, LOGIN}

    def check(entry: Mapping[str, Any]) -> list[str]:
        service = entry.get("service")
        if service in checked and isinstance(entry.get("request"), dict):
            found = [v.message for v in contract.violations(service, entry["request"])]
            if found:
                return found
        return generic_reasons(entry)

    return check


#: Checkers of mocks whose requests can be checked again in full, by mock name.
CHECKERS: dict[str, Callable[[], Checker]] = {"national_portal": _portal_checker}


def generic_reasons(entry: Mapping[str, Any]) -> list[str]:
    """Why a mock refused a request as the client's mistake, read from its reply."""
    if entry.get("fault"):
        return []
    reply = entry.get("reply")
    status = entry.get("status")
    if isinstance(reply, Mapping):
        fault = reply.get("fault")
        if isinstance(fault, Mapping) and fault.get("code") == "soap:Client":
            return [str(fault.get("string") or fault.get("reason") or "soap:Client")]
        if reply.get("error_code") in ("01",) and status == 200:
            items = [
                str(i.get("message"))
                for i in reply.get("result") or []
                if isinstance(i, Mapping) and i.get("error_code") == "01"
            ]
            return items or [str(reply.get("message", "01"))]
    if status in _CLIENT_STATUSES:
        if isinstance(reply, Mapping):
            said = reply.get("error_description") or reply.get("error") or reply.get("message")
            return [f"HTTP {status}: {said}"]
        return [f"HTTP {status}"]
    return []


@dataclass(slots=True)
class Invalid:
    id: int
    at: str
    service: str | None
    reasons: list[str]


@dataclass(slots=True)
class SystemReport:
    name: str
    title: str
    requests: int
    held_against: int
    """Requests the client is answerable for: all but those lost to injected faults."""
    invalid: list[Invalid]
    invalid_count: int
    reasons: list[tuple[str, int]]
    always_empty: dict[str, list[str]]
    never_called: list[str]
    called: dict[str, int]
    services: list[str]

    @property
    def score(self) -> int | None:
        if not self.held_against:
            return None
        return round(100 * (self.held_against - self.invalid_count) / self.held_against)

    @property
    def coverage(self) -> int | None:
        if not self.services:
            return None
        offered = set(self.services)
        return round(100 * len(offered & set(self.called)) / len(offered))

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "requests": self.requests,
            "held_against": self.held_against,
            "invalid_count": self.invalid_count,
            "score": self.score,
            "coverage": self.coverage,
            "called": self.called,
            "never_called": self.never_called,
            "always_empty": self.always_empty,
            "reasons": [{"reason": r, "count": n} for r, n in self.reasons],
            "invalid": [
                {"id": i.id, "at": i.at, "service": i.service, "reasons": i.reasons}
                for i in self.invalid
            ],
        }


@dataclass(slots=True)
class Report:
    systems: list[SystemReport]
    generated_at: str = field(
        default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds")
    )
    source: str = ""

    def system(self, name: str) -> SystemReport:
        return next(s for s in self.systems if s.name == name)

    def as_json(self) -> dict[str, Any]:
        return {
            "generated_at": self.generated_at,
            "source": self.source,
            "systems": [s.as_json() for s in self.systems],
        }


@dataclass(frozen=True, slots=True)
class Journals:
    """What a report is built from: each mock's journal, services and title, by name."""

    entries: Mapping[str, Sequence[Mapping[str, Any]]]
    services: Mapping[str, Sequence[str]]
    titles: Mapping[str, str]
    source: str = ""


def _lost_to_a_fault(entry: Mapping[str, Any]) -> bool:
    fault = entry.get("fault")
    return isinstance(fault, Mapping) and fault.get("outcome") is not None


def _always_empty(entries: Sequence[Mapping[str, Any]]) -> dict[str, list[str]]:
    by_service: dict[str, dict[str, bool]] = {}
    for entry in entries:
        body = entry.get("request")
        if not isinstance(body, dict):
            continue
        seen = by_service.setdefault(str(entry.get("service")), {})
        for path, value in leaves(body):
            seen[path] = seen.get(path, True) and is_empty(value)
    return {
        service: sorted(p for p, empty in seen.items() if empty)
        for service, seen in sorted(by_service.items())
        if any(seen.values())
    }


def check_system(
    name: str,
    title: str,
    entries: Sequence[Mapping[str, Any]],
    services: Sequence[str],
    checker: Checker | None = None,
) -> SystemReport:
    """The report of one system from its journal."""
    check = checker or generic_reasons
    invalid: list[Invalid] = []
    reasons: Counter[str] = Counter()
    held = 0
    for entry in entries:
        if _lost_to_a_fault(entry):
            continue
        held += 1
        found = check(entry)
        if found:
            invalid.append(
                Invalid(
                    int(entry.get("id", 0)),
                    str(entry.get("received_at", "")),
                    entry.get("service"),
                    found,
                )
            )
            reasons.update(found)
    called = Counter(str(e.get("service")) for e in entries if e.get("service"))
    return SystemReport(
        name=name,
        title=title,
        requests=len(entries),
        held_against=held,
        invalid=invalid[:MAX_LISTED],
        invalid_count=len(invalid),
        reasons=reasons.most_common(20),
        always_empty=_always_empty(entries),
        never_called=[s for s in services if s not in called],
        called=dict(sorted(called.items())),
        services=list(services),
    )


def build_report(journals: Journals) -> Report:
    """Check every system's journal against its contract."""
    systems = []
    for name, entries in journals.entries.items():
        make = CHECKERS.get(name)
        systems.append(
            check_system(
                name,
                journals.titles.get(name, name),
                entries,
                journals.services.get(name, ()),
                make() if make is not None else None,
            )
        )
    return Report(systems, source=journals.source)


def journals_from_url(url: str, *, http: httpx.Client | None = None) -> Journals:
    """The journals of the mocks running at ``url`` (``lienthong mocks``)."""
    from mocks.client import NationalMocks

    with NationalMocks(url, http=http) as mocks:
        return Journals(
            entries={m.name: m.entries() for m in mocks},
            services={m.name: m.about()["services"] for m in mocks},
            titles={m.name: m.title for m in mocks},
            source=url,
        )


def journals_from_app(app: Starlette, source: str = "in process") -> Journals:
    """The journals of an app ``create_mocks_app`` made, in this process."""
    from mocks.app import MOCKS, admins

    found = admins(app)
    titles = {m.name: m.title for m in MOCKS}
    return Journals(
        entries={n: [e.as_json() for e in a.journal.entries()] for n, a in found.items()},
        services={n: list(a.services) for n, a in found.items()},
        titles={n: titles.get(n, n) for n in found},
        source=source,
    )


LABELS: dict[str, dict[str, str]] = {
    "vi": {
        "title": "Báo cáo kiểm tra tuân thủ đặc tả kết nối các hệ thống quốc gia",
        "intro": "Bằng chứng phục vụ nghiệm thu: mọi yêu cầu hệ thống một cửa đã gửi tới các "
        "hệ thống quốc gia giả lập (mock) được đối chiếu với đặc tả của từng hệ thống.",
        "generated": "Lập lúc",
        "source": "Nguồn nhật ký",
        "summary": "Tổng hợp",
        "system": "Hệ thống",
        "requests": "Số yêu cầu",
        "held": "Được tính",
        "invalid": "Sai đặc tả",
        "score": "Điểm tuân thủ",
        "coverage": "Độ phủ dịch vụ",
        "not_called": "chưa gọi",
        "invalid_requests": "Yêu cầu sai đặc tả",
        "none_invalid": "Không có yêu cầu nào sai đặc tả.",
        "reasons": "Lý do thường gặp",
        "count": "Số lần",
        "reason": "Lý do",
        "request": "Yêu cầu",
        "time": "Thời điểm",
        "service": "Dịch vụ",
        "empty": "Trường luôn để trống",
        "none_empty": "Không có trường nào luôn để trống.",
        "never_called": "Dịch vụ chưa từng được gọi",
        "all_called": "Mọi dịch vụ đều đã được gọi.",
        "called": "Số lần gọi theo dịch vụ",
        "more": "Chỉ liệt kê {shown} trên tổng số {total} yêu cầu sai.",
        "scoring": "Điểm tuân thủ = tỷ lệ yêu cầu đúng đặc tả trên số yêu cầu được tính "
        "(không tính yêu cầu mất do lỗi được cố ý gây ra). Độ phủ = tỷ lệ dịch vụ đã gọi.",
        "other": "English",
    },
    "en": {
        "title": "Conformance report: requests to the national systems against their contracts",
        "intro": "Evidence for acceptance testing: every request the one-stop system sent to "
        "the national mocks, checked against each system's contract.",
        "generated": "Generated",
        "source": "Journals from",
        "summary": "Summary",
        "system": "System",
        "requests": "Requests",
        "held": "Counted",
        "invalid": "Broke the contract",
        "score": "Conformance score",
        "coverage": "Service coverage",
        "not_called": "not called",
        "invalid_requests": "Requests that broke the contract",
        "none_invalid": "No request broke the contract.",
        "reasons": "Most frequent reasons",
        "count": "Count",
        "reason": "Reason",
        "request": "Request",
        "time": "Time",
        "service": "Service",
        "empty": "Fields always sent empty",
        "none_empty": "No field was always empty.",
        "never_called": "Services never called",
        "all_called": "Every service was called.",
        "called": "Calls per service",
        "more": "Only {shown} of {total} invalid requests are listed.",
        "scoring": "Conformance score = the share of counted requests that kept the contract "
        "(requests lost to deliberately injected faults are not counted). Coverage = the "
        "share of the system's services called.",
        "other": "Tiếng Việt",
    },
}
LANGUAGES = ("vi", "en")


def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("mocks", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html",), default=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _cell(text: object) -> str:
    """Text safe in a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def render(report: Report, language: str, form: str) -> str:
    """The report in ``language`` (``vi``, ``en``) as ``form`` (``html``, ``md``)."""
    template = _environment().get_template(f"conformance.{form}")
    other = "en" if language == "vi" else "vi"
    return template.render(
        report=report,
        t=LABELS[language],
        language=language,
        other_file=f"conformance.{other}.{form}",
        cell=_cell,
        max_listed=MAX_LISTED,
    )


def write_report(report: Report, output: str | Path) -> list[Path]:
    """Write the report to ``output``: ``conformance.{vi,en}.{html,md}`` and ``.json``."""
    folder = Path(output)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for language in LANGUAGES:
        for form in ("html", "md"):
            target = folder / f"conformance.{language}.{form}"
            target.write_text(render(report, language, form), encoding="utf-8")
            written.append(target)
    target = folder / "conformance.json"
    target.write_text(
        json.dumps(report.as_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    written.append(target)
    return written
