"""What the business registry adapter needs to know, independent of where settings live.

The gateway's composition root builds a ``BusinessRegistryConfig`` from its
``LIENTHONG_BUSINESS_REGISTRY_*`` settings; tests build one directly. Paths are relative to
``base_url`` and configurable because platform proxies publish the registry under their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True, kw_only=True)
class BusinessRegistryConfig:
    """Address, OAuth2 client and call policy for the business registry.

    - ``client_id`` and ``client_secret`` are the platform's OAuth2 client (client credentials
      grant at ``token_path``); the secret is left out of ``repr``. A token is replaced
      ``token_leeway`` seconds before it expires.
    - ``timeout`` bounds each phase of an exchange in seconds; ``deadline`` one attempt whole.
    - ``retries`` counts attempts of one call (1 means no retry); waits grow exponentially from
      ``retry_initial_wait`` with jitter, up to ``retry_max_wait``, or follow ``Retry-After``.
    - ``breaker_failures`` consecutive failed calls open the circuit for ``breaker_cool_down``
      seconds (see ``adapters.breaker``).
    """

    base_url: str
    client_id: str
    client_secret: str = field(repr=False)
    token_path: str = "/token"  # noqa: S105
    lookup_path: str = "/TraCuuThongTinDoanhNghiep"
    branches_suffix: str = "/ChiNhanh"
    token_leeway: float = 60.0
    timeout: float = 10.0
    deadline: float = 30.0
    max_connections: int = 10
    retries: int = 3
    retry_initial_wait: float = 0.5
    retry_max_wait: float = 5.0
    breaker_failures: int = 5
    breaker_cool_down: float = 30.0

    def __post_init__(self) -> None:
        problems = self._problems()
        if problems:
            raise ValueError("invalid business registry configuration: " + "; ".join(problems))

    def _problems(self) -> list[str]:
        found: list[str] = []
        if not self.base_url.startswith(("http://", "https://")):
            found.append(f"base_url must be an http(s) URL, not {self.base_url!r}")
        if not (self.client_id and self.client_secret):
            found.append("client_id and client_secret of the platform's OAuth2 client are needed")
        if self.timeout <= 0:
            found.append(f"timeout must be positive, not {self.timeout}")
        if self.deadline < self.timeout:
            found.append(f"deadline ({self.deadline}) must be at least timeout ({self.timeout})")
        if self.max_connections < 1:
            found.append(f"max_connections must be at least 1, not {self.max_connections}")
        if self.retries < 1:
            found.append(f"retries counts attempts and must be at least 1, not {self.retries}")
        if self.retry_initial_wait < 0 or self.retry_max_wait < self.retry_initial_wait:
            found.append("retry waits must satisfy 0 <= retry_initial_wait <= retry_max_wait")
        if self.token_leeway < 0:
            found.append(f"token_leeway must not be negative, not {self.token_leeway}")
        if self.breaker_failures < 1:
            found.append(f"breaker_failures must be at least 1, not {self.breaker_failures}")
        if self.breaker_cool_down <= 0:
            found.append(f"breaker_cool_down must be positive, not {self.breaker_cool_down}")
        return found
