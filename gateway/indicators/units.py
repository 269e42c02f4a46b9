"""The levels of a unit identifier, and which level a unit filter names.

A unit identifier ``V1V2V3.Z1Z2.Y1Y2.Hnn`` is read right to left (Quyết định 20/2020/QĐ-TTg):
``Hnn`` is the province (level 1), ``Y1Y2`` a unit under it (level 2: a department, a district
before the 2025 reform, a commune or ward since), ``Z1Z2`` a unit under that (level 3: a commune
under a district, an office under a department) and ``V1V2V3`` one level further. A unit's
ancestors are its identifier with the lower parts zeroed: ``000.22.01.H56`` lies in district
``000.00.01.H56`` of province ``000.00.00.H56``. The indicators call the levels province,
district, commune and unit (the handling unit itself), whatever the unit is called locally.
"""

from __future__ import annotations

from enum import StrEnum


class Level(StrEnum):
    province = "province"
    district = "district"
    commune = "commune"
    unit = "unit"


def levels(unit_id: str) -> dict[Level, str]:
    """The identifiers of ``unit_id`` at each level (its own at ``unit``)."""
    _v, z, y, h = unit_id.split(".")
    return {
        Level.province: f"000.00.00.{h}",
        Level.district: f"000.00.{y}.{h}",
        Level.commune: f"000.{z}.{y}.{h}",
        Level.unit: unit_id,
    }


def level_of(unit_id: str) -> Level:
    """The level a unit identifier names: the deepest of its parts that is not zero, so that a
    filter on it takes the unit and every unit under it."""
    v, z, y, _h = unit_id.split(".")
    if int(v):
        return Level.unit
    if int(z):
        return Level.commune
    if int(y):
        return Level.district
    return Level.province
