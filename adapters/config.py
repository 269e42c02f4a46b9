"""What every national system's adapter is configured with: its address and its call policy.

``SystemConfig`` holds the knobs every national system has, with one validator; each adapter's
config subclasses it with its own fields (credentials, paths) and names its own problems in
``own_problems``. The gateway fills one from ``LIENTHONG_<SYSTEM>_<FIELD>`` variables (one
settings section per system); tests build them directly.

- ``url`` is the system's address (for SOAP systems, the endpoint itself).
- ``enabled``: whether the gateway uses the system at all.
- ``timeout`` bounds each phase of an exchange in seconds (connect, each read and write, waiting
  for a pooled connection); ``deadline`` bounds one attempt as a whole, which per-phase time-outs
  cannot do against a peer that sends a byte at a time.
- ``max_connections`` is the size of the connection pool towards the system.
- ``retries`` counts attempts of one call (1 means no retry); waits between them grow
  exponentially from ``retry_initial_wait`` with jitter, up to ``retry_max_wait``, or follow the
  system's ``Retry-After`` when it is no longer than ``retry_max_wait`` (``adapters.retry``).
- ``rate_limit`` requests a second (0: none) with bursts of ``rate_burst``
  (``adapters.rate_limit``); ``breaker_failures`` consecutive failed calls open the circuit for
  ``breaker_cool_down`` seconds (``adapters.breaker``).

A configuration that cannot work raises ``ValueError`` (pydantic's ``ValidationError``) naming
every problem at once. Secrets are declared with ``secret()``: left out of ``repr`` and marked so
that documentation shows no value.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from adapters.guard import SystemGuard

SECRET_MARK = "lienthong_secret"  # noqa: S105 - a marker, not a password
"""The ``json_schema_extra`` key that marks a field as a secret."""


def secret_field(default: str = "", description: str = "") -> Any:
    """A field holding a secret: out of ``repr``, marked for documentation."""
    return Field(
        default=default, repr=False, description=description, json_schema_extra={SECRET_MARK: True}
    )


def is_secret(config: type[BaseModel], name: str) -> bool:
    extra = config.model_fields[name].json_schema_extra
    return isinstance(extra, dict) and bool(extra.get(SECRET_MARK))


class SystemConfig(BaseModel):
    """The address and call policy of one national system; subclasses add their own fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: ClassVar[str] = "national system"
    """How validation errors name the system, e.g. "national portal"."""

    url: str = Field(description="Address of the system.")
    enabled: bool = Field(default=True, description="Whether the gateway uses this system.")
    timeout: float = Field(default=10.0, description="Seconds for each phase of one exchange.")
    deadline: float = Field(default=30.0, description="Seconds for one attempt as a whole.")
    max_connections: int = Field(default=10, description="Connection pool size.")
    retries: int = Field(
        default=3, description="Attempts of one call on transient failures (1: no retry)."
    )
    retry_initial_wait: float = Field(default=0.5, description="First wait between attempts.")
    retry_max_wait: float = Field(default=10.0, description="Longest wait between attempts.")
    rate_limit: float = Field(
        default=0.0, description="Requests a second, all calls together; 0 is no limit."
    )
    rate_burst: int = Field(
        default=10, description="Requests sent at once before the rate limit paces them."
    )
    breaker_failures: int = Field(
        default=5, description="Consecutive failed calls that open the circuit breaker."
    )
    breaker_cool_down: float = Field(
        default=30.0, description="Seconds an open circuit waits before one trial call."
    )

    @model_validator(mode="after")
    def _refuse_what_cannot_work(self) -> SystemConfig:
        problems = self._policy_problems() + self.own_problems()
        if problems:
            raise ValueError(f"invalid {self.title} configuration: " + "; ".join(problems))
        return self

    def own_problems(self) -> list[str]:
        """What a subclass finds wrong with its own fields, one phrase each."""
        return []

    def _policy_problems(self) -> list[str]:
        found: list[str] = []
        if not self.url.startswith(("http://", "https://")):
            found.append(f"url must be an http(s) URL, not {self.url!r}")
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
        if self.rate_limit < 0:
            found.append(f"rate_limit must not be negative, not {self.rate_limit}")
        if self.rate_burst < 1:
            found.append(f"rate_burst must be at least 1, not {self.rate_burst}")
        if self.breaker_failures < 1:
            found.append(f"breaker_failures must be at least 1, not {self.breaker_failures}")
        if self.breaker_cool_down <= 0:
            found.append(f"breaker_cool_down must be positive, not {self.breaker_cool_down}")
        return found

    def guard(self, system: str) -> SystemGuard:
        """A guard for ``system`` with this configuration's breaker and rate limit."""
        return SystemGuard.for_system(
            system,
            failure_threshold=self.breaker_failures,
            cool_down=self.breaker_cool_down,
            rate=self.rate_limit,
            burst=self.rate_burst,
        )
