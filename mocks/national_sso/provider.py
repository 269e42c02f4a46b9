"""The OpenID Connect provider proper: authlib's authorization server with its glue and stores.

authlib has no Starlette server integration, so this module supplies what its Flask and Django
integrations do: an ``OAuth2Request`` built from a request already read (``SsoRequest``), a
``handle_response`` that answers a ``mocks.admin.Reply``, and in-memory clients, codes and tokens.
The grant is authlib's ``AuthorizationCodeGrant`` with PKCE (S256 required) and ``OpenIDCode``.
"""

from __future__ import annotations

import base64
import binascii
import secrets
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote_plus, urlsplit

from authlib.oauth2 import AuthorizationServer, OAuth2Request
from authlib.oauth2.rfc6749 import ClientMixin, InvalidRequestError, OAuth2Payload
from authlib.oauth2.rfc6749.grants import AuthorizationCodeGrant
from authlib.oauth2.rfc6749.resource_protector import ResourceProtector
from authlib.oauth2.rfc6750 import BearerTokenGenerator, BearerTokenValidator
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode

from mocks.admin import Reply
from mocks.national_sso.accounts import Account
from mocks.national_sso.keys import KeyRing

Clock = Callable[[], float]

CODE_LIFETIME_SECONDS = 300
TOKEN_LIFETIME_SECONDS = 3600
ACR_VALUES = ("LoA1", "LoA2")
DEFAULT_ACR = "LoA1"
WRONG_ISSUER = "https://sso.khac.invalid"


@dataclass(frozen=True, slots=True)
class SsoClient(ClientMixin):  # type: ignore[misc]
    """A registered relying party. URIs match exactly; a ``:*`` port matches any port."""

    client_id: str
    client_secret: str
    redirect_uris: tuple[str, ...]
    post_logout_redirect_uris: tuple[str, ...] = ()

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str | None:
        return None

    def get_allowed_scope(self, scope: str | None) -> str:
        return " ".join(s for s in (scope or "").split() if s in ("openid", "profile"))

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return any(uri_matches(p, redirect_uri) for p in self.redirect_uris)

    def check_post_logout_redirect_uri(self, uri: str) -> bool:
        return any(uri_matches(p, uri) for p in self.post_logout_redirect_uris)

    def check_client_secret(self, client_secret: str) -> bool:
        return secrets.compare_digest(self.client_secret.encode(), client_secret.encode())

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


def uri_matches(pattern: str, uri: str) -> bool:
    """Exact match, except that a pattern's ``:*`` port stands for any explicit port."""
    if ":*/" not in pattern:
        return pattern == uri
    want, got = urlsplit(pattern.replace(":*/", ":1/", 1)), urlsplit(uri)
    try:
        port = got.port
    except ValueError:
        return False
    return (
        port is not None
        and (want.scheme, want.hostname, want.path, want.query, want.fragment)
        == (got.scheme, got.hostname, got.path, got.query, got.fragment)
        and got.username is None
    )


DEFAULT_CLIENT = SsoClient(
    client_id="lienthong",
    client_secret="lienthong-dev",  # noqa: S106 (the mock's published dev secret)
    redirect_uris=("http://127.0.0.1:*/sso/callback", "http://localhost:*/sso/callback"),
    post_logout_redirect_uris=(
        "http://127.0.0.1:*/",
        "http://localhost:*/",
        "http://127.0.0.1:*/sso/logged-out",
        "http://localhost:*/sso/logged-out",
    ),
)


@dataclass(frozen=True, slots=True)
class AuthorizationCode:
    """What a code stands for until the token endpoint redeems it (once)."""

    code: str
    client_id: str
    redirect_uri: str
    scope: str
    nonce: str | None
    acr: str
    code_challenge: str
    code_challenge_method: str
    account_id: str
    auth_time: int
    expires_at: float

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.auth_time

    def get_acr(self) -> str:
        return self.acr

    def get_amr(self) -> None:
        return None


@dataclass(slots=True)
class AccessToken:
    token: str
    client_id: str
    account_id: str
    scope: str
    acr: str
    expires_at: float
    revoked: bool = False

    def is_expired(self) -> bool:
        return time.time() >= self.expires_at

    def is_revoked(self) -> bool:
        return self.revoked

    def get_scope(self) -> str:
        return self.scope


@dataclass(slots=True)
class Switches:
    """Faults in the id tokens issued, for negative tests of a relying party."""

    expired_tokens: bool = False
    wrong_issuer: bool = False
    bad_signature: bool = False

    def as_json(self) -> dict[str, bool]:
        return {
            "expired_tokens": self.expired_tokens,
            "wrong_issuer": self.wrong_issuer,
            "bad_signature": self.bad_signature,
        }


