"""What the document axis adapter needs to know, independent of where the gateway keeps settings.

The gateway's composition root builds an ``AxisConfig`` from its ``LIENTHONG_DOCUMENT_AXIS_*``
settings; tests build one directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True, kw_only=True)
class AxisConfig:
    """Address, account and call policy for one organisation's connection to the axis.

    - ``base_url`` is the SOAP endpoint itself; the WSDL's ``soap:address`` is a placeholder
      and never used.
    - ``username`` and ``password`` are the organisation's system account on the axis, sent in
      every call as a WS-Security UsernameToken with the password in clear text
      (PasswordText), so ``base_url`` must be HTTPS outside a test bench. The password is left
      out of ``repr``.
    - ``timeout`` bounds each phase of an exchange in seconds (connect, each read and write,
      waiting for a pooled connection); ``deadline`` bounds one attempt as a whole, which
      per-phase time-outs cannot do against a peer that sends a byte at a time.
    - ``retries`` counts attempts of one call (1 means no retry); waits between them grow
      exponentially from ``retry_initial_wait`` with jitter, up to ``retry_max_wait``, or follow
      the axis's ``Retry-After`` when it is no longer than ``retry_max_wait``.
    - ``xml_huge_tree`` lifts lxml's limits on text size and depth when reading replies:
      packages travel inline as base64, and lxml refuses a text node over 10 MB (about a
      7.5 MB package) without it. DTDs, entities and external references stay forbidden either
      way.
    """

    base_url: str
    username: str
    password: str = field(repr=False)
    timeout: float = 30.0
    deadline: float = 120.0
    max_connections: int = 10
    retries: int = 3
    retry_initial_wait: float = 0.5
    retry_max_wait: float = 10.0
    xml_huge_tree: bool = True

    def __post_init__(self) -> None:
        problems = self._problems()
        if problems:
            raise ValueError("invalid document axis configuration: " + "; ".join(problems))

    def _problems(self) -> list[str]:
        found: list[str] = []
        if not self.base_url.startswith(("http://", "https://")):
            found.append(f"base_url must be an http(s) URL, not {self.base_url!r}")
        if not (self.username and self.password):
            found.append("username and password of the organisation's axis account are needed")
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
        return found
