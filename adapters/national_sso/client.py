"""The national SSO provider over OpenID Connect: the ``NationalSso`` adapter.

Authorization code flow with PKCE (S256), ``state`` and ``nonce``, through authlib's
``AsyncOAuth2Client``; the ID token is checked against the provider's discovery document and
JWKS with joserfc. The rules held, each from a public text:

- discovery: the document's ``issuer`` is the configured one, exactly (OpenID Connect
  Discovery §4.3);
- the callback's ``iss`` (RFC 9207): when present it must be the issuer, and it must be present
  when the discovery document says ``authorization_response_iss_parameter_supported``; checked
  before the code is sent anywhere;
- client authentication (``SsoConfig.client_auth_method``): ``client_secret_basic`` form-encodes
  the client id and secret before Basic (RFC 6749 §2.3.1; authlib sends them raw, which breaks a
  secret holding ``+``, ``%`` or ``/``), ``client_secret_post``, or ``private_key_jwt``
  (RFC 7523);
- the ID token (OpenID Connect Core §3.1.3.7): RS256 only; ``iss``, ``aud`` (and ``azp`` when
  present), ``exp``, ``iat``, ``sub`` and the login's ``nonce``; its key looked up by ``kid``,
  or, without a ``kid``, the provider's one RS256 signing key when it publishes exactly one
  (Core §10.1); the JWKS fetched again when a token names a key it does not hold, as after a
  rotation, at most once per ``adapters.jwks`` interval;
- ``min_acr``: an ID token vouching for a lower level of assurance is refused
  (``AssuranceTooLow``);
- userinfo (Core §5.3.2): its ``sub`` must be present and be the ID token's; its claims complete
  the ID token's and never override them;
- logout: the provider's end-session endpoint with the ID token as ``id_token_hint``.

Every exchange with the provider (discovery, token, userinfo, JWKS) is one guarded call
(``adapters.client``): breaker, retries under the budget, rate limit, deadline.
"""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Mapping
from contextlib import suppress
from typing import Any, ClassVar
from urllib.parse import quote_plus

import httpx
from authlib.integrations.base_client import OAuthError
from authlib.oauth2.rfc7523 import PrivateKeyJWT
from joserfc import jws, jwt
from joserfc.errors import BadSignatureError, JoseError
from joserfc.jwk import KeySet, RSAKey

from adapters.authlib_httpx import AsyncOAuth2Client
from adapters.client import GuardedClient, tagged
from adapters.errors import AuthError, PermanentError, TransientError
from adapters.failures import response_failure
from adapters.jwks import JwksCache
from adapters.national_sso.config import ClientAuthMethod, SsoConfig, assurance_level
from adapters.national_sso.port import (
    SYSTEM,
    AssuranceTooLow,
    PendingLogin,
    SignedIn,
    SignInRefused,
)
from adapters.oauth2 import token_response_check

DISCOVERY = "discovery"
TOKEN = "token"  # noqa: S105 - an operation's name
USERINFO = "userinfo"
JWKS = "jwks"

ALGORITHMS = ("RS256",)
"""The only ID token signature algorithm accepted: never ``none``, never a symmetric one."""
LEEWAY = 60
"""Seconds of clock difference allowed with the provider on ``exp`` and ``iat``."""
CLIENT_REFUSALS = frozenset({"invalid_client", "unauthorized_client"})
"""Token endpoint errors that refuse the gateway's client rather than the sign-in."""
REQUIRED_ENDPOINTS = ("authorization_endpoint", "token_endpoint", "jwks_uri")


def client_secret_basic(
    client: Any, method: str, uri: str, headers: Any, body: Any
) -> tuple[str, Any, Any]:
    """authlib's client authentication hook for ``client_secret_basic`` as RFC 6749 §2.3.1 has
    it: the client id and the secret each form-encoded (``application/x-www-form-urlencoded``),
    then joined by ``:`` and base64-encoded."""
    credentials = f"{quote_plus(client.client_id)}:{quote_plus(client.client_secret)}"
    headers["Authorization"] = "Basic " + base64.b64encode(credentials.encode()).decode()
    return uri, headers, body


