"""The national SSO mock as an ASGI app: an OpenID Connect provider for the code flow, and admin.

Paths (relative to the mount point, ``/sso`` in ``lienthong mocks``; the issuer is that address
as the request reached it, e.g. ``http://127.0.0.1:8700/sso``):

- ``GET /.well-known/openid-configuration`` and ``GET /jwks`` (RS256, every key ever used);
- ``GET /oauth2/authorize``: validates the request (``response_type=code``, registered
  ``redirect_uri``, ``scope=openid``, PKCE S256 required, ``state``, ``nonce``, ``acr_values``)
  and shows a login page listing the seeded accounts; ``login_hint=<account id>`` logs in at once.
  ``POST /oauth2/authorize`` with the same parameters and ``account=<id>`` is the page's button.
  Both redirect to ``redirect_uri`` with ``code``, ``state`` and ``iss`` (RFC 9207, advertised
  as ``authorization_response_iss_parameter_supported``);
- ``POST /oauth2/token``: ``authorization_code`` with ``code_verifier``, client authentication
  ``client_secret_basic`` (the id and secret form-decoded, RFC 6749 §2.3.1) or
  ``client_secret_post``;
- ``GET|POST /oauth2/userinfo`` (Bearer): the national claims of the account, with ``acr``,
  ``loAs`` and ``IAL``;
- ``GET /oauth2/logout``: end session (``id_token_hint``, ``post_logout_redirect_uri``, ``state``);
- ``/__admin/...``: the shared admin API (``mocks.admin``) plus ``POST /__admin/rotate-keys``,
  ``GET|POST /__admin/switches`` (``expired_tokens``, ``wrong_issuer``, ``bad_signature``) and
  ``GET /__admin/accounts``.

Faults and the journal see the services ``discovery``, ``jwks``, ``token`` and ``userinfo``; the
browser-facing ``authorize`` and ``logout`` are journaled but never faulted.
"""

from __future__ import annotations

import html
import json
import time
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl, urlencode

from authlib.oauth2 import OAuth2Error
from joserfc import jwt
from joserfc.errors import JoseError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from mocks.admin import Admin, Reply
from mocks.journal import DEFAULT_CAPACITY, identifying_headers
from mocks.national_sso.accounts import Account, AccountKind, seeded_accounts
from mocks.national_sso.provider import (
    ACR_VALUES,
    DEFAULT_CLIENT,
    Clock,
    Provider,
    SsoClient,
    SsoRequest,
)
from mocks.tokens import bearer_of

DISCOVERY = "discovery"
JWKS = "jwks"
TOKEN = "token"  # noqa: S105 (a service name, not a secret)
USERINFO = "userinfo"
AUTHORIZE = "authorize"
LOGOUT = "logout"

_OAUTH_PARAMS = (
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "nonce",
    "code_challenge",
    "code_challenge_method",
    "acr_values",
    "prompt",
)


class SsoScenario:
    def __init__(self, provider: Provider) -> None:
        self.provider = provider

    def state(self) -> dict[str, Any]:
        store = self.provider.store
        return {
            "accounts": len(self.provider.accounts),
            "pending_codes": len(store.codes),
            "access_tokens": len(store.tokens),
            "logins": store.logins,
            "logouts": store.logouts,
            "kids": self.provider.keys.kids,
            "switches": self.provider.switches.as_json(),
        }

    def reset(self) -> None:
        self.provider.reset()

    def expire(self) -> dict[str, int]:
        """Expire every access token and authorization code now, as if their time had run out.

        ``userinfo`` then refuses the tokens (``invalid_token``), and the token endpoint the
        codes not yet redeemed (``invalid_grant``).
        """
        store = self.provider.store
        now = time.time()
        live = [t for t in store.tokens.values() if not t.is_expired() and not t.revoked]
        for token in live:
            token.expires_at = now
        codes = len(store.codes)
        store.codes.clear()
        return {"tokens": len(live), "codes": codes}


