"""The provider's RS256 signing keys: the newest signs, every key stays published in the JWKS."""

from __future__ import annotations

from typing import Any

from joserfc.jwk import KeySet, RSAKey

KEY_SIZE = 2048


class KeyRing:
    """Signing keys in the order they were made; ``rotate`` adds one and signs with it.

    Old keys stay in ``jwks()`` so tokens signed before a rotation still verify.
    """

    def __init__(self) -> None:
        self._keys: list[RSAKey] = []
        self.rotate()

    def rotate(self) -> RSAKey:
        kid = f"sso-{len(self._keys) + 1}"
        key = RSAKey.generate_key(
            KEY_SIZE, parameters={"kid": kid, "use": "sig", "alg": "RS256"}, private=True
        )
        self._keys.append(key)
        return key

    def reset(self) -> None:
        """Back to the first key only."""
        del self._keys[1:]

    @property
    def current(self) -> RSAKey:
        return self._keys[-1]

    @property
    def kids(self) -> list[str]:
        return [str(k.kid) for k in self._keys]

    def key_set(self) -> KeySet:
        return KeySet(list(self._keys))

    def jwks(self) -> dict[str, Any]:
        """The public keys, as ``GET /jwks`` publishes them."""
        return {"keys": [k.as_dict(private=False) for k in self._keys]}
