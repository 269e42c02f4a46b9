"""National sign-on as the gateway offers it: start a login, finish it into a session, read the
session, and hand a signed-in person over to a provincial portal.

The provider is reached through the port ``adapters.national_sso.NationalSso``; its refusals
(``SignInRefused``, ``AssuranceTooLow``) and failures (the ``adapters.errors`` tree) reach the
caller as they are.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx

from adapters.errors import AdapterError
from adapters.national_sso import NationalSso, PendingLogin, SignInRefused
from gateway.sso.replay import UsedLogins
from gateway.sso.tokens import AssertionSigner, BadToken, CookieSigner
from mappings.identity import Identity, identity_from_claims

PENDING_COOKIE = "lienthong_sso_login"
SESSION_COOKIE = "lienthong_session"
PENDING_SECONDS = 600
HANDOFF_SECONDS = 120


def safe_return_to(value: str) -> str:
    """``value`` if it is a path on this gateway; else ``ValueError`` (no open redirect).

    Absolute URLs, scheme-relative ``//host`` forms and backslash tricks browsers read as
    ``//`` are refused.
    """
    parts = urlsplit(value)
    if (
        not value.startswith("/")
        or value.startswith("//")
        or "\\" in value
        or parts.scheme
        or parts.netloc
        or any(ord(character) < 0x20 for character in value)
    ):
        raise ValueError(f"return_to must be a path on this gateway, not {value!r}")
    return value


@dataclass(slots=True)
class Sso:
    """Built by the composition root around the national SSO adapter; the assertion signer is
    set at start, once the gateway's key is loaded."""

    client: NationalSso
    cookies: CookieSigner
    portal_urls: tuple[str, ...]
    session_seconds: int
    secure_cookies: bool
    signer: AssertionSigner | None = field(default=None)
    used: UsedLogins = field(default_factory=UsedLogins)

    async def login(self, return_to: str, login_hint: str | None) -> tuple[str, str]:
        """The provider URL to go to and the signed pending-login cookie."""
        url, pending = await self.client.start(safe_return_to(return_to), login_hint=login_hint)
        cookie = self.cookies.sign("login", asdict(pending), seconds=PENDING_SECONDS)
        return url, cookie

    async def callback(
        self, pending_cookie: str | None, code: str, state: str, iss: str | None = None
    ) -> tuple[str, str]:
        """Where to send the person back and their signed session cookie.

        ``iss`` is the callback's issuer parameter (RFC 9207), None when it carried none.
        Raises ``BadToken`` for a missing or forged login cookie, ``SignInRefused`` for a state
        mismatch, a replayed callback or anything the provider's answers fail
        (``AssuranceTooLow`` for a level of assurance below the minimum), ``TransientError``
        when the provider cannot be reached, ``MappingError`` for unusable claims.
        """
        claims = self.cookies.read("login", pending_cookie)
        pending = PendingLogin(
            state=str(claims["state"]),
            nonce=str(claims["nonce"]),
            verifier=str(claims["verifier"]),
            return_to=safe_return_to(str(claims["return_to"])),
        )
        if state != pending.state:
            raise SignInRefused("the state returned by the provider is not the one this login sent")
        if not self.used.use(pending.state, until=float(claims["exp"])):
            raise SignInRefused(
                "this sign-in was already completed; a replayed callback is refused"
            )
        signed = await self.client.finish(code, pending, iss=iss)
        identity = identity_from_claims(signed.claims)
        session = self.cookies.sign(
            "session",
            {"identity": identity.model_dump(mode="json"), "id_token": signed.id_token},
            seconds=self.session_seconds,
        )
        return pending.return_to, session

    def identity(self, session_cookie: str | None) -> Identity:
        """The signed-in identity; ``BadToken`` when there is no valid session."""
        claims = self.cookies.read("session", session_cookie)
        try:
            return Identity.model_validate(claims["identity"])
        except (KeyError, ValueError) as error:
            raise BadToken(f"the session holds no identity: {error}") from error

    async def logout_url(self, session_cookie: str | None, post_logout: str | None) -> str | None:
        """The provider's end-session URL, when it has one and can be reached, with the
        session's ID token as the hint (an expired or missing session gives none)."""
        try:
            id_token = self.cookies.read("session", session_cookie).get("id_token")
        except BadToken:
            id_token = None
        try:
            return await self.client.end_session_url(
                id_token=id_token if isinstance(id_token, str) else None, post_logout=post_logout
            )
        except AdapterError:
            return None

    def handoff(self, session_cookie: str | None, target: str) -> str:
        """``target`` (one of the configured portal URLs) with a signed assertion appended."""
        if target not in self.portal_urls:
            raise ValueError(
                f"{target!r} is not a provincial portal set in LIENTHONG_SSO_PORTAL_URLS"
            )
        identity = self.identity(session_cookie)
        if self.signer is None:
            raise RuntimeError("the gateway has not started: its signing key is not loaded")
        assertion = self.signer.assertion(identity, audience=target, seconds=HANDOFF_SECONDS)
        url = httpx.URL(target)
        return str(url.copy_merge_params({"assertion": assertion}))

    def jwks(self) -> dict[str, Any]:
        return self.signer.jwks() if self.signer is not None else {"keys": []}


def build_sso(
    client: NationalSso,
    *,
    session_secret: str,
    session_seconds: int,
    portal_urls: str,
    secure_cookies: bool,
) -> Sso:
    """Sign-on through ``client`` (the national SSO adapter the registry built); cookies are
    signed with ``session_secret`` and marked ``Secure`` when ``secure_cookies`` (the redirect
    URL is https); ``portal_urls`` (comma-separated) are where ``handoff`` may send people."""
    return Sso(
        client=client,
        cookies=CookieSigner(session_secret),
        portal_urls=tuple(url.strip() for url in portal_urls.split(",") if url.strip()),
        session_seconds=session_seconds,
        secure_cookies=secure_cookies,
    )
