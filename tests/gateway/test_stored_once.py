"""What is stored once by its national key tells a new row from one held already, on both stores
(PostgreSQL gives no row count for an INSERT ... ON CONFLICT DO NOTHING through SQLAlchemy, so
these read the row the insert returns)."""

from __future__ import annotations

from gateway.documents.records import store_incoming
from gateway.questions.records import store_question
from gateway.store import Store
from mappings.questions import Question


async def test_a_question_polled_twice_is_new_once(store: Store) -> None:
    question = Question(id="HD-0001", text="Làm lại căn cước cần giấy tờ gì?")
    first = await store.write(lambda c: store_question(c, question))
    second = await store.write(lambda c: store_question(c, question))
    assert (first, second) == (True, False)


async def test_a_package_received_twice_is_stored_once(store: Store) -> None:
    async def receive() -> str | None:
        return await store.write(
            lambda c: store_incoming(
                c,
                kind="edoc",
                national_id="000.00.00.G01,2026/12/07,1234",
                from_organ="000.00.00.G01",
                to_organs=["000.00.38.H56"],
                code="12/CV-UBND",
                subject="Công văn",
                business="0",
                package=b"<edXML/>",
                reason=None,
            )
        )

    first = await receive()
    second = await receive()
    assert isinstance(first, str) and second is None
