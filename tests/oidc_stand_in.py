"""A small, scriptable OpenID Connect provider in process, for the national SSO adapter's and the
gateway's tests: it signs its own ID tokens, so each rule a relying party holds can be broken on
purpose (nonce, audience, expiry, algorithm, key id, userinfo subject, RFC 9207 ``iss``).

Its issuer is ``ISSUER``; hand ``app()`` to ``httpx.ASGITransport``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

ISSUER = "http://127.0.0.1:8700/sso"
CLIENT_ID = "lienthong"
CITIZEN: dict[str, Any] = {
    "sub": "acc-0001",
    "TechID": "acc-0001",
    "LoaiTaiKhoan": "1",
    "SoDinhDanh": "068090000123",
    "HoVaTen": "Nguyễn Thị Lan",
    "NgayThangNamSinh": "19900215",
    "GioiTinh": "2",
    "acr": "LoA2",
}
KEY = RSAKey.generate_key(2048, parameters={"kid": "k1"})
"""One key for every stand-in: making an RSA key is slow."""


def _b64(value: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()


@dataclass
class StandInProvider:
    """What the stand-in does wrong on purpose, and what it was asked.

    ``key`` signs; ``published`` are the keys its JWKS holds (``key`` alone when empty). The ID
    token carries ``id_token_claims`` over the usual ones; userinfo answers ``userinfo`` (the
    citizen by default). ``iss_supported`` advertises RFC 9207, ``send_iss`` sends ``iss`` in
    the authorization response (``iss`` when set, else the issuer). ``down`` answers 503 to
    discovery.
    """

    key: RSAKey = field(default_factory=lambda: KEY)
    published: list[RSAKey] = field(default_factory=list)
    nonce: str | None = None
    audience: str | None = None
    expires_in: int = 300
    alg: str = "RS256"
    kid: str | None = None
    omit_kid: bool = False
    id_token_claims: dict[str, Any] = field(default_factory=lambda: {"acr": "LoA2"})
    userinfo: dict[str, Any] = field(default_factory=lambda: dict(CITIZEN))
    iss_supported: bool = False
    send_iss: bool = False
    iss: str | None = None
    down: bool = False
    authorize_params: dict[str, str] = field(default_factory=dict)
    token_requests: list[httpx.Headers] = field(default_factory=list)
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    jwks_reads: int = 0

    def id_token(self, nonce: str) -> str:
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "sub": CITIZEN["sub"],
            "aud": self.audience or CLIENT_ID,
            "iat": now,
            "exp": now + self.expires_in,
            "nonce": self.nonce or nonce,
            **self.id_token_claims,
        }
        if self.alg == "none":
            return f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}."
        header = {"alg": "RS256"} if self.omit_kid else {"alg": "RS256", "kid": self.kid or "k1"}
        return jwt.encode(header, claims, self.key, algorithms=["RS256"])

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.get("/sso/.well-known/openid-configuration", response_model=None)
        async def discovery() -> dict[str, Any] | JSONResponse:
            if self.down:
                return JSONResponse({"error": "down for maintenance"}, 503)
            return {
                "issuer": ISSUER,
                "authorization_endpoint": f"{ISSUER}/oauth2/authorize",
                "token_endpoint": f"{ISSUER}/oauth2/token",
                "userinfo_endpoint": f"{ISSUER}/oauth2/userinfo",
                "jwks_uri": f"{ISSUER}/jwks",
                "end_session_endpoint": f"{ISSUER}/oauth2/logout",
                "id_token_signing_alg_values_supported": ["RS256"],
                "authorization_response_iss_parameter_supported": self.iss_supported,
            }

        @app.get("/sso/jwks")
        async def jwks() -> dict[str, Any]:
            self.jwks_reads += 1
            return KeySet(self.published or [self.key]).as_dict(private=False)

        @app.get("/sso/oauth2/authorize")
        async def authorize(request: Request) -> RedirectResponse:
            params = dict(request.query_params)
            self.authorize_params = params
            code = secrets.token_urlsafe(16)
            self.codes[code] = params
            back = {"code": code, "state": params["state"]}
            if self.send_iss:
                back["iss"] = self.iss or ISSUER
            target = httpx.URL(params["redirect_uri"]).copy_merge_params(back)
            return RedirectResponse(str(target), status_code=302)

        @app.post("/sso/oauth2/token")
        async def token(request: Request) -> JSONResponse:
            self.token_requests.append(request.headers)
            form = dict(parse_qsl((await request.body()).decode()))
            code, code_verifier = form["code"], form["code_verifier"]
            assert form["grant_type"] == "authorization_code"
            asked = self.codes.pop(code, None)
            challenge = (
                base64.urlsafe_b64encode(hashlib.sha256(code_verifier.encode()).digest())
                .rstrip(b"=")
                .decode()
            )
            if asked is None or asked["code_challenge"] != challenge:
                return JSONResponse({"error": "invalid_grant"}, 400)
            return JSONResponse(
                {
                    "access_token": "at-" + code,
                    "token_type": "Bearer",
                    "expires_in": 300,
                    "id_token": self.id_token(asked["nonce"]),
                }
            )

        @app.get("/sso/oauth2/userinfo")
        async def userinfo(request: Request) -> dict[str, Any]:
            assert request.headers["authorization"].startswith("Bearer at-")
            return self.userinfo

        return app

    def transport(self) -> httpx.ASGITransport:
        return httpx.ASGITransport(app=self.app())

    async def authorize(self, url: str) -> httpx.URL:
        """The callback URL the provider sends the browser back to, for an authorization URL."""
        async with httpx.AsyncClient(transport=self.transport()) as browser:
            authorized = await browser.get(url)
        assert authorized.status_code == 302, authorized.text
        return httpx.URL(authorized.headers["location"])
