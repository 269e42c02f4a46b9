"""The digitised-results store over HTTP: the ``ResultsStore`` port's real adapter."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import httpx

from adapters.client import GuardedClient, tagged
from adapters.oauth2 import ClientCredentials
from adapters.results_store.config import ResultsStoreConfig
from adapters.results_store.port import SYSTEM
from adapters.results_store.reply import read_envelope, read_file, read_results
from mappings.results_store import IssuedResult, ResultFile, results_query

FIND_RESULTS = "GetKetQuaGiayTo"
FETCH_FILE = "GetGiayToByUrl"


class HttpResultsStore(GuardedClient[ResultsStoreConfig]):
    """The results store through the portal's platform, with OAuth2 client credentials.

    What a caller may rely on:

    - Every call is one guarded call (``adapters.client``): breaker, retries under the budget,
      rate limit, deadline; every method raises only ``adapters.errors`` errors (see
      ``reply``). The owner's ID travels in the body, never in the URL.
    - A token (``adapters.oauth2``) is fetched on first use, shared by concurrent calls,
      replaced before it expires, and fetched again once when the store answers 401.
    - ``transport`` replaces the network and ``sleep`` the waits between retries (tests pass
      fakes).
    """

    system: ClassVar[str] = SYSTEM

    def open(self, transport: httpx.AsyncBaseTransport | None) -> None:
        config = self.config
        self._http = ClientCredentials.of(
            SYSTEM,
            config,
            refused=lambda response: response.status_code == httpx.codes.UNAUTHORIZED,
            **self.http_options(transport, base_url=config.url),
        )
        self.closes(self._http.aclose)

    async def find_results(
        self, owner: str, procedure: str, kinds: Sequence[str] = ()
    ) -> list[IssuedResult]:
        """The owner's results of ``kinds`` (all when empty), newest first."""
        body = results_query(owner, procedure, kinds, channel=self.config.channel)

        async def attempt() -> list[IssuedResult]:
            _, result = await self._post(FIND_RESULTS, self.config.find_path, body)
            return read_results(result, FIND_RESULTS)

        return await self.call(FIND_RESULTS, attempt)

    async def fetch_file(self, file_url: str) -> ResultFile | None:
        """The file at ``file_url``, or None when the store holds none there."""

        async def attempt() -> ResultFile | None:
            code, result = await self._post(
                FETCH_FILE, self.config.file_path, {"DuongDan": file_url}
            )
            return read_file(code, result, FETCH_FILE)

        return await self.call(FETCH_FILE, attempt)

    async def _post(self, operation: str, path: str, body: dict[str, Any]) -> tuple[int, Any]:
        response = await self._http.request("POST", path, json=body, extensions=tagged(operation))
        return read_envelope(response, operation)
