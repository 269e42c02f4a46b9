"""Standard Webhooks signatures (https://www.standardwebhooks.com/), as the gateway signs them.

A message carries three headers:

- ``webhook-id``: the message's id, the same on every attempt to deliver it;
- ``webhook-timestamp``: seconds since the epoch when this attempt was sent;
- ``webhook-signature``: ``v1,`` and the base64 HMAC-SHA256 of ``{id}.{timestamp}.{body}``,
  keyed by the secret's bytes.

A secret is written ``whsec_`` followed by the base64 of its key bytes (24 to 64 of them, as the
scheme advises). The HMAC is the standard library's: signing is these few lines, and receivers
check it with any implementation of the scheme.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import time

SECRET_PREFIX = "whsec_"  # noqa: S105 - the scheme's prefix, not a secret
MIN_KEY_BYTES = 24
MAX_KEY_BYTES = 64


class WebhookSecretError(ValueError):
    """A secret that is not ``whsec_`` and the base64 of 24 to 64 bytes."""


def new_secret() -> str:
    """A fresh ``whsec_`` secret of 32 random bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode("ascii")


def secret_key(secret: str) -> bytes:
    """The key bytes of a ``whsec_`` secret; ``WebhookSecretError`` says what is wrong."""
    if not secret.startswith(SECRET_PREFIX):
        raise WebhookSecretError("a webhook secret starts with whsec_ (then base64)")
    encoded = secret.removeprefix(SECRET_PREFIX)
    try:
        key = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise WebhookSecretError("a webhook secret is whsec_ followed by base64") from None
    if not MIN_KEY_BYTES <= len(key) <= MAX_KEY_BYTES:
        raise WebhookSecretError(
            f"a webhook secret holds {MIN_KEY_BYTES} to {MAX_KEY_BYTES} bytes, not {len(key)}"
        )
    return key


def signature(key: bytes, message_id: str, timestamp: int, body: bytes) -> str:
    """``v1,<base64 HMAC-SHA256 of {id}.{timestamp}.{body}>``."""
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def signed_headers(
    key: bytes, message_id: str, body: bytes, *, timestamp: int | None = None
) -> dict[str, str]:
    """The three headers of ``body`` sent now (or at ``timestamp``)."""
    sent = int(time.time()) if timestamp is None else timestamp
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(sent),
        "webhook-signature": signature(key, message_id, sent, body),
    }
