"""National sign-on as the gateway offers it: start a login, finish it into a session, read the
session, and hand a signed-in person over to a provincial portal."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx

from gateway.sso.provider import OidcClient, PendingLogin, SsoConfig, SsoError
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
    """Built from settings by the composition root; the assertion signer is set at start, once
    the gateway's key is loaded."""

    client: OidcClient
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

    async def callback(self, pending_cookie: str | None, code: str, state: str) -> tuple[str, str]:
        """Where to send the person back and their signed session cookie.

        Raises ``BadToken`` for a missing or forged login cookie, ``SsoError`` for a state
        mismatch, a replayed callback or anything the provider's answers fail, ``MappingError``
        for unusable claims.
        """
        claims = self.cookies.read("login", pending_cookie)
        pending = PendingLogin(
            state=str(claims["state"]),
            nonce=str(claims["nonce"]),
            verifier=str(claims["verifier"]),
            return_to=safe_return_to(str(claims["return_to"])),
        )
        if state != pending.state:
            raise SsoError("the state returned by the provider is not the one this login sent")
        if not self.used.use(pending.state, until=float(claims["exp"])):
            raise SsoError("this sign-in was already completed; a replayed callback is refused")
        claims, id_token = await self.client.finish(code, pending)
        identity = identity_from_claims(claims)
        session = self.cookies.sign(
            "session",
            {"identity": identity.model_dump(mode="json"), "id_token": id_token},
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
            metadata = await self.client.metadata()
        except SsoError:
            return None
        try:
            id_token = self.cookies.read("session", session_cookie).get("id_token")
        except BadToken:
            id_token = None
        return self.client.end_session_url(
            metadata, post_logout, id_token if isinstance(id_token, str) else None
        )

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
    config: SsoConfig,
    *,
    session_secret: str,
    session_seconds: int,
    portal_urls: str,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Sso:
    return Sso(
        client=OidcClient(config, transport=transport),
        cookies=CookieSigner(session_secret),
        portal_urls=tuple(url.strip() for url in portal_urls.split(",") if url.strip()),
        session_seconds=session_seconds,
        secure_cookies=config.redirect_url.startswith("https://"),
    )
