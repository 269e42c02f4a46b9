"""authlib's httpx integration, imported once here without its deprecation warning.

authlib 1.9 warns on import that its httpx integration should move to httpx2 (httpx's
continuation). lienthong stays on httpx because respx and zeep, which the adapters and their
tests depend on, do not support httpx2 yet; authlib's fallback to httpx is complete and tested
here. Exactly that one warning is silenced, at the one place the integration is imported: every
other warning, authlib's included, still shows. Move to httpx2 when respx and zeep do.
"""

from __future__ import annotations

import warnings

with warnings.catch_warnings():
    warnings.filterwarnings(
        "ignore", message="The httpx module is deprecated; please use httpx2 instead."
    )
    from authlib.integrations.httpx_client import AsyncOAuth2Client

__all__ = ["AsyncOAuth2Client"]
