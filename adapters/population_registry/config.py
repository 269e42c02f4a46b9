"""What the population registry adapter needs to know, independent of where settings live.

The gateway's composition root builds a ``PopulationRegistryConfig`` from its
``LIENTHONG_POPULATION_REGISTRY_*`` settings; tests build one directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True, kw_only=True)
class PopulationRegistryConfig:
    """Address, platform account and call policy for the population registry.

    - ``base_url`` is the SOAP endpoint itself, exactly as the platform knows it: it is part of
      every request's signature, so scheme, host, port and path must be the ones the platform
      sees. The WSDL's ``soap:address`` is a placeholder and never used.
    - ``user``, ``secret``, ``api_key`` and ``x_road_client`` are the platform account and the
      calling system's X-Road identifier, sent as the signed headers of the contract; the
      secret and the API key are left out of ``repr``. ``integration_code`` is ``MaTichHop``.
    - ``timeout`` bounds each phase of an exchange in seconds; ``deadline`` one attempt whole.
    - ``retries`` counts attempts of one call (1 means no retry); waits grow exponentially from
      ``retry_initial_wait`` with jitter, up to ``retry_max_wait``, or follow ``Retry-After``.
    - ``breaker_failures`` consecutive failed calls open the circuit for ``breaker_cool_down``
      seconds (see ``adapters.breaker``).
    """

    base_url: str
    user: str
    secret: str = field(repr=False)
    api_key: str = field(repr=False)
    x_road_client: str
    integration_code: str = "LIENTHONG"
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
            raise ValueError("invalid population registry configuration: " + "; ".join(problems))

    def _problems(self) -> list[str]:
        found: list[str] = []
        if not self.base_url.startswith(("http://", "https://")):
            found.append(f"base_url must be an http(s) URL, not {self.base_url!r}")
        if not (self.user and self.secret and self.api_key):
            found.append("user, secret and api_key of the platform account are needed")
        if not self.x_road_client:
            found.append("x_road_client (the calling system's X-Road identifier) is needed")
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
        if self.breaker_failures < 1:
            found.append(f"breaker_failures must be at least 1, not {self.breaker_failures}")
        if self.breaker_cool_down <= 0:
            found.append(f"breaker_cool_down must be positive, not {self.breaker_cool_down}")
        return found