def issuer_of(request: Request) -> str:
    """The mount point's address as the request reached it, e.g. ``http://127.0.0.1:8700/sso``."""
    root: str = request.scope.get("root_path", "")
    return str(request.url.replace(path=root, query="", fragment="")).rstrip("/")


async def _sso_request(request: Request) -> SsoRequest:
    form: Iterable[tuple[str, str]] = ()
    if request.method == "POST":
        form = parse_qsl((await request.body()).decode("utf-8", "replace"), keep_blank_values=True)
    return SsoRequest(
        method=request.method,
        uri=str(request.url),
        headers=request.headers,
        query=request.query_params.multi_items(),
        form=form,
        issuer=issuer_of(request),
    )


def _browser_response(reply: Reply, issuer: str) -> Response:
    """The authorization response for the browser: a redirect back to the client carries the
    issuer as ``iss`` (RFC 9207), so the client can tell which provider answered."""
    location = reply.headers.get("Location")
    if reply.status == 302 and location:
        separator = "&" if "?" in location else "?"
        location = f"{location}{separator}{urlencode({'iss': issuer})}"
        return RedirectResponse(location, status_code=302)
    return reply.response()


def _claims(account: Account, acr: str) -> dict[str, Any]:
    levels = list(ACR_VALUES[: ACR_VALUES.index(acr) + 1])
    return {
        "sub": account.tech_id,
        **account.claims,
        "acr": acr,
        "loAs": levels,
        "IAL": "2" if account.kind is AccountKind.CITIZEN else "1",
    }


_PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Đăng nhập - Hệ thống định danh và xác thực
</title></head><body>
<h1>Đăng nhập (mock)</h1>
<p>Chọn tài khoản đăng nhập cho ứng dụng <code>{client}</code>.</p>
<form method="post" action="{action}">
{hidden}
<h2>Công dân</h2>
<ul>{citizens}</ul>
<h2>Doanh nghiệp</h2>
<ul>{businesses}</ul>
</form></body></html>
"""


def _login_page(request: Request, sso: SsoRequest, accounts: Iterable[Account]) -> HTMLResponse:
    data = sso.payload.data
    hidden = "\n".join(
        f'<input type="hidden" name="{p}" value="{html.escape(data[p])}">'
        for p in _OAUTH_PARAMS
        if p in data
    )

    def item(a: Account) -> str:
        label = html.escape(f"{a.display_name} ({a.id})")
        return f'<li><button name="account" value="{html.escape(a.id)}">{label}</button></li>'

    accounts = list(accounts)
    page = _PAGE.format(
        client=html.escape(data.get("client_id", "")),
        action=html.escape(str(request.url.replace(query=""))),
        hidden=hidden,
        citizens="".join(item(a) for a in accounts if a.kind is AccountKind.CITIZEN),
        businesses="".join(item(a) for a in accounts if a.kind is AccountKind.BUSINESS),
    )
    return HTMLResponse(page)


class _Endpoints:
    def __init__(self, provider: Provider, admin: Admin) -> None:
        self.provider = provider
        self.admin = admin

    def _journal(self, request: Request, service: str, body: Any, status: int, reply: Any) -> None:
        self.admin.journal.record(
            method=request.method,
            path=request.url.path,
            service=service,
            request=body,
            status=status,
            reply=reply,
            fault=None,
            headers=identifying_headers(request.scope["headers"]),
        )

    async def discovery(self, request: Request) -> Response:
        issuer = issuer_of(request)

        async def handle() -> Reply:
            return Reply(
                {
                    "issuer": issuer,
                    "authorization_endpoint": f"{issuer}/oauth2/authorize",
                    "token_endpoint": f"{issuer}/oauth2/token",
                    "userinfo_endpoint": f"{issuer}/oauth2/userinfo",
                    "end_session_endpoint": f"{issuer}/oauth2/logout",
                    "jwks_uri": f"{issuer}/jwks",
                    "response_types_supported": ["code"],
                    "grant_types_supported": ["authorization_code"],
                    "subject_types_supported": ["public"],
                    "id_token_signing_alg_values_supported": ["RS256"],
                    "scopes_supported": ["openid", "profile"],
                    "token_endpoint_auth_methods_supported": [
                        "client_secret_basic",
                        "client_secret_post",
                    ],
                    "code_challenge_methods_supported": ["S256"],
                    "authorization_response_iss_parameter_supported": True,
                    "acr_values_supported": list(ACR_VALUES),
                    "claims_supported": [
                        "sub",
                        "iss",
                        "aud",
                        "acr",
                        *next(iter(self.provider.accounts.values())).claims,
                        "loAs",
                        "IAL",
                    ],
                }
            )

        return await self.admin.serve(request, DISCOVERY, None, handle)

    async def jwks(self, request: Request) -> Response:
        async def handle() -> Reply:
            return Reply(self.provider.keys.jwks())

        return await self.admin.serve(request, JWKS, None, handle)

    async def authorize(self, request: Request) -> Response:
        sso = await _sso_request(request)
        data = sso.payload.data
        server = self.provider.server
        try:
            grant = server.get_consent_grant(sso)
        except OAuth2Error as error:
            reply: Reply = server.handle_error_response(sso, error)
            self._journal(request, AUTHORIZE, data, reply.status, reply.body)
            return _browser_response(reply, sso.issuer)
        chosen = data.get("account") if request.method == "POST" else data.get("login_hint")
        if not chosen:
            self._journal(request, AUTHORIZE, data, 200, "login page")
            return _login_page(request, sso, self.provider.accounts.values())
        account = self.provider.accounts.get(chosen)
        if account is None:
            body = {"error": "invalid_request", "error_description": f"account {chosen}: unknown"}
            self._journal(request, AUTHORIZE, data, 400, body)
            return JSONResponse(body, status_code=400)
        reply = server.create_authorization_response(sso, grant_user=account, grant=grant)
        response = _browser_response(reply, sso.issuer)
        self._journal(request, AUTHORIZE, data, reply.status, response.headers.get("Location"))
        return response

    async def token(self, request: Request) -> Response:
        sso = await _sso_request(request)

        async def handle() -> Reply:
            reply: Reply = self.provider.server.create_token_response(sso)
            return reply

        return await self.admin.serve(request, TOKEN, dict(sso.form), handle)

    async def userinfo(self, request: Request) -> Response:
        sso = await _sso_request(request)

        async def handle() -> Reply:
            try:
                token = self.provider.resources.validate_request(["openid"], sso)
            except OAuth2Error as error:
                status, body, headers = error()
                return Reply(body, status=status, headers=dict(headers))
            account = self.provider.accounts[token.account_id]
            return Reply(_claims(account, token.acr))

        return await self.admin.serve(request, USERINFO, None, handle)

    async def logout(self, request: Request) -> Response:
        params = request.query_params
        body = dict(params)
        target = params.get("post_logout_redirect_uri")
        hint = params.get("id_token_hint")

        def refuse(description: str) -> Response:
            reply = {"error": "invalid_request", "error_description": description}
            self._journal(request, LOGOUT, body, 400, reply)
            return JSONResponse(reply, status_code=400)

        client: SsoClient | None = None
        sub: str | None = None
        if hint:
            try:
                token = jwt.decode(hint, self.provider.keys.key_set(), algorithms=["RS256"])
            except (JoseError, ValueError):
                return refuse("id_token_hint: not an id token this provider signed")
            aud = token.claims.get("aud")
            audience = aud[0] if isinstance(aud, list) and aud else aud
            client = self.provider.clients.get(str(audience))
            sub = token.claims.get("sub")
        client_id = params.get("client_id")
        if client_id is not None:
            if client is not None and client.client_id != client_id:
                return refuse("client_id: does not match the id_token_hint's audience")
            client = self.provider.clients.get(client_id)
        if target is not None:
            if client is None:
                return refuse("post_logout_redirect_uri needs id_token_hint or client_id")
            if not client.check_post_logout_redirect_uri(target):
                return refuse(f"post_logout_redirect_uri {target}: not registered for the client")
        if client is not None and sub is not None:
            for access in self.provider.store.tokens.values():
                account = self.provider.accounts.get(access.account_id)
                if access.client_id == client.client_id and account and account.tech_id == sub:
                    access.revoked = True
        self.provider.store.logouts += 1
        if target is None:
            self._journal(request, LOGOUT, body, 200, "logged out")
            return HTMLResponse("<!doctype html><p>Đã đăng xuất.</p>")
        state = params.get("state")
        location = target if state is None else f"{target}?{urlencode({'state': state})}"
        self._journal(request, LOGOUT, body, 302, location)
        return RedirectResponse(location, status_code=302)

    async def rotate_keys(self, request: Request) -> Response:
        key = self.provider.keys.rotate()
        return JSONResponse({"kid": key.kid, "kids": self.provider.keys.kids})

    async def get_switches(self, request: Request) -> Response:
        return JSONResponse(self.provider.switches.as_json())

    async def set_switches(self, request: Request) -> Response:
        try:
            spec = json.loads(await request.body())
        except (json.JSONDecodeError, UnicodeDecodeError):
            return JSONResponse({"error": "body: not valid JSON"}, status_code=400)
        if not isinstance(spec, dict):
            return JSONResponse({"error": "body: must be a JSON object"}, status_code=400)
        switches = self.provider.switches
        known = switches.as_json()
        for name, value in spec.items():
            if name not in known:
                return JSONResponse(
                    {"error": f"{name}: unknown switch; known: {', '.join(known)}"}, 400
                )
            if not isinstance(value, bool):
                return JSONResponse({"error": f"{name}: must be true or false"}, 400)
        for name, value in spec.items():
            setattr(switches, name, value)
        return JSONResponse(switches.as_json())

    async def accounts(self, request: Request) -> Response:
        return JSONResponse({"accounts": [a.as_json() for a in self.provider.accounts.values()]})


def create_app(
    *,
    seed: int = 0,
    clients: Iterable[SsoClient] = (DEFAULT_CLIENT,),
    journal_capacity: int = DEFAULT_CAPACITY,
    clock: Clock = time.monotonic,
) -> Starlette:
    """A fresh SSO mock with its own keys, codes, tokens, journal and faults.

    ``seed`` chooses the accounts (``mocks.national_sso.accounts``) and seeds the fault dice;
    ``clients`` are the registered relying parties (``lienthong`` / ``lienthong-dev`` by
    default, redirecting to ``http://127.0.0.1:*/sso/callback`` or ``localhost``); ``clock`` is
    the monotonic clock authorization codes expire on.
    """
    provider = Provider(seeded_accounts(seed), clients, clock)
    admin = Admin(
        SsoScenario(provider),
        seed=seed,
        journal_capacity=journal_capacity,
        services=(DISCOVERY, JWKS, TOKEN, USERINFO, AUTHORIZE, LOGOUT),
        entities={"token": bearer_of},
    )
    endpoints = _Endpoints(provider, admin)
    routes = [
        Route("/.well-known/openid-configuration", endpoints.discovery, methods=["GET"]),
        Route("/jwks", endpoints.jwks, methods=["GET"]),
        Route("/oauth2/authorize", endpoints.authorize, methods=["GET", "POST"]),
        Route("/oauth2/token", endpoints.token, methods=["POST"]),
        Route("/oauth2/userinfo", endpoints.userinfo, methods=["GET", "POST"]),
        Route("/oauth2/logout", endpoints.logout, methods=["GET"]),
        *admin.routes(
            [
                Route("/__admin/rotate-keys", endpoints.rotate_keys, methods=["POST"]),
                Route("/__admin/switches", endpoints.get_switches, methods=["GET"]),
                Route("/__admin/switches", endpoints.set_switches, methods=["POST"]),
                Route("/__admin/accounts", endpoints.accounts, methods=["GET"]),
            ]
        ),
    ]
    app = Starlette(routes=routes)
    app.state.admin = admin
    return app
