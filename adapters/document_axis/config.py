"""What the document axis adapter needs to know, independent of where the gateway keeps settings.

The gateway fills an ``AxisConfig`` from its ``LIENTHONG_DOCUMENT_AXIS_*`` settings; tests build
one directly.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from adapters.config import SystemConfig, secret_field


class AxisConfig(SystemConfig):
    """Address, account and call policy for one organisation's connection to the axis.

    - ``url`` is the SOAP endpoint itself; the WSDL's ``soap:address`` is a placeholder and
      never used.
    - ``username`` and ``password`` are the organisation's system account on the axis, sent in
      every call as a WS-Security UsernameToken with the password in clear text
      (PasswordText), so ``url`` must be HTTPS outside a test bench.
    - ``xml_huge_tree`` lifts lxml's limits on text size and depth when reading replies:
      packages travel inline as base64, and lxml refuses a text node over 10 MB (about a
      7.5 MB package) without it. DTDs, entities and external references stay forbidden either
      way.
    """

    title: ClassVar[str] = "document axis"

    username: str = Field(default="", description="The province's account on the axis.")
    password: str = secret_field(description="Password of the axis account.")
    xml_huge_tree: bool = Field(
        default=True, description="Read replies holding packages larger than 7.5 MB."
    )
    timeout: float = Field(default=30.0, description="Seconds for each phase of one exchange.")
    deadline: float = Field(default=120.0, description="Seconds for one attempt as a whole.")

    def own_problems(self) -> list[str]:
        if self.username and self.password:
            return []
        return ["username and password of the organisation's axis account are needed"]
