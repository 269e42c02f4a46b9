"""The gateway as an OpenID Connect relying party of the national SSO provider.

Authorization code flow with PKCE (S256), state and nonce, through authlib's
``AsyncOAuth2Client``; the ID token is checked against the provider's discovery document and
JWKS with joserfc (RS256 only, ``kid`` looked up, the JWKS fetched again when a token names a key
it does not hold, as after a key rotation, but at most once per ``JwksCache`` interval).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

import httpx
from authlib.integrations.httpx_client import AsyncOAuth2Client
from joserfc import jws, jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from gateway.auth.jwks import JwksCache

ALGORITHMS = ("RS256",)
"""The only ID token signature algorithm accepted: never ``none``, never a symmetric one."""


class SsoError(Exception):
    """Signing in failed; the message says at which step and what the provider sent."""


@dataclass(frozen=True, slots=True)
class SsoConfig:
    issuer: str
    client_id: str
    client_secret: str
    redirect_url: str
    acr_values: str
    timeout: float


@dataclass(frozen=True, slots=True)
class PendingLogin:
    """What a login started and its callback must find again (kept in a signed cookie)."""

    state: str
    nonce: str
    verifier: str
    return_to: str


class OidcClient:
    """One client per provider; ``transport`` lets tests hand it a mock's ASGI app."""

    def __init__(
        self, config: SsoConfig, *, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self.config = config
        self._http = AsyncOAuth2Client(
            client_id=config.client_id,
            client_secret=config.client_secret,
            scope="openid",
            redirect_uri=config.redirect_url,
            code_challenge_method="S256",
            timeout=httpx.Timeout(config.timeout),
            transport=transport,
        )
        self._metadata: dict[str, Any] | None = None
        self.keys = JwksCache(self._fetch_keys)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def metadata(self) -> dict[str, Any]:
        """The provider's discovery document, read once; its issuer must be the configured one."""
        if self._metadata is None:
            url = self.config.issuer.rstrip("/") + "/.well-known/openid-configuration"
            document = await self._get_json(url, "discovery document")
            if document.get("issuer") != self.config.issuer:
                raise SsoError(
                    f"the provider's discovery document names issuer {document.get('issuer')!r}, "
                    f"not the configured LIENTHONG_SSO_ISSUER {self.config.issuer!r}"
                )
            self._metadata = document
        return self._metadata

    async def start(
        self, return_to: str, *, login_hint: str | None = None
    ) -> tuple[str, PendingLogin]:
        """The provider's authorization URL to send the browser to, and what to keep meanwhile."""
        metadata = await self.metadata()
        pending = PendingLogin(
            state=secrets.token_urlsafe(32),
            nonce=secrets.token_urlsafe(32),
            verifier=secrets.token_urlsafe(48),
            return_to=return_to,
        )
        extra = {"login_hint": login_hint} if login_hint else {}
        url, _ = self._http.create_authorization_url(
            metadata["authorization_endpoint"],
            state=pending.state,
            code_verifier=pending.verifier,
            nonce=pending.nonce,
            acr_values=self.config.acr_values,
            **extra,
        )
        return str(url), pending

    async def finish(self, code: str, pending: PendingLogin) -> tuple[dict[str, Any], str]:
        """Exchange ``code``, check the ID token, fetch userinfo: the merged claims, and the ID
        token itself (the hint the provider's end-session wants at logout).

        Userinfo claims complete the ID token's; its ``sub`` must be the ID token's.
        """
        metadata = await self.metadata()
        try:
            token = await self._http.fetch_token(
                metadata["token_endpoint"],
                grant_type="authorization_code",
                code=code,
                code_verifier=pending.verifier,
            )
        except Exception as error:  # authlib raises its own OAuth errors and httpx's
            raise SsoError(f"the provider refused the authorization code: {error}") from error
        id_token = token.get("id_token")
        if not isinstance(id_token, str):
            raise SsoError("the provider's token response holds no id_token")
        claims = await self.verify_id_token(id_token, nonce=pending.nonce)
        userinfo: dict[str, Any] = {}
        if metadata.get("userinfo_endpoint") and token.get("access_token"):
            userinfo = await self._get_json(
                metadata["userinfo_endpoint"],
                "userinfo",
                headers={"Authorization": f"Bearer {token['access_token']}"},
            )
            if userinfo.get("sub") not in (None, claims["sub"]):
                raise SsoError("the provider's userinfo names another subject than the ID token")
        return {**claims, **userinfo}, id_token

    async def verify_id_token(self, id_token: str, *, nonce: str) -> dict[str, Any]:
        """The ID token's claims, once its signature, issuer, audience, expiry and nonce hold."""
        try:
            header = jws.extract_compact(id_token.encode()).headers()
        except (JoseError, ValueError) as error:
            raise SsoError(f"the ID token is not a compact JWS: {error}") from error
        alg = header.get("alg")
        if alg not in ALGORITHMS:
            raise SsoError(f"the ID token is signed with {alg!r}; only RS256 is accepted")
        kid = header.get("kid")
        if not isinstance(kid, str):
            raise SsoError("the ID token's header names no key (kid)")
        keys = await self._key_set(kid)
        try:
            token = jwt.decode(id_token, keys.get_by_kid(kid), algorithms=list(ALGORITHMS))
            registry = jwt.JWTClaimsRegistry(
                leeway=60,
                iss={"essential": True, "value": self.config.issuer},
                aud={"essential": True, "value": self.config.client_id},
                exp={"essential": True},
                sub={"essential": True},
                nonce={"essential": True, "value": nonce},
            )
            registry.validate(token.claims)
        except (JoseError, ValueError) as error:
            raise SsoError(f"the ID token was refused: {error}") from error
        return dict(token.claims)

    def end_session_url(
        self, metadata: dict[str, Any], post_logout: str | None, id_token: str | None
    ) -> str | None:
        """RP-initiated logout: the ID token as ``id_token_hint`` when the session kept it."""
        endpoint = metadata.get("end_session_endpoint")
        if not endpoint:
            return None
        params = {"client_id": self.config.client_id}
        if id_token:
            params["id_token_hint"] = id_token
        if post_logout:
            params["post_logout_redirect_uri"] = post_logout
        return str(httpx.URL(endpoint, params=params))

    async def _key_set(self, kid: str) -> KeySet:
        keys = await self.keys.for_kid(kid)
        if not any(key.kid == kid for key in keys.keys):
            raise SsoError(f"the ID token names key {kid!r}, which the provider's JWKS lacks")
        return keys

    async def _fetch_keys(self) -> KeySet:
        metadata = await self.metadata()
        document = await self._get_json(metadata["jwks_uri"], "JWKS")
        try:
            return KeySet.import_key_set(document)  # type: ignore[arg-type]
        except (JoseError, ValueError) as error:
            raise SsoError(f"the provider's JWKS cannot be read: {error}") from error

    async def _get_json(
        self, url: str, what: str, headers: dict[str, str] | None = None
    ) -> dict[str, Any]:
        try:
            response = await self._http.request("GET", url, headers=headers, withhold_token=True)
            response.raise_for_status()
            document = response.json()
        except (httpx.HTTPError, ValueError) as error:
            raise SsoError(f"cannot read the SSO provider's {what} at {url}: {error}") from error
        if not isinstance(document, dict):
            raise SsoError(f"the SSO provider's {what} at {url} is not a JSON object")
        return document