@dataclass(slots=True)
class Store:
    """Everything clients did: codes not yet redeemed, tokens, nonces seen, sessions ended."""

    codes: dict[str, AuthorizationCode] = field(default_factory=dict)
    tokens: dict[str, AccessToken] = field(default_factory=dict)
    nonces: set[tuple[str, str]] = field(default_factory=set)
    logins: int = 0
    logouts: int = 0

    def clear(self) -> None:
        self.codes.clear()
        self.tokens.clear()
        self.nonces.clear()
        self.logins = self.logouts = 0


class _Payload(OAuth2Payload):  # type: ignore[misc]
    def __init__(self, values: Mapping[str, list[str]]) -> None:
        self._datalist = defaultdict(list, {k: list(v) for k, v in values.items()})
        self._data = {k: v[0] for k, v in values.items() if v}

    @property
    def data(self) -> dict[str, str]:
        return self._data

    @property
    def datalist(self) -> defaultdict[str, list[str]]:
        return self._datalist


class SsoRequest(OAuth2Request):  # type: ignore[misc]
    """A request already read: query and form values merged, as Flask's ``request.values``.

    ``issuer`` is the provider's address as this request reached it.
    """

    def __init__(
        self,
        method: str,
        uri: str,
        headers: Mapping[str, str],
        query: Iterable[tuple[str, str]],
        form: Iterable[tuple[str, str]],
        issuer: str,
    ) -> None:
        super().__init__(method=method, uri=uri, headers=headers)
        self.issuer = issuer
        self._args = dict(query)
        self._form = dict(form)
        values: dict[str, list[str]] = defaultdict(list)
        for key, value in [*self._args.items(), *self._form.items()]:
            values[key].append(value)
        self.payload = _Payload(values)

    @property
    def args(self) -> dict[str, str]:
        return self._args

    @property
    def form(self) -> dict[str, str]:
        return self._form


class _S256Challenge(CodeChallenge):  # type: ignore[misc]
    """PKCE on every authorization request, and only with S256."""

    SUPPORTED_CODE_CHALLENGE_METHOD = ("S256",)

    def validate_code_challenge(self, grant: Any, redirect_uri: str) -> None:
        data = grant.request.payload.data
        if not data.get("code_challenge"):
            raise InvalidRequestError("Missing 'code_challenge': PKCE with S256 is required.")
        if data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("'code_challenge_method' must be S256.")
        super().validate_code_challenge(grant, redirect_uri)


class _OpenIDCode(OpenIDCode):  # type: ignore[misc]
    def __init__(self, provider: Provider) -> None:
        super().__init__(require_nonce=False)
        self.provider = provider

    def exists_nonce(self, nonce: str, request: SsoRequest) -> bool:
        return (request.payload.client_id, nonce) in self.provider.store.nonces

    def resolve_client_private_key(self, client: SsoClient) -> Any:
        return self.provider.keys.current

    def get_client_algorithm(self, client: SsoClient) -> str:
        return "RS256"

    def get_encode_header(self, client: SsoClient) -> dict[str, str]:
        return {"alg": "RS256", "kid": str(self.provider.keys.current.kid), "typ": "JWT"}

    def get_compatible_claims(self, request: SsoRequest) -> dict[str, Any]:
        switches = self.provider.switches
        now = int(time.time())
        if switches.expired_tokens:
            now -= 2 * TOKEN_LIFETIME_SECONDS
        return {
            "iss": WRONG_ISSUER if switches.wrong_issuer else request.issuer,
            "aud": request.client.get_client_id(),
            "iat": now,
            "exp": now + TOKEN_LIFETIME_SECONDS,
            "auth_time": now,
        }

    def generate_user_info(self, user: Account, scope: str) -> UserInfo:
        return UserInfo(sub=user.tech_id)

    def encode_id_token(self, token: dict[str, Any], request: SsoRequest) -> str:
        id_token: str = super().encode_id_token(token, request)
        if self.provider.switches.bad_signature:
            head, body, signature = id_token.split(".")
            flipped = "A" if signature[0] != "A" else "B"
            id_token = f"{head}.{body}.{flipped}{signature[1:]}"
        return id_token


