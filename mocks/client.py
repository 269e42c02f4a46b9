"""A small typed client of the mocks' admin API, for test suites (the pytest plugin hands it out).

``NationalMocks(url)`` speaks to a running ``lienthong mocks`` (or the plugin's own server) and
gives, per mounted mock, a ``MockSystem``: its base URL, its journal, its faults, its scenario
state, its stories and its callbacks. ``assert_received`` and ``assert_not_received`` check a
mock's journal and, when they fail, say which requests came closest and how each differed
(``mocks.verification``).

Everything here is plain HTTP against ``/__admin/``; it imports nothing of the mocks' insides,
so it works as well against mocks started in another process or on another port.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from mocks.scenario_files import ScenarioFile, ScenarioFileError, parse_scenario
from mocks.verification import Expectation, describe_misses, describe_unwanted, matching


class AdminError(RuntimeError):
    """The admin API refused a call; the message names the mock, the call and its reason."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Exchange:
    """One journal entry: what a client sent a mock and what it answered."""

    id: int
    service: str | None
    method: str
    path: str
    status: int | None
    request: Any
    reply: Any
    fault: Mapping[str, Any] | None
    headers: Mapping[str, str]
    received_at: str
    story: Sequence[Mapping[str, Any]]
    raw: Mapping[str, Any]

    @classmethod
    def of(cls, entry: Mapping[str, Any]) -> Exchange:
        return cls(
            id=entry["id"],
            service=entry.get("service"),
            method=entry.get("method", ""),
            path=entry.get("path", ""),
            status=entry.get("status"),
            request=entry.get("request"),
            reply=entry.get("reply"),
            fault=entry.get("fault"),
            headers=entry.get("headers", {}),
            received_at=entry.get("received_at", ""),
            story=entry.get("story", []),
            raw=entry,
        )


def _checked(response: httpx.Response, what: str) -> Any:
    if response.status_code >= 400:
        try:
            reason = response.json().get("error", response.text)
        except ValueError:
            reason = response.text
        raise AdminError(f"{what}: HTTP {response.status_code}: {reason}", str(reason))
    return None if response.status_code == 204 else response.json()


class _Part:
    def __init__(self, system: MockSystem) -> None:
        self._system = system

    def _call(self, method: str, path: str, what: str, **kwargs: Any) -> Any:
        return self._system.admin_call(method, path, what, **kwargs)


