"""The sums of ``indicator_facts`` per day and per month, moved with every change of a row.

``indicator_days`` sums per day received and handling unit (what figures by unit level and by
time read), ``indicator_months`` per month, handling unit, procedure and field (what figures by
procedure and field within a unit read), ``indicator_procedures`` per month, province, procedure
and field (what figures of a whole province by procedure and field read). A changed fact takes
its old row out of every sum and puts the new one in, as one upsert per sum row that adds the
difference (``received = received + excluded.received``), so concurrent transactions on
PostgreSQL add up rather than overwrite; sum rows are written in key order, so two transactions
never wait on each other in a circle.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import Connection, Executable, Table
from sqlalchemy.dialects import postgresql, sqlite

from gateway.store.schema import (
    COUNT_COLUMNS,
    indicator_days,
    indicator_months,
    indicator_procedures,
)

Row = dict[str, Any]
_LEVELS = ("province", "district", "commune")

PLACED_BY = (*_LEVELS, "unit", "procedure_code", "field_code", "day")
"""The columns of a fact that say which sum rows it counts in (the month is read from the day)."""


def _day_key(fact: Row) -> tuple[str, ...]:
    return (fact["day"], fact["unit"])


def _month_key(fact: Row) -> tuple[str, ...]:
    return (fact["day"][:7], fact["unit"], fact["procedure_code"], fact["field_code"])


def _procedure_key(fact: Row) -> tuple[str, ...]:
    return (fact["day"][:7], fact["province"], fact["procedure_code"], fact["field_code"])


_TALLIES: tuple[tuple[Table, tuple[str, ...], Any], ...] = (
    (indicator_days, ("day", "unit"), _day_key),
    (indicator_months, ("month", "unit", "procedure_code", "field_code"), _month_key),
    (indicator_procedures, ("month", "province", "procedure_code", "field_code"), _procedure_key),
)


@cache
def _add(dialect_name: str, table: Table, keys: tuple[str, ...]) -> Executable:
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    statement = dialect.insert(table)
    upsert: Executable = statement.on_conflict_do_update(
        index_elements=list(keys),
        set_={name: table.c[name] + statement.excluded[name] for name in COUNT_COLUMNS},
    )
    return upsert


def apply(connection: Connection, *, removed: Sequence[Row], added: Sequence[Row]) -> None:
    """Take the ``removed`` fact rows out of the sums and put the ``added`` ones in."""
    for table, keys, key_of in _TALLIES:
        levels = [level for level in _LEVELS if level in table.c and level not in keys]
        moves: dict[tuple[str, ...], Row] = {}
        for sign, facts in ((-1, removed), (1, added)):
            for fact in facts:
                key = key_of(fact)
                move = moves.get(key)
                if move is None:
                    move = dict(zip(keys, key, strict=True))
                    move.update({level: fact[level] for level in levels})
                    move.update(dict.fromkeys(COUNT_COLUMNS, 0))
                    moves[key] = move
                for name in COUNT_COLUMNS:
                    move[name] += sign * fact[name]
        changed = [moves[key] for key in sorted(moves) if any(moves[key][n] for n in COUNT_COLUMNS)]
        if changed:
            connection.execute(_add(connection.dialect.name, table, keys), changed)