class _CodeGrant(AuthorizationCodeGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS = ("client_secret_basic", "client_secret_post")

    @property
    def provider(self) -> Provider:
        server: _Server = self.server
        return server.provider

    def save_authorization_code(self, code: str, request: SsoRequest) -> None:
        data = request.payload.data
        requested = (data.get("acr_values") or "").split()
        acr = next((a for a in requested if a in ACR_VALUES), DEFAULT_ACR)
        user: Account = request.user
        store = self.provider.store
        nonce = data.get("nonce")
        store.codes[code] = AuthorizationCode(
            code=code,
            client_id=request.client.get_client_id(),
            redirect_uri=request.payload.redirect_uri,
            scope=request.scope,
            nonce=nonce,
            acr=acr,
            code_challenge=data["code_challenge"],
            code_challenge_method=data["code_challenge_method"],
            account_id=user.id,
            auth_time=int(time.time()),
            expires_at=self.provider.clock() + CODE_LIFETIME_SECONDS,
        )
        if nonce:
            store.nonces.add((request.client.get_client_id(), nonce))
        store.logins += 1

    def query_authorization_code(self, code: str, client: SsoClient) -> AuthorizationCode | None:
        found = self.provider.store.codes.get(code)
        if found is None or found.client_id != client.get_client_id():
            return None
        if self.provider.clock() >= found.expires_at:
            return None
        return found

    def delete_authorization_code(self, authorization_code: AuthorizationCode) -> None:
        self.provider.store.codes.pop(authorization_code.code, None)

    def authenticate_user(self, authorization_code: AuthorizationCode) -> Account | None:
        return self.provider.accounts.get(authorization_code.account_id)


class _Server(AuthorizationServer):  # type: ignore[misc]
    def __init__(self, provider: Provider) -> None:
        super().__init__(scopes_supported=["openid", "profile"])
        self.provider = provider

    def query_client(self, client_id: str) -> SsoClient | None:
        return self.provider.clients.get(client_id)

    def save_token(self, token: dict[str, Any], request: SsoRequest) -> None:
        code: AuthorizationCode = request.authorization_code
        self.provider.store.tokens[token["access_token"]] = AccessToken(
            token=token["access_token"],
            client_id=code.client_id,
            account_id=code.account_id,
            scope=token.get("scope", ""),
            acr=code.acr,
            expires_at=time.time() + int(token["expires_in"]),
        )

    def create_oauth2_request(self, request: SsoRequest) -> SsoRequest:
        return request

    def handle_response(self, status: int, body: Any, headers: Iterable[tuple[str, str]]) -> Reply:
        return Reply(body, status=status, headers=dict(headers))

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        return None


class _TokenValidator(BearerTokenValidator):  # type: ignore[misc]
    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store

    def authenticate_token(self, token_string: str) -> AccessToken | None:
        return self.store.tokens.get(token_string)


def authenticate_client_secret_basic(
    query_client: Callable[[str], SsoClient | None], request: SsoRequest
) -> SsoClient | None:
    """HTTP Basic as RFC 6749 §2.3.1 has it: the client id and secret were form-encoded before
    base64, so they are form-decoded (``+`` is a space). authlib's own reading percent-decodes
    only, which lets a client that sends a secret unencoded pass whenever the secret holds no
    ``%``; a relying party tested here must encode."""
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(credentials, validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    raw_id, colon, raw_secret = decoded.partition(":")
    if not colon:
        return None
    client = query_client(unquote_plus(raw_id))
    if client is None or not client.check_client_secret(unquote_plus(raw_secret)):
        return None
    return client


class Provider:
    """The provider's state and authlib's server over it; the app's routes call into this."""

    def __init__(
        self,
        accounts: Iterable[Account],
        clients: Iterable[SsoClient],
        clock: Clock = time.monotonic,
    ) -> None:
        self.accounts = {a.id: a for a in accounts}
        self.clients = {c.client_id: c for c in clients}
        self.clock = clock
        self.keys = KeyRing()
        self.switches = Switches()
        self.store = Store()
        self.server = _Server(self)
        self.server.register_token_generator(
            "default",
            BearerTokenGenerator(
                access_token_generator=lambda *_, **__: secrets.token_urlsafe(32),
                expires_generator=lambda *_, **__: TOKEN_LIFETIME_SECONDS,
            ),
        )
        self.server.register_grant(_CodeGrant, [_S256Challenge(required=True), _OpenIDCode(self)])
        self.server.register_client_auth_method(
            "client_secret_basic", authenticate_client_secret_basic
        )
        self.resources = ResourceProtector()
        self.resources.register_token_validator(_TokenValidator(self.store))

    def reset(self) -> None:
        self.store.clear()
        self.keys.reset()
        self.switches = Switches()
