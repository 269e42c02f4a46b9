"""What the gateway needs from the national single sign-on provider, in its own verbs.

The gateway is an OpenID Connect relying party of the national provider (authorization code
flow with PKCE). A login starts (``start``: where to send the browser, and what to keep until it
comes back), and finishes (``finish``: the callback's code exchanged, the ID token checked, the
person's claims); a logout may continue at the provider (``end_session_url``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from adapters.errors import PermanentError

SYSTEM = "national_sso"
"""How errors of this adapter name the national system (``AdapterError.system``)."""


@dataclass(frozen=True, slots=True)
class PendingLogin:
    """What a login started and its callback must find again (the gateway keeps it in a signed
    cookie): the ``state`` and ``nonce`` sent, the PKCE ``verifier``, and where to go back to."""

    state: str
    nonce: str
    verifier: str
    return_to: str


@dataclass(frozen=True, slots=True)
class SignedIn:
    """A finished login: the claims of the checked ID token, completed (never overridden) by the
    provider's userinfo, and the ID token itself (the hint its end-session wants at logout)."""

    claims: Mapping[str, Any]
    id_token: str


class SignInRefused(PermanentError):
    """This sign-in cannot complete: the callback, the code, the ID token or the userinfo failed a
    rule of OpenID Connect; the reason names the rule. Starting a new login may succeed."""

    def __init__(self, reason: str) -> None:
        super().__init__(SYSTEM, reason)


class AssuranceTooLow(SignInRefused):
    """The provider vouched for a lower level of assurance (``given``, the ID token's ``acr``; None
    when it named none) than the gateway requires (``asked``, the configured ``min_acr``)."""

    def __init__(self, asked: str, given: str | None) -> None:
        super().__init__(
            f"the provider vouched for the level of assurance {given or '(none)'}, "
            f"below the {asked} this gateway requires"
        )
        self.asked = asked
        self.given = given


class NationalSso(Protocol):
    """The national SSO provider, as its relying party sees it.

    Every method raises only ``adapters.errors`` errors: ``SignInRefused`` (``AssuranceTooLow``
    among them) when a login breaks a rule, ``PermanentError`` when the provider's configuration
    cannot work with the gateway's (say, its discovery document names another issuer),
    ``AuthError`` when the provider refuses the gateway's client credentials, ``TransientError``
    when trying again later may succeed (including while the circuit breaker is open).
    """

    async def metadata(self) -> Mapping[str, Any]:
        """The provider's discovery document, read once; its issuer is the configured one."""
        ...

    async def start(
        self, return_to: str, *, login_hint: str | None = None
    ) -> tuple[str, PendingLogin]:
        """The provider's authorization URL to send the browser to (code flow, PKCE S256, state,
        nonce, the configured scopes and ``acr_values``), and what to keep until the callback."""
        ...

    async def finish(self, code: str, pending: PendingLogin, *, iss: str | None) -> SignedIn:
        """The login ``pending`` finished with the callback's ``code`` and ``iss`` parameter (RFC
        9207; None when the callback carried none). The caller has already checked ``state``."""
        ...

    async def end_session_url(self, *, id_token: str | None, post_logout: str | None) -> str | None:
        """Where to send the browser so the provider ends its own session (RP-initiated logout,
        ``id_token`` as ``id_token_hint``), or None when the provider has no end-session
        endpoint."""
        ...

    async def aclose(self) -> None:
        """Release the connection pool; the adapter cannot be used afterwards."""
        ...
