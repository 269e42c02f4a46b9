"""What the land registry adapter needs to know, independent of where settings live.

The gateway fills a ``LandRegistryConfig`` from its ``LIENTHONG_LAND_REGISTRY_*`` settings; tests
build one directly. Every path is relative to ``url`` and configurable: provincial land systems
(ILIS, VBDLIS) publish the same services under paths of their own. Which dossiers go to the land
office (their procedures), the status codes and how often statuses are pulled back belong to
this system, so they are configured here too.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from adapters.config import SystemConfig, secret_field
from mappings.errors import MappingError
from mappings.land_registry import DEFAULT_STATUS_CODES, LandOffice, LandStatus, status_table

LAND_PROCEDURES = "1.012783,1.012784,1.012786,1.013978,1.013831,1.013992,1.014365"
"""The land procedures (lĩnh vực Đất đai) of the national catalogue's seed."""


class LandRegistryConfig(SystemConfig):
    """Address, account, paths, and what the province forwards, for the land registry."""

    title: ClassVar[str] = "land registry"

    client_id: str = Field(default="", description="OAuth2 client id at the land system.")
    client_secret: str = secret_field(description="OAuth2 client secret at the land system.")
    username: str = Field(default="", description="The province's account (password grant).")
    password: str = secret_field(description="Password of the province's account.")
    token_path: str = Field(
        default="/connect/token", description="Path of the OAuth2 token endpoint."
    )
    token_leeway: float = Field(
        default=60.0, description="Seconds before expiry an OAuth2 token is replaced."
    )
    intake_path: str = Field(
        default="/api/TiepNhanHoSo", description="Path of TiepNhanHoSo (POST a land dossier)."
    )
    supplement_path: str = Field(
        default="/api/BoSungHoSo",
        description="Path of CapNhatTrangThaiBoSungHoSo (POST the supplied documents).",
    )
    handover_path: str = Field(
        default="/api/CapNhatTrangThaiHoSo",
        description="Path of CapNhatKetQuaTraHoSo (POST the result handed over).",
    )
    progress_path: str = Field(
        default="/api/TraCuuHoSo",
        description="Path of a dossier's status and results (GET ?SoBienNhan=).",
    )
    parcel_path: str = Field(
        default="/api/TraCuuThuaDat",
        description="Path of a parcel's registration (GET ?MaXa=&SoHieuBanDo=&SoThuTuThua=).",
    )
    owner_parcels_path: str = Field(
        default="/api/TraCuuThuaDatTheoChu",
        description="Path of the parcels a person holds (GET ?SoGiayTo=).",
    )
    procedures: str = Field(
        default=LAND_PROCEDURES,
        description="Procedure codes (national form, comma-separated) whose dossiers are "
        "forwarded to the land office.",
    )
    province_id: int = Field(
        default=38,
        description="TinhId: the province in the land system (its statistics office code; "
        "38 is Thanh Hóa, the province of the default unit code H56).",
    )
    receiver: str = Field(
        default="Bộ phận tiếp nhận và trả kết quả",
        description="NguoiTiepNhan sent with every dossier forwarded.",
    )
    status_codes: str = Field(
        default=DEFAULT_STATUS_CODES,
        description="The land system's TrangThai codes, code=status comma-separated "
        f"(statuses: {', '.join(s.value for s in LandStatus)}).",
    )
    poller_enabled: bool = Field(
        default=True,
        description="Whether this gateway runs the land poller, which forwards new land "
        "dossiers and pulls their statuses and results back (one replica at a time).",
    )
    poll_interval: float = Field(
        default=30.0, description="Seconds between two pulls of statuses and results."
    )
    poll_batch: int = Field(
        default=200, description="Most dossiers asked about in one pull, least recently first."
    )
    timeout: float = Field(default=10.0, description="Seconds for each phase of one exchange.")

    def procedure_codes(self) -> frozenset[str]:
        return frozenset(code.strip() for code in self.procedures.split(",") if code.strip())

    def statuses(self) -> dict[int, LandStatus]:
        return status_table(self.status_codes)

    def office(self) -> LandOffice:
        return LandOffice(province_id=self.province_id, receiver=self.receiver)

    def own_problems(self) -> list[str]:
        found: list[str] = []
        if not (self.client_id and self.client_secret):
            found.append(
                "client_id and client_secret of the land system's OAuth2 client are needed"
            )
        if not (self.username and self.password):
            found.append("username and password of the province's account are needed")
        if self.token_leeway < 0:
            found.append(f"token_leeway must not be negative, not {self.token_leeway}")
        if not self.procedure_codes():
            found.append("procedures must name at least one procedure code")
        try:
            self.statuses()
        except MappingError as error:
            found.append(str(error))
        if self.poll_interval <= 0:
            found.append(f"poll_interval must be positive, not {self.poll_interval}")
        if self.poll_batch < 1:
            found.append(f"poll_batch must be at least 1, not {self.poll_batch}")
        return found
