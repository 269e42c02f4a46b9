"""Standard Webhooks signatures, as the gateway's own webhooks carry them.

A signed message has three headers (https://www.standardwebhooks.com/):

- ``webhook-id``: the message's id, the same on every retry of it;
- ``webhook-timestamp``: seconds since the epoch when it was (re)sent;
- ``webhook-signature``: ``v1,`` and the base64 HMAC-SHA256 of ``{id}.{timestamp}.{body}``,
  keyed by the secret; several signatures may stand space-separated during a key rotation.

A secret is written ``whsec_`` and the base64 of its key bytes. The mocks sign with this module
alone (no third-party code), so a receiver checked with another implementation, such as the
``standardwebhooks`` package, proves the two agree.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import time
from collections.abc import Mapping

SECRET_PREFIX = "whsec_"  # noqa: S105 (the scheme's prefix, not a secret)
TOLERANCE_SECONDS = 300


class WebhookSecretError(ValueError):
    """A secret that is not ``whsec_`` and base64."""


class SignatureMismatch(ValueError):
    """A message whose headers do not prove it came from the holder of the secret."""


def new_secret() -> str:
    """A fresh ``whsec_`` secret of 32 random bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode("ascii")


def secret_key(secret: str) -> bytes:
    """The key bytes of a ``whsec_`` secret (the prefix may be left out)."""
    encoded = secret.removeprefix(SECRET_PREFIX)
    try:
        key = base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)
    except (binascii.Error, ValueError):
        raise WebhookSecretError("secret: must be whsec_ followed by base64") from None
    if not key:
        raise WebhookSecretError("secret: may not be empty")
    return key


def signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """``v1,<base64 HMAC-SHA256 of {id}.{timestamp}.{body}>``."""
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def signed_headers(
    secret: str, message_id: str, body: bytes, *, timestamp: int | None = None
) -> dict[str, str]:
    """The three headers of a message ``body`` sent now (or at ``timestamp``)."""
    sent = int(time.time()) if timestamp is None else timestamp
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(sent),
        "webhook-signature": signature(secret, message_id, sent, body),
    }


def verify(
    secret: str,
    headers: Mapping[str, str],
    body: bytes,
    *,
    now: float | None = None,
    tolerance: int = TOLERANCE_SECONDS,
) -> None:
    """Raise ``SignatureMismatch`` unless ``headers`` sign ``body`` with ``secret``, recently."""
    lowered = {k.lower(): v for k, v in headers.items()}
    message_id = lowered.get("webhook-id")
    stamp = lowered.get("webhook-timestamp")
    given = lowered.get("webhook-signature")
    if not (message_id and stamp and given):
        raise SignatureMismatch("webhook-id, webhook-timestamp and webhook-signature are required")
    try:
        timestamp = int(stamp)
    except ValueError:
        raise SignatureMismatch(f"webhook-timestamp: {stamp!r} is not whole seconds") from None
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance:
        raise SignatureMismatch(f"webhook-timestamp: more than {tolerance} s from now")
    expected = signature(secret, message_id, timestamp, body)
    if not any(hmac.compare_digest(expected, s) for s in given.split()):
        raise SignatureMismatch("webhook-signature: no signature matches the secret")
