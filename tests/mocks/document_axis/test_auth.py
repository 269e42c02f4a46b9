"""WS-Security UsernameToken: who the caller is, and refusals when it cannot prove it."""

from __future__ import annotations

import httpx
import pytest

from mocks.document_axis import create_app
from tests.mocks.document_axis.samples import (
    NGHE_AN,
    THANH_HOA,
    Caller,
    admin,
    document,
    envelope,
    fault,
)
from tests.mocks.samples import client_of

FAILED_AUTHENTICATION = (
    "{http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd}"
    "FailedAuthentication"
)


@pytest.mark.parametrize(
    ("username", "password", "digest"),
    [
        (None, "lienthong-dev", False),
        (THANH_HOA, "wrong", False),
        (THANH_HOA, "wrong", True),
        ("000.00.99.H56", "lienthong-dev", False),
    ],
    ids=["no-token", "wrong-password", "wrong-digest", "unknown-user"],
)
async def test_a_call_without_valid_credentials_is_refused_and_changes_nothing(
    http: httpx.AsyncClient, username: str | None, password: str, digest: bool
) -> None:
    body = envelope(
        "SendDocument",
        [("package", document())],
        username=username,
        password=password,
        digest=digest,
    )

    refused = fault(await http.post("/", content=body))

    assert refused.code == FAILED_AUTHENTICATION
    assert refused.reason == "authentication"
    assert (await admin(http, "state"))["documents"] == 0


async def test_a_password_digest_is_accepted(http: httpx.AsyncClient, nghe_an: Caller) -> None:
    body = envelope("SendDocument", [("package", document())], digest=True)

    response = await http.post("/", content=body)

    assert response.status_code == 200, response.text
    assert len(await nghe_an.pending()) == 1


async def test_accounts_and_their_password_are_configurable() -> None:
    app = create_app(accounts={NGHE_AN: "another-secret"})
    async with client_of(app, "http://axis.test") as http:
        allowed = Caller(http, NGHE_AN, password="another-secret")
        default = Caller(http, THANH_HOA)

        assert await allowed.pending() == []
        assert (await default.refused("GetPendingDocumentIds")).reason == "authentication"


def test_an_account_must_be_an_organisation_of_the_directory() -> None:
    with pytest.raises(ValueError, match=r"000\.00\.99\.H56"):
        create_app(accounts={"000.00.99.H56": "x"})