class OidcNationalSso(GuardedClient[SsoConfig]):
    """The gateway as the national provider's relying party; see the module for the rules held.

    ``config.redirect_url`` must be filled in (the gateway's ``/sso/callback``) before the
    adapter is built. ``transport`` replaces the network (e.g. ``httpx.ASGITransport`` around
    the mock) and ``sleep`` the waits between retries. Concurrent logins share one adapter:
    nothing of one login is kept in it.
    """

    system: ClassVar[str] = SYSTEM

    def open(self, transport: httpx.AsyncBaseTransport | None) -> None:
        config = self.config
        if config.redirect_url is None:
            raise ValueError(
                "SsoConfig.redirect_url must be filled in (the gateway's /sso/callback) "
                "before the national SSO adapter is built"
            )
        method = config.client_auth_method
        self._http: Any = AsyncOAuth2Client(
            client_id=config.client_id,
            client_secret=(
                _private_key(config)
                if method is ClientAuthMethod.private_key_jwt
                else config.client_secret
            ),
            token_endpoint_auth_method=method.value,
            scope=config.scopes,
            redirect_uri=config.redirect_url,
            code_challenge_method="S256",
            **self.http_options(transport),
        )
        self._http.register_client_auth_method(
            (ClientAuthMethod.client_secret_basic.value, client_secret_basic)
        )
        if method is ClientAuthMethod.private_key_jwt:
            self._http.register_client_auth_method(PrivateKeyJWT())
        self._http.register_compliance_hook("access_token_response", token_response_check(SYSTEM))
        self.closes(self._http.aclose)
        self._metadata: dict[str, Any] | None = None
        self.keys = JwksCache(self._fetch_keys)

    async def metadata(self) -> Mapping[str, Any]:
        """The provider's discovery document, read once; its issuer must be the configured one
        and it must name the endpoints a login needs (``PermanentError`` otherwise)."""
        if self._metadata is None:
            url = self.config.issuer.rstrip("/") + "/.well-known/openid-configuration"
            document = await self.call(DISCOVERY, lambda: self._get_json(DISCOVERY, url))
            if document.get("issuer") != self.config.issuer:
                raise PermanentError(
                    SYSTEM,
                    f"{DISCOVERY}: the provider names issuer {document.get('issuer')!r}, not the "
                    f"configured {self.config.issuer!r} (LIENTHONG_SSO_URL)",
                )
            missing = [
                name for name in REQUIRED_ENDPOINTS if not isinstance(document.get(name), str)
            ]
            if missing:
                raise PermanentError(
                    SYSTEM, f"{DISCOVERY}: the document names no {', '.join(missing)}"
                )
            self._metadata = document
        return self._metadata

    async def start(
        self, return_to: str, *, login_hint: str | None = None
    ) -> tuple[str, PendingLogin]:
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

    async def finish(self, code: str, pending: PendingLogin, *, iss: str | None) -> SignedIn:
        metadata = await self.metadata()
        self._check_response_issuer(metadata, iss)
        token = await self.call(TOKEN, lambda: self._exchange(metadata, code, pending))
        id_token = token.get("id_token")
        if not isinstance(id_token, str):
            raise SignInRefused("the provider's token response holds no id_token")
        claims = await self.verify_id_token(id_token, nonce=pending.nonce)
        self._check_assurance(claims)
        access_token = token.get("access_token")
        endpoint = metadata.get("userinfo_endpoint")
        if not (isinstance(endpoint, str) and isinstance(access_token, str)):
            return SignedIn(claims=claims, id_token=id_token)
        userinfo = await self.call(
            USERINFO,
            lambda: self._get_json(
                USERINFO, endpoint, headers={"Authorization": f"Bearer {access_token}"}
            ),
        )
        if "sub" not in userinfo:
            raise SignInRefused("the provider's userinfo names no subject (sub)")
        if userinfo["sub"] != claims["sub"]:
            raise SignInRefused("the provider's userinfo names another subject than the ID token")
        return SignedIn(claims={**userinfo, **claims}, id_token=id_token)

    async def verify_id_token(self, id_token: str, *, nonce: str) -> dict[str, Any]:
        """The ID token's claims, once its signature, issuer, audience, times, subject and
        nonce hold; ``SignInRefused`` naming what failed otherwise."""
        try:
            header = jws.extract_compact(id_token.encode()).headers()
        except (JoseError, ValueError) as error:
            raise SignInRefused(f"the ID token is not a compact JWS: {error}") from error
        alg = header.get("alg")
        if alg not in ALGORITHMS:
            raise SignInRefused(f"the ID token is signed with {alg!r}; only RS256 is accepted")
        kid = header.get("kid")
        if kid is not None and not isinstance(kid, str):
            raise SignInRefused("the ID token's kid is not a string")
        keys = await (self.keys.for_kid(kid) if kid else self.keys.current())
        try:
            return self._claims(id_token, _signing_key(keys, kid), nonce)
        except BadSignatureError as error:
            if kid:
                raise SignInRefused(
                    f"the ID token's signature does not verify with the provider's key {kid!r}"
                ) from error
        # Without a kid the provider may have replaced its only key: read its keys once more.
        fetched = await self.keys.again()
        if fetched is not keys:
            with suppress(BadSignatureError):
                return self._claims(id_token, _signing_key(fetched, None), nonce)
        raise SignInRefused("the ID token's signature does not verify with the provider's only key")

    async def end_session_url(self, *, id_token: str | None, post_logout: str | None) -> str | None:
        endpoint = (await self.metadata()).get("end_session_endpoint")
        if not isinstance(endpoint, str) or not endpoint:
            return None
        params = {"client_id": self.config.client_id}
        if id_token:
            params["id_token_hint"] = id_token
        if post_logout:
            params["post_logout_redirect_uri"] = post_logout
        return str(httpx.URL(endpoint).copy_merge_params(params))

    def _check_response_issuer(self, metadata: Mapping[str, Any], iss: str | None) -> None:
        """RFC 9207 §2.4: refuse an authorization response another provider may have sent."""
        if iss is None:
            if metadata.get("authorization_response_iss_parameter_supported") is True:
                raise SignInRefused(
                    "the authorization response carries no iss, though the provider says it "
                    "always sends one (RFC 9207): it may come from another provider"
                )
            return
        if iss != self.config.issuer:
            raise SignInRefused(
                f"the authorization response comes from issuer {iss!r}, not "
                f"{self.config.issuer!r} (RFC 9207)"
            )

    def _check_assurance(self, claims: Mapping[str, Any]) -> None:
        asked = self.config.min_acr
        if asked is None:
            return
        given = claims.get("acr")
        given = given if isinstance(given, str) else None
        rank = assurance_level(given) if given is not None else None
        if rank is None or rank < (assurance_level(asked) or 0):
            raise AssuranceTooLow(asked, given)

    async def _exchange(
        self, metadata: Mapping[str, Any], code: str, pending: PendingLogin
    ) -> Mapping[str, Any]:
        try:
            token: Mapping[str, Any] = await self._http.fetch_token(
                metadata["token_endpoint"],
                grant_type="authorization_code",
                code=code,
                code_verifier=pending.verifier,
            )
        except OAuthError as error:
            said = f"{error.error}: {error.description}" if error.description else error.error
            if error.error in CLIENT_REFUSALS:
                raise AuthError(
                    SYSTEM,
                    f"{TOKEN}: the provider refused the gateway's client ({said}); check the "
                    "client id, its secret or key, and the client authentication method",
                ) from error
            raise SignInRefused(f"the provider refused the authorization code ({said})") from error
        return token

    def _claims(self, id_token: str, key: RSAKey, nonce: str) -> dict[str, Any]:
        """The claims of ``id_token`` verified with ``key``; ``BadSignatureError`` propagates."""
        try:
            token = jwt.decode(id_token, key, algorithms=list(ALGORITHMS))
            jwt.JWTClaimsRegistry(
                leeway=LEEWAY,
                iss={"essential": True, "value": self.config.issuer},
                aud={"essential": True, "value": self.config.client_id},
                azp={"value": self.config.client_id},
                exp={"essential": True},
                iat={"essential": True},
                sub={"essential": True},
                nonce={"essential": True, "value": nonce},
            ).validate(token.claims)
        except BadSignatureError:
            raise
        except (JoseError, ValueError) as error:
            raise SignInRefused(f"the ID token was refused: {error}") from error
        return dict(token.claims)

    async def _fetch_keys(self) -> KeySet:
        uri = (await self.metadata())["jwks_uri"]
        document = await self.call(JWKS, lambda: self._get_json(JWKS, uri))
        try:
            return KeySet.import_key_set(document)  # type: ignore[arg-type]
        except (JoseError, ValueError, KeyError) as error:
            raise TransientError(
                SYSTEM, f"{JWKS}: the provider's keys cannot be read: {error}"
            ) from error

    async def _get_json(
        self, operation: str, url: str, headers: Mapping[str, str] | None = None
    ) -> dict[str, Any]:
        response: httpx.Response = await self._http.request(
            "GET", url, headers=headers, withhold_token=True, extensions=tagged(operation)
        )
        failure = response_failure(SYSTEM, response, operation)
        if failure is not None:
            raise failure
        try:
            document = response.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            document = None
        if not isinstance(document, dict):
            raise TransientError(
                SYSTEM, f"{operation}: HTTP {response.status_code} without a JSON object"
            )
        return document


