"""Style 2, through an integration platform (LGSP/NGSP): OAuth2 client credentials, Bearer calls.

``adapters.oauth2.ClientCredentials`` is the channel's HTTP client: it attaches the token,
replaces one that expires within ``token_leeway`` seconds, and fetches a new one once when the
platform refuses a token it revoked or forgot (HTTP 401/403 or ``error_code "401"``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from adapters.client import json_body, tagged
from adapters.national_portal.config import PortalConfig
from adapters.national_portal.port import SYSTEM
from adapters.national_portal.reply import refuses_credentials
from adapters.oauth2 import ClientCredentials


class PlatformChannel:
    """Sends service calls to ``{base}{services_path}/{service}`` with the unit code in the body.

    A caller may rely on what ``adapters.oauth2.ClientCredentials`` promises: a token is fetched
    once and shared by concurrent calls; at most one re-fetch per refusal; the reply of the
    second attempt is returned as is, so a second refusal reaches ``read_reply`` and becomes
    ``AuthError``.
    """

    def __init__(self, config: PortalConfig, options: dict[str, Any]) -> None:
        self._config = config
        self._http = ClientCredentials.of(SYSTEM, config, refused=refuses_credentials, **options)

    async def send(self, service: str, params: Mapping[str, object]) -> httpx.Response:
        path = f"{self._config.services_path.rstrip('/')}/{service}"
        body = {"madonvi": self._config.unit_code, **params}
        return await self._http.request("POST", path, **json_body(body), extensions=tagged(service))

    async def aclose(self) -> None:
        await self._http.aclose()
