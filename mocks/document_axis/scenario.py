"""The axis's scenario state: the packages it holds and who still waits for them.

A test that needs an inbox in a given shape (three documents waiting for the province, one of
them already confirmed by a second receiver, a recall pending) puts the packages in place with
``PUT /__admin/scenario``: ``{"documents": [{"package": "<base64 edXML>", "pending_for":
[...]}]}``, in the order they were sent. Each package goes through the checks a real send has,
as its ``From/OrganId`` would send it, so the inbox holds only what the axis could hold; status
packages are recognised and routed as ``SendStatus`` routes them. ``GET /__admin/scenario``
answers in the same shape. The axis hands out no sessions or tokens (every call carries its
UsernameToken), so it has nothing to expire.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

from mocks.admin import ScenarioError
from mocks.document_axis.axis import Axis, LoadRefused

SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["documents"],
    "additionalProperties": False,
    "properties": {
        "documents": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["package"],
                "additionalProperties": False,
                "properties": {
                    "package": {"type": "string", "minLength": 1},
                    "pending_for": {
                        "type": "array",
                        "items": {"type": "string", "minLength": 1},
                        "uniqueItems": True,
                    },
                },
            },
        }
    },
}


class AxisScenario:
    """The axis's state as the admin API sees it."""

    schema = SCHEMA

    def __init__(self, axis: Axis, accounts: Mapping[str, str]) -> None:
        self.axis = axis
        self.accounts = accounts

    def state(self) -> dict[str, Any]:
        return {**self.axis.state(), "accounts": len(self.accounts)}

    def reset(self) -> None:
        """Forget packages, pending lists and traces; the directory and accounts stay."""
        self.axis.reset()

    def snapshot(self) -> dict[str, Any]:
        return {
            "documents": [
                {"package": base64.b64encode(package).decode("ascii"), "pending_for": pending}
                for package, pending in self.axis.packages()
            ]
        }

    def restore(self, spec: Mapping[str, Any]) -> None:
        try:
            self.axis.load([(d["package"], d.get("pending_for")) for d in spec["documents"]])
        except LoadRefused as refused:
            raise ScenarioError(f"documents.{refused}") from None