def _signing_key(keys: KeySet, kid: str | None) -> RSAKey:
    """The key that signed a token naming ``kid``; for a token naming none, the provider's one
    RS256 signing key (OpenID Connect Core §10.1 requires a ``kid`` when there are several)."""
    usable = [
        key
        for key in keys.keys
        if isinstance(key, RSAKey)
        and key.get("use") in (None, "sig")
        and key.alg in (None, *ALGORITHMS)
    ]
    if kid:
        found = next((key for key in usable if key.kid == kid), None)
        if found is None:
            raise SignInRefused(f"the ID token names key {kid!r}, which the provider's JWKS lacks")
        return found
    if len(usable) != 1:
        raise SignInRefused(
            f"the ID token names no key (kid), and the provider's JWKS holds {len(usable)} RS256 "
            "signing keys: without a kid exactly one is allowed (OpenID Connect Core §10.1)"
        )
    return usable[0]


def _private_key(config: SsoConfig) -> RSAKey:
    """The RSA key of ``config.private_key`` that signs client assertions."""
    assert config.private_key is not None  # SsoConfig requires it with private_key_jwt
    try:
        return RSAKey.import_key(config.private_key.read_bytes())
    except (OSError, JoseError, ValueError) as error:
        raise ValueError(
            f"invalid national SSO configuration: private_key {str(config.private_key)!r} "
            f"cannot be read as a PEM RSA private key: {error}"
        ) from error
