"""The portal's scenario state as the admin API sees it: counts, the dossiers in full, expiry,
and mishaps.

A test may put the portal into a given shape before it starts (``PUT /__admin/scenario``): the
dossiers it holds, each with its progress steps and write count, as if clients had sent them, and
the questions citizens sent on it (``questions``, waiting for an answer). ``GET /__admin/scenario``
reads them back in the same shape (``questions`` only when there are some). ``POST
/__admin/expire`` closes every session and expires every token, the case a client must recover
from by signing in again.

**Mishaps** (``mishap``): the portal loses some of the dossiers it holds (each with its progress)
and alters others, so a client's reconciliation has something to find. Each altered dossier gets
one change, in turn: its ``TrangThaiHoSo`` set to another status, its ``TrichYeuHoSo`` rewritten,
or its last progress step dropped (a dossier without progress gets a status change instead).
Which dossiers, when given as counts, is drawn with a seed, so a run can be repeated.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import Any

from mocks.admin import ScenarioError
from mocks.national_portal.catalogue import LiveCatalogue
from mocks.national_portal.contract import Contract
from mocks.national_portal.dossiers import DossierRecord, DossierStore
from mocks.national_portal.questions import Questions
from mocks.national_portal.sessions import SessionStore
from mocks.tokens import TokenStore

_CODE = {"type": "string", "minLength": 1}

SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["dossiers"],
    "additionalProperties": False,
    "properties": {
        "dossiers": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["dossier"],
                "additionalProperties": False,
                "properties": {
                    "dossier": {
                        "type": "object",
                        "required": ["MaHoSo"],
                        "properties": {"MaHoSo": _CODE},
                    },
                    "progress": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["MaHoSo"],
                            "properties": {"MaHoSo": _CODE},
                        },
                    },
                    "writes": {"type": "integer", "minimum": 1},
                },
            },
        },
        "questions": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["HOIDAPID"],
                "properties": {"HOIDAPID": _CODE},
            },
        },
    },
}

STATUSES = tuple(str(code) for code in range(1, 11))
ALTERATIONS = ("status", "summary", "progress")

MISHAP_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "lose": {
            "anyOf": [
                {"type": "integer", "minimum": 0},
                {"type": "array", "items": _CODE},
            ]
        },
        "alter": {
            "anyOf": [
                {"type": "integer", "minimum": 0},
                {"type": "array", "items": _CODE},
            ]
        },
        "seed": {"type": "integer"},
    },
}
"""The body of ``POST /__admin/mishaps``: how many dossiers (or which) to lose and to alter."""


class PortalScenario:
    """The portal's state: dossiers, sessions and tokens over the seeded catalogue."""

    schema = SCHEMA

    def __init__(
        self,
        store: DossierStore,
        sessions: SessionStore,
        tokens: TokenStore,
        catalogue: LiveCatalogue,
        refused: dict[str, str] | None = None,
        questions: Questions | None = None,
        contract: Contract | None = None,
    ) -> None:
        self.contract = contract
        self.refused = refused if refused is not None else {}
        self.store = store
        self.sessions = sessions
        self.tokens = tokens
        self.catalogue = catalogue
        self.questions = questions if questions is not None else Questions()

    def state(self) -> dict[str, Any]:
        return {
            **self.store.counts(),
            "sessions": self.sessions.active(),
            "tokens": self.tokens.active(),
            "procedures": len(self.catalogue.procedures),
            "fields": len(self.catalogue.fields),
            **self.questions.counts(),
        }

    def reset(self) -> None:
        """Forget dossiers, questions, answers, evaluations, sessions, tokens, refused procedures
        and changes to the catalogue; the seed catalogue and the accounts stay."""
        self.store.clear()
        self.questions.clear()
        self.catalogue.reset()
        self.refused.clear()
        self.sessions.expire_all()
        self.tokens.revoke_all()

    def expire(self) -> dict[str, int]:
        return {"sessions": self.sessions.expire_all(), "tokens": self.tokens.expire_all()}

    def snapshot(self) -> dict[str, Any]:
        held: dict[str, Any] = {"dossiers": [r.as_json() for r in self.store.records()]}
        asked = [r.question for r in self.questions.records()]
        if asked:
            held["questions"] = asked
        return held

    def restore(self, spec: Mapping[str, Any]) -> None:
        """Hold exactly the dossiers of ``spec``; each step must name its own dossier."""
        records: list[DossierRecord] = []
        seen: set[str] = set()
        for i, entry in enumerate(spec["dossiers"]):
            code: str = entry["dossier"]["MaHoSo"]
            if code in seen:
                raise ScenarioError(f"dossiers.{i}.dossier.MaHoSo: {code} is given twice")
            seen.add(code)
            progress = list(entry.get("progress", []))
            for j, step in enumerate(progress):
                if step["MaHoSo"] != code:
                    raise ScenarioError(
                        f"dossiers.{i}.progress.{j}.MaHoSo: {step['MaHoSo']} is not the "
                        f"dossier's {code}"
                    )
            records.append(DossierRecord(entry["dossier"], progress, entry.get("writes", 1)))
        questions = [asked(q) for q in spec.get("questions", [])]
        ids = [q["HOIDAPID"] for q in questions]
        for i, question in enumerate(questions):
            if question["HOIDAPID"] in ids[:i]:
                raise ScenarioError(f"questions.{i}.HOIDAPID: {ids[i]} is given twice")
            if self.contract is not None:
                violations = self.contract.object_violations("question.json", question)
                if violations:
                    raise ScenarioError(f"questions.{i}.{violations[0].message}")
        self.store.replace(records)
        self.questions.replace(questions)

    def mishap(
        self, lose: int | Sequence[str], alter: int | Sequence[str], seed: int = 0
    ) -> dict[str, Any]:
        """Lose dossiers and alter others (counts drawn with ``seed``, or codes); answers what
        was done: ``{"lost": [codes], "altered": [{"MaHoSo", "how"}]}``. ``ScenarioError`` when
        the portal does not hold that many, or a code named."""
        held = [r.dossier["MaHoSo"] for r in self.store.records()]
        for name, given in (("lose", lose), ("alter", alter)):
            if not isinstance(given, int):
                unknown = [code for code in given if code not in self.store]
                if unknown:
                    raise ScenarioError(f"{name}: the portal holds no dossier {unknown[0]}")
        wanted = (lose if isinstance(lose, int) else 0) + (alter if isinstance(alter, int) else 0)
        named = [c for g in (lose, alter) if not isinstance(g, int) for c in g]
        free = [code for code in held if code not in named]
        if wanted > len(free):
            raise ScenarioError(
                f"lose, alter: {wanted} dossiers asked for, the portal holds {len(free)} more"
            )
        drawn = random.Random(seed).sample(free, wanted)
        lost = list(lose) if not isinstance(lose, int) else drawn[:lose]
        altered = list(alter) if not isinstance(alter, int) else drawn[len(drawn) - alter :]
        if set(lost) & set(altered):
            raise ScenarioError("lose, alter: a dossier cannot be lost and altered both")
        for code in lost:
            self.store.forget(code)
        changes = [self._alter(code, ALTERATIONS[i % 3]) for i, code in enumerate(altered)]
        return {"lost": lost, "altered": changes}

    def _alter(self, code: str, how: str) -> dict[str, str]:
        record = self.store.get(code)
        assert record is not None
        if how == "progress" and self.store.drop_last_step(code):
            return {"MaHoSo": code, "how": "progress"}
        dossier = dict(record.dossier)
        if how == "summary":
            dossier["TrichYeuHoSo"] = f"{dossier.get('TrichYeuHoSo', '')} (bản sửa trên Cổng)"[
                :1000
            ]
        else:
            how = "status"
            current = dossier.get("TrangThaiHoSo", "")
            dossier["TrangThaiHoSo"] = next(s for s in STATUSES if s != current)
        record.dossier = dossier
        return {"MaHoSo": code, "how": how}


def asked(question: Mapping[str, Any]) -> dict[str, Any]:
    """A question a test put in place, its optional fields filled as the portal lists them."""
    return {
        "MALINHVUC": "",
        "MATTHCDP": "",
        "MADONVI": "000.00.00.H56",
        "TENDONVI": "Ủy ban nhân dân tỉnh Thanh Hóa",
        "NOIDUNG": "",
        "HOVATEN": "",
        "THUDIENTU": "",
        **question,
        "TRANGTHAI": "0",
    }
