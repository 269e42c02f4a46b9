"""The one error a mapping raises when a value cannot cross between two formats.

A mapping error is permanent: the same content will fail the same way however often it is sent,
so a caller dead-letters it instead of retrying. It is a ``ValueError``, so code that already
handles pydantic's ``ValidationError`` (also a ``ValueError``) handles it too.
"""

from __future__ import annotations


class MappingError(ValueError):
    """A value that breaks a rule of the format it is read from or written to.

    ``field`` names where the value sits, in the vocabulary of the side it came from (the portal's
    ``TaiLieuNop[2].IsDeleted`` on reading, the canonical ``applicant.identifiers[0].type`` on
    writing); ``rule`` says what the value should have been.
    """

    def __init__(self, field: str, rule: str) -> None:
        super().__init__(f"{field}: {rule}")
        self.field = field
        self.rule = rule
