"""The National Public Service Portal over HTTP: the ``NationalPortal`` port's real adapter."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from typing import ClassVar, Protocol, TypeVar

import httpx

from adapters.client import GuardedClient
from adapters.national_portal.config import AuthStyle, PortalConfig
from adapters.national_portal.platform_auth import PlatformChannel
from adapters.national_portal.port import SYSTEM, ItemOutcome
from adapters.national_portal.reply import (
    EXISTS,
    INVALID,
    NOT_FOUND,
    PARTIAL,
    ItemReply,
    Reply,
    read_items,
    read_objects,
    read_reply,
)
from adapters.national_portal.session_auth import SessionChannel
from mappings.national_portal.lists import LISTS, CatalogueList
from mappings.national_portal.wire import (
    PortalAnswer,
    PortalDossier,
    PortalEvaluation,
    PortalListEntry,
    PortalObject,
    PortalProcedure,
    PortalProcedureInFull,
    PortalProgress,
    PortalPublishedQuestion,
    PortalQuestion,
    PortalRecord,
)

log = logging.getLogger("adapters.national_portal")

PUSH_DOSSIERS = "DongBoHoSoMC"
PUSH_PROGRESS = "CapNhatTienDoHoSoMC"
FIND_DOSSIER = "TraCuuHoSo"
LIST_PROCEDURES = "LayDanhSachTTHC"
GET_PROCEDURE = "LayThuTuc"
LIST_QUESTIONS = "LayDanhSachHoiDapGuiTuDVCQG"
PUSH_ANSWERS = "DongBoKetQuaHoiDapGuiTuDVCQG"
PUSH_PUBLISHED = "DongBoHoiDap"
PUSH_EVALUATIONS = "DongBoDanhGia"
WAITING = "0"

_PUSH_CODES = frozenset({EXISTS, PARTIAL})
_LOOKUP_CODES = frozenset({NOT_FOUND})
_CREATE_ITEM_CODES = frozenset({INVALID, EXISTS})
_UPDATE_ITEM_CODES = frozenset({INVALID})

T = TypeVar("T")
Item = TypeVar("Item", bound=PortalObject)


class Channel(Protocol):
    """How one service call reaches the portal, authenticated, re-authenticating once if refused."""

    async def send(self, service: str, params: Mapping[str, object]) -> httpx.Response: ...

    async def aclose(self) -> None: ...


def open_channel(config: PortalConfig, options: dict[str, object]) -> Channel:
    if config.auth == AuthStyle.oauth2:
        return PlatformChannel(config, options)
    return SessionChannel(config, options)


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _outcome(item: ItemReply) -> ItemOutcome:
    return ItemOutcome(code=item.key, error=item.refusal())


class HttpNationalPortal(GuardedClient[PortalConfig]):
    """The portal over HTTP, in the authentication style ``config.auth`` names.

    What a caller may rely on:

    - Pushes return one ``ItemOutcome`` per input, in input order; ``ItemOutcome.code`` is the
      item's ``MaHoSo`` (its ``HOIDAPID`` for answers and published questions). Only the portal's
      refusal of an item's content (``"01"``) is reported per item; anything else raises for the
      whole call (``adapters.errors``).
    - Inputs are sent in chunks of ``config.batch_size``, one after another. If a chunk fails the
      call raises and earlier chunks stay applied; sending all of them again is safe because
      dossier pushes are upserts keyed by ``MaHoSo``, and the portal keeps the last answer of a
      question, the last version of a published question and the last evaluation of a dossier.
    - Dossiers are sent as creates (``isUpdating "False"``); those the portal says already exist
      (``"02"``) are sent again together as one update (``isUpdating "True"``).
    - Every service call (each chunk of a push is one) is one guarded call
      (``adapters.client``): breaker, retries under the budget, rate limit, deadline.
      ``AuthError`` is raised after one re-authentication.
    - ``transport`` replaces the network (e.g. ``httpx.ASGITransport`` around a mock) and
      ``sleep`` the waits between retries (tests pass a fake).
    """

    system: ClassVar[str] = SYSTEM

    def open(self, transport: httpx.AsyncBaseTransport | None) -> None:
        config = self.config
        self._channel = open_channel(config, self.http_options(transport, base_url=config.url))
        self.closes(self._channel.aclose)

    async def push_dossiers(self, dossiers: Sequence[PortalDossier]) -> list[ItemOutcome]:
        """Create or update each dossier (upsert by ``MaHoSo``); one outcome each, in order."""
        outcomes: list[ItemOutcome] = []
        for chunk in _chunks(dossiers, self.config.batch_size):
            outcomes.extend(await self._push_dossier_chunk(chunk))
        return outcomes

    async def push_progress(self, steps: Sequence[PortalProgress]) -> list[ItemOutcome]:
        """Append processing steps; one outcome per step, in order."""
        return await self._push_all(PUSH_PROGRESS, steps, "MaHoSo")

    async def push_answers(self, answers: Sequence[PortalAnswer]) -> list[ItemOutcome]:
        """Answer questions sent on the portal; one outcome per answer (by ``HOIDAPID``)."""
        return await self._push_all(PUSH_ANSWERS, answers, "HOIDAPID")

    async def push_published(
        self, questions: Sequence[PortalPublishedQuestion]
    ) -> list[ItemOutcome]:
        """Publish the province's questions and answers (upsert by ``HOIDAPID``)."""
        return await self._push_all(PUSH_PUBLISHED, questions, "HOIDAPID")

    async def push_evaluations(self, evaluations: Sequence[PortalEvaluation]) -> list[ItemOutcome]:
        """Send citizens' evaluations; one outcome each (by ``MaHoSo``), in order."""
        return await self._push_all(PUSH_EVALUATIONS, evaluations, "MaHoSo")

    async def find_dossier(self, code: str) -> PortalDossier | None:
        """The dossier the portal holds under ``MaHoSo`` ``code``, or None if it has none."""
        record = await self.find_record(code)
        return record.dossier if record is not None else None

    async def find_record(self, code: str) -> PortalRecord | None:
        """The dossier the portal holds under ``MaHoSo`` ``code`` with the progress steps it
        holds for it (``DanhSachTienDo``, in arrival order), or None if it has none."""
        reply = await self._call(FIND_DOSSIER, {"MaHoSo": code}, _LOOKUP_CODES)
        found = read_objects(reply, FIND_DOSSIER, PortalDossier)
        if not found or reply.error_code == NOT_FOUND:
            return None
        steps = (reply.model_extra or {}).get("DanhSachTienDo") or []
        progress = read_objects(
            Reply(error_code="0", result=list(steps)), FIND_DOSSIER, PortalProgress
        )
        return PortalRecord(dossier=found[0], progress=progress)

    async def list_procedures(self) -> list[PortalProcedure]:
        """Every procedure the portal lists for the province (each in summary)."""
        reply = await self._call(LIST_PROCEDURES, {})
        return read_objects(reply, LIST_PROCEDURES, PortalProcedure)

    async def get_procedure(self, code: str) -> PortalProcedureInFull | None:
        """The procedure ``MaTTHC`` ``code`` in full (agencies, fees), or None if the portal has
        none."""
        reply = await self._call(GET_PROCEDURE, {"MaTTHC": code}, _LOOKUP_CODES)
        found = read_objects(reply, GET_PROCEDURE, PortalProcedureInFull)
        return found[0] if found and reply.error_code != NOT_FOUND else None

    async def list_entries(self, kind: CatalogueList) -> list[PortalListEntry]:
        """Every entry of the catalogue list ``kind`` (``LayDanhMuc...``)."""
        service = LISTS[kind].service
        reply = await self._call(service, {})
        return read_objects(reply, service, PortalListEntry)

    async def list_questions(self, *, waiting_only: bool = True) -> list[PortalQuestion]:
        """The questions citizens sent the province on the portal: those waiting for an answer,
        or every one."""
        params = {"TRANGTHAI": WAITING} if waiting_only else {}
        reply = await self._call(LIST_QUESTIONS, params)
        return read_objects(reply, LIST_QUESTIONS, PortalQuestion)

    async def _push_dossier_chunk(self, chunk: Sequence[PortalDossier]) -> list[ItemOutcome]:
        items = await self._push(PUSH_DOSSIERS, chunk, {"isUpdating": "False"}, _CREATE_ITEM_CODES)
        existing = [index for index, item in enumerate(items) if item.error_code == EXISTS]
        if existing:
            updated = await self._push(
                PUSH_DOSSIERS,
                [chunk[index] for index in existing],
                {"isUpdating": "True"},
                _UPDATE_ITEM_CODES,
            )
            for index, item in zip(existing, updated, strict=True):
                items[index] = item
        _log_counts(PUSH_DOSSIERS, items, resent=len(existing))
        return [_outcome(item) for item in items]

    async def _push_all(self, service: str, items: Sequence[Item], key: str) -> list[ItemOutcome]:
        outcomes: list[ItemOutcome] = []
        for chunk in _chunks(items, self.config.batch_size):
            replies = await self._push(service, chunk, {}, _UPDATE_ITEM_CODES, key=key)
            outcomes.extend(_outcome(item) for item in replies)
            _log_counts(service, replies)
        return outcomes

    async def _push(
        self,
        service: str,
        chunk: Sequence[Item],
        params: Mapping[str, object],
        item_codes: frozenset[str],
        *,
        key: str = "MaHoSo",
    ) -> list[ItemReply]:
        reply = await self._call(service, {**params, "data": list(chunk)}, _PUSH_CODES)
        sent = [str(getattr(item, key)) for item in chunk]
        return read_items(reply, service, sent, item_codes, key=key)

    async def _call(
        self, service: str, params: Mapping[str, object], accept: frozenset[str] = frozenset()
    ) -> Reply:
        return await self.call(service, lambda: self._attempt(service, params, accept))

    async def _attempt(
        self, service: str, params: Mapping[str, object], accept: frozenset[str]
    ) -> Reply:
        response = await self._channel.send(service, params)
        return read_reply(response, service, accept)


def _log_counts(service: str, items: Sequence[ItemReply], *, resent: int = 0) -> None:
    refused = sum(1 for item in items if item.refusal() is not None)
    log.info(
        "national_portal %s: %d sent, %d accepted (%d of them as updates), %d refused",
        service,
        len(items),
        len(items) - refused,
        resent,
        refused,
    )
