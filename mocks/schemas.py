"""JSON Schema checks for what tests send the admin API, with errors that name the field.

Every admin body and the ``X-Mock-Fault`` header are checked by a compiled jsonschema-rs
validator; a refusal reads ``<path>: <rule>``, e.g. ``rate: 1.5 is greater than the maximum of
1``, so a test author sees at once what to fix.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import jsonschema_rs


def compile_schema(schema: Mapping[str, Any]) -> jsonschema_rs.Validator:
    return jsonschema_rs.validator_for(dict(schema))


def first_error(
    validator: jsonschema_rs.Validator, instance: object, *, whole: str = "body"
) -> str | None:
    """``"<field path>: <rule>"`` for the first way ``instance`` breaks the schema, or None.

    ``whole`` names the instance itself, for a rule it breaks as a whole; empty, the message
    is the rule alone.
    """
    error = next(iter(validator.iter_errors(instance)), None)
    if error is None:
        return None
    where = ".".join(str(p) for p in error.instance_path) or whole
    return f"{where}: {error.message}" if where else error.message