class Faults(_Part):
    """A mock's faults (``mocks/README.md``, Faults)."""

    def add(self, spec: Mapping[str, Any] | None = None, **fields: Any) -> dict[str, Any]:
        """Register a fault: ``faults.add(service="DongBoHoSoMC", status=503, times=2)``."""
        body = {**(spec or {}), **fields}
        found: dict[str, Any] = self._call("POST", "faults", "add a fault", json=body)
        return found

    def all(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self._call("GET", "faults", "list faults")["faults"]
        return found

    def remove(self, fault_id: int) -> None:
        self._call("DELETE", f"faults/{fault_id}", f"remove fault {fault_id}")

    def clear(self) -> None:
        self._call("DELETE", "faults", "remove faults")


class State(_Part):
    """A mock's scenario state: what it holds for clients (``GET|PUT /__admin/scenario``)."""

    def get(self) -> dict[str, Any]:
        found: dict[str, Any] = self._call("GET", "scenario", "read the scenario state")
        return found

    def put(self, state: Mapping[str, Any]) -> dict[str, Any]:
        found: dict[str, Any] = self._call(
            "PUT", "scenario", "set the scenario state", json=dict(state)
        )
        return found

    def counts(self) -> dict[str, Any]:
        """``GET /__admin/state``: counts of what the mock holds, journal and faults."""
        found: dict[str, Any] = self._call("GET", "state", "read the state")
        return found


class Stories(_Part):
    """A mock's stories, state machines per entity (``mocks.stories``)."""

    def add(self, spec: Mapping[str, Any]) -> dict[str, Any]:
        found: dict[str, Any] = self._call("POST", "stories", "add a story", json=dict(spec))
        return found

    def all(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self._call("GET", "stories", "list stories")["stories"]
        return found

    def state_of(self, story: str, entity: str) -> str | None:
        """The state ``entity`` is in, in the story named ``story`` (``None``: not met yet)."""
        for listed in self.all():
            if listed["name"] == story:
                state: str | None = listed["entities"].get(entity)
                return state
        raise AdminError(f"{self._system.name}: no story named {story!r}", "no such story")

    def clear(self) -> None:
        self._call("DELETE", "stories", "remove stories")


class Callbacks(_Part):
    """A mock's callbacks and the messages it sent (``mocks.callbacks``)."""

    def add(self, spec: Mapping[str, Any] | None = None, **fields: Any) -> dict[str, Any]:
        """Register a callback; the answer holds its ``secret`` (made when none was given)."""
        body = {**(spec or {}), **fields}
        found: dict[str, Any] = self._call("POST", "callbacks", "add a callback", json=body)
        return found

    def all(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self._call("GET", "callbacks", "list callbacks")["callbacks"]
        return found

    def messages(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self._call("GET", "callbacks", "list messages")["messages"]
        return found

    def wait_for(self, count: int = 1, *, timeout: float = 10.0) -> list[dict[str, Any]]:
        """The messages once at least ``count`` have been delivered or have failed."""
        deadline = time.monotonic() + timeout
        while True:
            messages = self.messages()
            if sum(1 for m in messages if m["state"] != "pending") >= count:
                return messages
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"{self._system.name}: {count} callback message(s) expected within "
                    f"{timeout:g} s; messages: {messages}"
                )
            time.sleep(0.05)

    def clear(self) -> None:
        self._call("DELETE", "callbacks", "remove callbacks")


class MockSystem:
    """One national mock as a test sees it: where it is, and its admin API."""

    def __init__(self, http: httpx.Client, root: str, listed: Mapping[str, str]) -> None:
        self._http = http
        self.name: str = listed["name"]
        self.path: str = listed["path"]
        self.title: str = listed.get("title", self.name)
        self.url = f"{root}{self.path}"
        """The base URL a client under test is pointed at."""
        self.admin_url = f"{self.url}/__admin"
        self.faults = Faults(self)
        self.state = State(self)
        self.stories = Stories(self)
        self.callbacks = Callbacks(self)

    def admin_call(self, method: str, path: str, what: str, **kwargs: Any) -> Any:
        response = self._http.request(method, f"{self.admin_url}/{path}", **kwargs)
        return _checked(response, f"{self.name}: {what}")

    def journal(self, service: str | None = None, *, limit: int | None = None) -> list[Exchange]:
        """Every request the mock received, in the order the exchanges ended."""
        return [Exchange.of(e) for e in self.entries(service, limit=limit)]

    def entries(self, service: str | None = None, *, limit: int | None = None) -> list[Any]:
        """The journal as the admin API answers it (JSON objects)."""
        params: dict[str, Any] = {}
        if service is not None:
            params["service"] = service
        if limit is not None:
            params["limit"] = limit
        found: list[Any] = self.admin_call("GET", "journal", "read the journal", params=params)[
            "entries"
        ]
        return found

    def clear_journal(self) -> None:
        self.admin_call("DELETE", "journal", "clear the journal")

    def reset(self, seed: int | None = None) -> None:
        body = {} if seed is None else {"seed": seed}
        self.admin_call("POST", "reset", "reset", json=body)

    def expire(self) -> dict[str, int]:
        """Expire every session and token the mock handed out, now."""
        found: dict[str, int] = self.admin_call("POST", "expire", "expire")["expired"]
        return found

    def load(self, section: Mapping[str, Any], *, check_only: bool = False) -> None:
        """Put a scenario file's section for this mock in place (``POST /__admin/load``);
        with ``check_only`` only check it."""
        params = {"check": "true"} if check_only else {}
        self.admin_call("POST", "load", "load a scenario", json=dict(section), params=params)

    def about(self) -> dict[str, Any]:
        """The mock's services, the entity kinds its stories follow and its answers."""
        found: dict[str, Any] = self.admin_call("GET", "about", "describe")
        return found

    def __repr__(self) -> str:
        return f"<MockSystem {self.name} at {self.url}>"


class NationalMocks:
    """Every mock served at ``url``, by name: ``mocks["national_portal"]`` or
    ``mocks.national_portal``."""

    def __init__(self, url: str, *, http: httpx.Client | None = None) -> None:
        self.url = url.rstrip("/")
        self._own_http = http is None
        self._http = http or httpx.Client(timeout=30.0)
        listing = _checked(self._http.get(f"{self.url}/"), f"list the mocks at {self.url}")
        self.systems: dict[str, MockSystem] = {
            m["name"]: MockSystem(self._http, self.url, m) for m in listing["mocks"]
        }

    def __getitem__(self, name: str) -> MockSystem:
        for system in self.systems.values():
            if name in (system.name, system.path, system.path.lstrip("/")):
                return system
        raise KeyError(f"{name}: no such mock; there are {', '.join(self.systems)}")

    def __getattr__(self, name: str) -> MockSystem:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self[name]
        except KeyError as exc:
            raise AttributeError(str(exc)) from None

    def __iter__(self) -> Iterator[MockSystem]:
        return iter(self.systems.values())

    def _resolve(self, key: str) -> str | None:
        try:
            return self[key].name
        except KeyError:
            return None

    def reset(self, seed: int | None = None) -> None:
        """Every mock back to a fresh start."""
        for system in self:
            system.reset(seed)

    def load_scenario(self, scenario: str | Path | ScenarioFile) -> ScenarioFile:
        """Put a scenario file in place (a path, or a parsed file); every section is checked
        before any is loaded. ``ScenarioFileError`` names the line at fault."""
        if isinstance(scenario, ScenarioFile):
            parsed = scenario
        else:
            file = Path(scenario)
            parsed = parse_scenario(
                file.read_text(encoding="utf-8"), str(file), resolve=self._resolve
            )
        for check_only in (True, False):
            for name, section in parsed.sections.items():
                try:
                    self[name].load(section, check_only=check_only)
                except AdminError as exc:
                    raise parsed.error_in(name, exc.reason) from None
        return parsed

    def journals(self) -> dict[str, list[Any]]:
        """Every mock's journal as JSON, by mock name (what the conformance report reads)."""
        return {system.name: system.entries() for system in self}

    def received(
        self,
        system: str,
        service: str | None = None,
        where: Mapping[str, Any] | None = None,
        *,
        status: int | None = None,
    ) -> list[Exchange]:
        """The requests ``system`` received that match, in journal order."""
        expectation = Expectation(service=service, where=where, status=status)
        return [Exchange.of(e) for e in matching(self[system].entries(), expectation)]

    def assert_received(
        self,
        system: str,
        service: str | None = None,
        where: Mapping[str, Any] | None = None,
        *,
        status: int | None = None,
        times: int | None = None,
    ) -> list[Exchange]:
        """The matching requests; ``AssertionError`` with a near-miss report when there are
        none (or not exactly ``times``)."""
        __tracebackhide__ = True
        mock = self[system]
        entries = mock.entries()
        expectation = Expectation(service=service, where=where, status=status)
        found = matching(entries, expectation)
        if not found:
            raise AssertionError(describe_misses(mock.name, expectation, entries))
        if times is not None and len(found) != times:
            listed = describe_unwanted(mock.name, expectation, found)
            raise AssertionError(f"expected {times}, not {len(found)}: {listed}")
        return [Exchange.of(e) for e in found]

    def assert_not_received(
        self,
        system: str,
        service: str | None = None,
        where: Mapping[str, Any] | None = None,
        *,
        status: int | None = None,
    ) -> None:
        """``AssertionError`` listing the matching requests, if there are any."""
        __tracebackhide__ = True
        mock = self[system]
        expectation = Expectation(service=service, where=where, status=status)
        found = matching(mock.entries(), expectation)
        if found:
            raise AssertionError(describe_unwanted(mock.name, expectation, found))

    def close(self) -> None:
        if self._own_http:
            self._http.close()

    def __enter__(self) -> NationalMocks:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


__all__ = [
    "AdminError",
    "Exchange",
    "MockSystem",
    "NationalMocks",
    "ScenarioFileError",
]
