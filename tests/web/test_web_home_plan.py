"""The home page reads the newest published postings through an index, not a scan and a sort."""

from sqlalchemy import event, text

from app.extensions import db
from tests.factories import PostingFactory


def _newest_query(client) -> tuple[str, tuple]:
    """The SELECT the home page runs for its newest listings, with its parameters."""
    seen = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if "ORDER BY posting.published_at DESC" in statement:
            seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert client.get("/").status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert seen
    return seen[0]


def test_home_reads_the_newest_postings_through_an_index(client):
    PostingFactory.create_batch(5)
    statement, parameters = _newest_query(client)
    with db.engine.connect() as conn:
        raw = conn.connection.dbapi_connection.cursor()
        if db.engine.dialect.name == "sqlite":
            raw.execute("EXPLAIN QUERY PLAN " + statement, parameters)
            plan = " ".join(str(row[-1]) for row in raw.fetchall())
            assert "ix_posting_newest" in plan and "TEMP B-TREE" not in plan, plan
        else:
            conn.execute(text("SET enable_seqscan = off"))
            raw.execute("EXPLAIN " + statement, parameters)
            plan = " ".join(row[0] for row in raw.fetchall())
            assert "ix_posting_newest" in plan and "Sort" not in plan, plan
        raw.close()
