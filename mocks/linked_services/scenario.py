"""The inter-connected services' scenario state as the admin API sees it.

``GET /__admin/scenario`` answers every submission held (its list fields, its detail, whether it
was acknowledged, its version and the statuses received); ``PUT /__admin/scenario`` replaces them
with ``{"submissions": [...]}`` of the same shape (``detail`` and ``statuses`` optional: a
submission without a detail gets seeded paperwork of its module). ``POST /__admin/expire``
expires every token (refresh tokens stay good, so a client renews).
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

from mocks.admin import ScenarioError
from mocks.linked_services.paperwork import BIRTH, Attachment, Paperwork
from mocks.linked_services.submissions import Status, Submission, Submissions
from mocks.tokens import TokenStore

_TEXT = {"type": "string", "minLength": 1}
SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["submissions"],
    "additionalProperties": False,
    "properties": {
        "submissions": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "maHoSo", "maDonVi", "maTTHC", "module"],
                "properties": {
                    "id": _TEXT,
                    "maHoSo": _TEXT,
                    "maDonVi": {"type": "string"},
                    "maTTHC": {"type": "string"},
                    "module": {"type": "string"},
                    "ngayTiepNhan": {"type": "string"},
                    "techId": {"type": "string"},
                    "acknowledged": {"type": "boolean"},
                    "version": {"type": "integer", "minimum": 1},
                    "awaiting_supplement": {"type": "boolean"},
                    "detail": {
                        "type": "object",
                        "properties": {
                            "data": {"type": "string"},
                            "fileDinhKem": {"type": "array", "items": {"type": "object"}},
                        },
                    },
                    "statuses": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["body", "reply", "accepted"],
                            "properties": {
                                "body": {"type": "object"},
                                "reply": {"type": "string"},
                                "accepted": {"type": "boolean"},
                                "received_at": {"type": "number"},
                            },
                        },
                    },
                },
            },
        }
    },
}


class LinkedScenario:
    """Submissions, acknowledgements, statuses and tokens of the mock."""

    schema = SCHEMA

    def __init__(self, submissions: Submissions, tokens: TokenStore) -> None:
        self.submissions = submissions
        self.tokens = tokens

    def state(self) -> dict[str, Any]:
        return {**self.submissions.counts(), "tokens": self.tokens.active()}

    def reset(self) -> None:
        """Back to the seeded submissions; tokens revoked."""
        self.submissions.seed_items()
        self.tokens.revoke_all()

    def expire(self) -> dict[str, int]:
        return {"tokens": self.tokens.expire_all()}

    def snapshot(self) -> dict[str, Any]:
        return {"submissions": [s.as_json() for s in self.submissions.items.values()]}

    def restore(self, spec: Mapping[str, Any]) -> None:
        items: dict[str, Submission] = {}
        for i, entry in enumerate(spec["submissions"]):
            code = entry["maHoSo"]
            if code in items:
                raise ScenarioError(f"submissions.{i}.maHoSo: {code} is given twice")
            detail = entry.get("detail")
            if detail is None:
                clerk = self.submissions.clerk
                drafted = clerk.birth() if entry["module"] == BIRTH else clerk.death()
                paperwork, form = drafted.paperwork, None
            else:
                try:
                    attachments = [_attachment(a) for a in detail.get("fileDinhKem", [])]
                except (KeyError, ValueError) as exc:
                    raise ScenarioError(f"submissions.{i}.detail.fileDinhKem: {exc}") from None
                paperwork, form = Paperwork({}, attachments), detail.get("data", "")
            items[code] = Submission(
                id=entry["id"],
                maHoSo=code,
                maDonVi=entry["maDonVi"],
                maTTHC=entry["maTTHC"],
                module=entry["module"],
                ngayTiepNhan=entry.get("ngayTiepNhan", ""),
                techId=entry.get("techId", ""),
                paperwork=paperwork,
                form=form,
                acknowledged=entry.get("acknowledged", False),
                version=entry.get("version", 1),
                awaiting_supplement=entry.get("awaiting_supplement", False),
                statuses=[
                    Status(s["body"], s["reply"], s["accepted"], s.get("received_at", 0.0))
                    for s in entry.get("statuses", [])
                ],
            )
        self.submissions.items = items
        self.submissions.acknowledgements.clear()


def _attachment(spec: Mapping[str, Any]) -> Attachment:
    return Attachment(
        id=str(spec["id"]),
        loaiGiayTo=str(spec.get("loaiGiayTo", "")),
        tenGiayTo=str(spec.get("tenGiayTo", "")),
        tenTepDinhKem=str(spec.get("tenTepDinhKem", "")),
        content=base64.b64decode(spec.get("duLieuTepDinhKem", ""), validate=True),
        huyGiayTo=int(spec.get("huyGiayTo", 0)),
    )
