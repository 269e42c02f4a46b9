"""A bearer token is verified once and what it said is kept until it expires, not after."""

from __future__ import annotations

import pytest

from gateway.auth import tokens
from gateway.auth.tokens import InvalidToken, TokenIssuer


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def _issuer(clock: Clock) -> TokenIssuer:
    return TokenIssuer(
        "s" * 32, issuer="lienthong", audience="lienthong-api", lifetime=900, clock=clock
    )


def test_a_token_verified_once_is_not_verified_again_until_it_expires(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = Clock()
    issuer = _issuer(clock)
    token = issuer.issue("demo", ["dossiers:write"])
    checks: list[str] = []
    verify = issuer._verify

    def counted(token: str, now: float) -> tuple[tokens.Claims, float]:
        checks.append(token)
        return verify(token, now)

    monkeypatch.setattr(issuer, "_verify", counted)
    for _ in range(3):
        assert issuer.verify(token).scopes == {"dossiers:write"}
    assert len(checks) == 1
    clock.now += 900 + tokens.LEEWAY
    assert issuer.verify(token).subject == "demo"
    clock.now += 1
    with pytest.raises(InvalidToken, match="expired"):
        issuer.verify(token)
    assert len(checks) == 2


def test_a_forged_token_is_refused_every_time_and_never_kept() -> None:
    issuer = _issuer(Clock())
    token = issuer.issue("demo", ["dossiers:write"])
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for _ in range(2):
        with pytest.raises(InvalidToken):
            issuer.verify(forged)
    assert forged not in issuer._verified


def test_the_kept_tokens_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tokens, "VERIFIED_MAX", 3)
    clock = Clock()
    issuer = _issuer(clock)
    for client in range(5):
        issuer.verify(issuer.issue(f"client-{client}", []))
        clock.now += 1
    assert 1 <= len(issuer._verified) <= 3
