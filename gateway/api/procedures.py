"""``/v1/procedures``: the national procedure catalogue the gateway holds (``gateway.catalogue``).

Answers from the latest version held, as the portal publishes it (``LayThuTuc``: fields,
agencies, fees), never by asking the portal during the request. With no catalogue held yet
(``lienthong catalogue sync`` takes the first) the list is empty and every procedure is 404.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query
from pydantic import BaseModel, Field

from gateway.api.caller import requires
from gateway.api.deps import GatewayDep
from gateway.api.problems import problems
from gateway.catalogue import EntryRow

router = APIRouter(prefix="/v1/procedures", tags=["catalogue"])

ProcedureCodeInPath = Annotated[
    str,
    Path(
        pattern=r"^[0-9]+\.[0-9]{6}(\.[0-9A-Z.]+)?$",
        description="The national code (1.001193) or the province's local form "
        "(1.001193.000.00.00.H56), mapped as the province overrides say.",
        examples=["1.001193"],
    ),
]


class Agency(BaseModel):
    code: str
    name: str


class ProcedureFee(BaseModel):
    code: str
    name: str
    amount: str = Field(description="In đồng, as the portal writes it.")
    description: str = ""


class Procedure(BaseModel):
    """A procedure of the national catalogue held."""

    code: str = Field(description="National form (MaTTHC).")
    name: str
    field_code: str
    field_name: str
    level: str = Field(description="Cấp thực hiện, as the portal words it.")
    agencies: list[Agency]
    fees: list[ProcedureFee]


class CatalogueState(BaseModel):
    version: int = Field(description="The version of the catalogue answered from.")
    fetched_at: datetime
    checked_at: datetime = Field(description="When a sync last found this version current.")


class ProcedurePage(BaseModel):
    catalogue: CatalogueState | None = Field(description="Null while no catalogue is held.")
    procedures: list[Procedure]
    next_after: str | None = Field(
        description="Pass as `after` for the next page; null on the last page."
    )


class ProcedureInCatalogue(BaseModel):
    catalogue: CatalogueState
    procedure: Procedure


def _procedure(row: EntryRow) -> Procedure:
    body: dict[str, Any] = row.body
    return Procedure(
        code=row.code,
        name=row.name,
        field_code=body.get("MaLinhVuc", ""),
        field_name=body.get("TenLinhVuc", ""),
        level=body.get("CapThucHien", ""),
        agencies=[
            Agency(code=a.get("MaCoQuan", ""), name=a.get("TenCoQuan", ""))
            for a in body.get("CoQuanThucHien", [])
        ],
        fees=[
            ProcedureFee(
                code=f.get("MaPhiLePhi", ""),
                name=f.get("TenPhiLePhi", ""),
                amount=f.get("Gia", ""),
                description=f.get("MoTa", ""),
            )
            for f in body.get("DanhSachLePhi", [])
        ],
    )


def _time(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


@router.get("", response_model=ProcedurePage, dependencies=[requires("catalogue:read")])
async def list_procedures(
    gateway: GatewayDep,
    field: Annotated[str | None, Query(max_length=100, description="A field code.")] = None,
    q: Annotated[
        str | None, Query(max_length=200, description="A piece of the procedure's name.")
    ] = None,
    after: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> ProcedurePage:
    """Procedures of the catalogue held, by code, a page at a time."""
    catalogue = gateway.catalogue
    held = await catalogue.latest()
    if held is None:
        return ProcedurePage(catalogue=None, procedures=[], next_after=None)
    rows = await catalogue.procedures(field=field, text=q, after=after, limit=limit)
    page = [_procedure(row) for row in rows]
    return ProcedurePage(
        catalogue=CatalogueState(
            version=held.version,
            fetched_at=_time(held.fetched_at),
            checked_at=_time(held.checked_at),
        ),
        procedures=page,
        next_after=page[-1].code if len(page) == limit else None,
    )


@router.get(
    "/{code}",
    response_model=ProcedureInCatalogue,
    dependencies=[requires("catalogue:read")],
    responses=problems(
        404, not_found="No procedure of the catalogue held has this code (or none is held)."
    ),
)
async def get_procedure(code: ProcedureCodeInPath, gateway: GatewayDep) -> ProcedureInCatalogue:
    """One procedure of the catalogue held, in full."""
    catalogue = gateway.catalogue
    held = await catalogue.latest()
    if held is None:
        raise HTTPException(
            404, detail="no national catalogue is held yet: run `lienthong catalogue sync`"
        )
    row = await catalogue.procedure(code)
    if row is None:
        raise HTTPException(404, detail=f"procedure {code!r} is not in the national catalogue held")
    state = CatalogueState(
        version=held.version, fetched_at=_time(held.fetched_at), checked_at=_time(held.checked_at)
    )
    return ProcedureInCatalogue(catalogue=state, procedure=_procedure(row))
