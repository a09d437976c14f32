"""keyword search index over postings: bigram tokens, GIN on PostgreSQL, FTS5 on SQLite

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 16:05:00

The GIN expression index, the FTS5 table and its triggers are not in the models; the
``include_name`` filter in app/services/search.py keeps autogenerate from dropping them.
See docs/search.md.
"""

import sqlalchemy as sa
from alembic import op

from matching.tokens import index_tokens

# revision identifiers, used by Alembic.
revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

BATCH = 2000

SQLITE_UP = [
    # External content: the tokens live once, in posting.search_tokens; FTS5 keeps only the
    # index. The ascii tokenizer makes every space-separated token exactly one FTS5 term.
    "CREATE VIRTUAL TABLE posting_fts USING fts5("
    "search_tokens, content='posting', content_rowid='id', tokenize='ascii', detail='none', columnsize=0)",
    "CREATE TRIGGER posting_fts_insert AFTER INSERT ON posting BEGIN "
    "INSERT INTO posting_fts(rowid, search_tokens) VALUES (new.id, new.search_tokens); END",
    "CREATE TRIGGER posting_fts_delete AFTER DELETE ON posting BEGIN "
    "INSERT INTO posting_fts(posting_fts, rowid, search_tokens) VALUES ('delete', old.id, old.search_tokens); END",
    "CREATE TRIGGER posting_fts_update AFTER UPDATE OF search_tokens ON posting BEGIN "
    "INSERT INTO posting_fts(posting_fts, rowid, search_tokens) VALUES ('delete', old.id, old.search_tokens); "
    "INSERT INTO posting_fts(rowid, search_tokens) VALUES (new.id, new.search_tokens); END",
    "INSERT INTO posting_fts(posting_fts) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER posting_fts_update",
    "DROP TRIGGER posting_fts_delete",
    "DROP TRIGGER posting_fts_insert",
    "DROP TABLE posting_fts",
]
POSTGRES_UP = [
    "CREATE INDEX ix_posting_search_tokens ON posting USING gin (string_to_array(search_tokens, ' '))",
]
POSTGRES_DOWN = ["DROP INDEX ix_posting_search_tokens"]


def _backfill() -> None:
    """Tokenise the postings that exist already."""
    conn = op.get_bind()
    posting = sa.table("posting", sa.column("id", sa.Integer), sa.column("search_text", sa.Text), sa.column("search_tokens", sa.Text))
    last = 0
    while True:
        rows = conn.execute(sa.select(posting.c.id, posting.c.search_text).where(posting.c.id > last).order_by(posting.c.id).limit(BATCH)).all()
        if not rows:
            return
        conn.execute(
            posting.update().where(posting.c.id == sa.bindparam("pid")).values(search_tokens=sa.bindparam("tokens")),
            [{"pid": row.id, "tokens": " ".join(index_tokens(row.search_text or ""))} for row in rows],
        )
        last = rows[-1].id


def upgrade():
    op.add_column("posting", sa.Column("search_tokens", sa.Text(), server_default="", nullable=False))
    _backfill()
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_UP if dialect == "sqlite" else POSTGRES_UP if dialect == "postgresql" else []:
        op.execute(statement)


def downgrade():
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_DOWN if dialect == "sqlite" else POSTGRES_DOWN if dialect == "postgresql" else []:
        op.execute(statement)
    with op.batch_alter_table("posting", schema=None) as batch_op:
        batch_op.drop_column("search_tokens")
