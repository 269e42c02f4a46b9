"""The business registry's scenario state: seeded enterprises, a test's records, tokens.

The seeded registry is shared between mocks of the same seed and never changes. A test that
needs a particular enterprise (dissolved yesterday, renamed, with a new representative) puts its
full record in place (``PUT /__admin/scenario``, ``{"records": [...], "removed": [...]}``): a
record replaces the seeded one with the same ``MaSoDoanhNghiep`` or adds a new enterprise, and a
removed code is answered 404 as if never registered. Records are checked against the shape of
the contract's ``Enterprise`` (``openapi/national/business_registry``) so what the mock answers
stays what the real registry may answer. ``POST /__admin/expire`` expires every token.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mocks.admin import ScenarioError
from mocks.business_registry.codes import FIELD, CodeError, EnterpriseCode, parse
from mocks.business_registry.registry import Registry
from mocks.tokens import TokenStore

_TEXT = {"type": "string", "minLength": 1}
_OPTIONAL_TEXT = {"type": ["string", "null"]}
_DAY = {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
_OPTIONAL_DAY = {"type": ["string", "null"], "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
_CODE = {"type": "string", "pattern": "^[0-9]{10}(-[0-9]{3})?$"}


def _object(properties: Mapping[str, Any]) -> dict[str, Any]:
    """An object of exactly ``properties``, all required (absent values are null, not left out)."""
    return {
        "type": "object",
        "additionalProperties": False,
        "required": list(properties),
        "properties": dict(properties),
    }


#: The contract's ``Enterprise`` record, as JSON Schema.
RECORD: dict[str, Any] = _object(
    {
        "MaSoDoanhNghiep": _CODE,
        "SoGCNDKKD": _TEXT,
        "MaLoaiHinhDN": {"enum": ["01", "02", "03", "04", "05"]},
        "LoaiHinhDN": _TEXT,
        "TenTiengViet": _TEXT,
        "TenNuocNgoai": _OPTIONAL_TEXT,
        "TenVietTat": _OPTIONAL_TEXT,
        "NgayDangKyLanDau": _DAY,
        "NgayDangKyThayDoi": _OPTIONAL_DAY,
        "SoLanDangKyThayDoi": {"type": "integer", "minimum": 0},
        "TinhTrangPhapLy": {
            "type": "array",
            "minItems": 1,
            "items": _object(
                {
                    "TinhTrangPhapLy": _TEXT,
                    "MaTinhTrangPhapLy": {"enum": ["1", "2", "3", "4", "5"]},
                    "NgayBatDauTamNgung": _OPTIONAL_DAY,
                    "NgayKetThucTamNgung": _OPTIONAL_DAY,
                    "LyDoTamNgung": _OPTIONAL_TEXT,
                }
            ),
        },
        "DaiDienPhapLuat": {
            "type": "array",
            "minItems": 1,
            "items": _object(
                {
                    "HoVaTen": _TEXT,
                    "SoGiayChungThuc": {"type": "string", "pattern": "^[0-9]{12}$"},
                    "ChucDanh": _TEXT,
                    "NgaySinh": _DAY,
                    "GioiTinh": {"enum": ["Nam", "Nữ"]},
                }
            ),
        },
        "DiaChiTruSo": _object(
            {
                "MaTinhThanh": {"type": "string", "pattern": "^[0-9]{2}$"},
                "TenTinhThanh": {"type": "string"},
                "MaQuanHuyen": {"type": "string", "pattern": "^[0-9]{3}$"},
                "TenQuanHuyen": {"type": "string"},
                "MaPhuongXa": {"type": "string", "pattern": "^[0-9]{5}$"},
                "TenPhuongXa": {"type": "string"},
                "ChiTiet": {"type": "string"},
            }
        ),
        "NganhNgheKinhDoanh": {
            "type": "array",
            "minItems": 1,
            "items": _object(
                {
                    "MaNganh": {"type": "string", "pattern": "^[0-9]{4}$"},
                    "TenNganh": _TEXT,
                    "LaNganhChinh": {"type": "boolean"},
                }
            ),
        },
        "ChiNhanh": {
            "type": "array",
            "items": _object(
                {
                    "MaSoDoanhNghiep": {"type": "string", "pattern": "^[0-9]{10}-[0-9]{3}$"},
                    "TenTiengViet": _TEXT,
                }
            ),
        },
    }
)

SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "records": {"type": "array", "items": RECORD},
        "removed": {"type": "array", "items": _CODE, "uniqueItems": True},
    },
}


class Records:
    """The records the registry answers with: the seeded ones under a test's changes."""

    def __init__(self, seeded: Registry) -> None:
        self.seeded = seeded
        self.changed: dict[str, dict[str, Any]] = {}
        self.removed: set[str] = set()

    def record(self, code: EnterpriseCode) -> dict[str, Any] | None:
        """The full record of a head office or branch; shared, so callers must not change it."""
        key = str(code)
        if key in self.removed:
            return None
        return self.changed.get(key) or self.seeded.record(code)

    def branch_records(self, head: str) -> list[dict[str, Any]] | None:
        """The records of a head office's branches (those its record lists), or None."""
        office = self.record(parse(head))
        if office is None:
            return None
        found = (self.record(parse(b[FIELD])) for b in office["ChiNhanh"])
        return [r for r in found if r is not None]

    def clear(self) -> None:
        self.changed.clear()
        self.removed.clear()


class RegistryScenario:
    """The mock's state as the admin API sees it: the seeded counts, changes and live tokens."""

    schema = SCHEMA

    def __init__(self, records: Records, tokens: TokenStore) -> None:
        self.records = records
        self.tokens = tokens

    def state(self) -> dict[str, Any]:
        return {
            **self.records.seeded.counts(),
            "changed_records": len(self.records.changed),
            "removed_records": len(self.records.removed),
            "tokens": self.tokens.active(),
        }

    def reset(self) -> None:
        """Revoke every token and forget the test's records; the seeded enterprises stay."""
        self.tokens.revoke_all()
        self.records.clear()

    def expire(self) -> dict[str, int]:
        return {"tokens": self.tokens.expire_all()}

    def snapshot(self) -> dict[str, Any]:
        return {
            "records": list(self.records.changed.values()),
            "removed": sorted(self.records.removed),
        }

    def restore(self, spec: Mapping[str, Any]) -> None:
        """Put the records and removals of ``spec`` over the seeded registry."""
        changed: dict[str, dict[str, Any]] = {}
        for i, record in enumerate(spec.get("records", [])):
            code = _well_formed(record[FIELD], f"records.{i}.{FIELD}")
            if code in changed:
                raise ScenarioError(f"records.{i}.{FIELD}: {code} is given twice")
            for j, branch in enumerate(record["ChiNhanh"]):
                _well_formed(branch[FIELD], f"records.{i}.ChiNhanh.{j}.{FIELD}")
            changed[code] = record
        removed = {_well_formed(c, f"removed.{i}") for i, c in enumerate(spec.get("removed", []))}
        both = sorted(removed & changed.keys())
        if both:
            raise ScenarioError(f"removed: {', '.join(both)} also given in records")
        self.records.changed = changed
        self.records.removed = removed


def _well_formed(text: str, where: str) -> str:
    try:
        return str(parse(text))
    except CodeError as exc:
        raise ScenarioError(f"{where}: {exc}") from None
