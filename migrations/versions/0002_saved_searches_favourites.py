"""saved searches, favourites and on-site notifications

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 14:36:15.502831

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def _timestamps() -> list[sa.Column]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
    ]


def upgrade():
    op.create_table(
        "favourite",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("posting_id", sa.Integer(), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(["posting_id"], ["posting.id"], name=op.f("fk_favourite_posting_id_posting"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name=op.f("fk_favourite_user_id_user_account"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_favourite")),
        sa.UniqueConstraint("user_id", "posting_id", name=op.f("uq_favourite_user_id_posting_id")),
    )
    with op.batch_alter_table("favourite", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_favourite_posting_id"), ["posting_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_favourite_user_id"), ["user_id"], unique=False)

    op.create_table(
        "saved_search",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("query", JSON, nullable=False),
        sa.Column("last_notified_at", sa.DateTime(timezone=True), nullable=True),
        *_timestamps(),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name=op.f("fk_saved_search_user_id_user_account"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_search")),
    )
    with op.batch_alter_table("saved_search", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_saved_search_user_id"), ["user_id"], unique=False)

    op.create_table(
        "notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("saved_search_id", sa.Integer(), nullable=True),
        sa.Column("payload", JSON, nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        *_timestamps(),
        sa.ForeignKeyConstraint(["saved_search_id"], ["saved_search.id"], name=op.f("fk_notification_saved_search_id_saved_search"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name=op.f("fk_notification_user_id_user_account"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
    )
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notification_saved_search_id"), ["saved_search_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_notification_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notification_user_id"))
        batch_op.drop_index(batch_op.f("ix_notification_saved_search_id"))
    op.drop_table("notification")

    with op.batch_alter_table("saved_search", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_saved_search_user_id"))
    op.drop_table("saved_search")

    with op.batch_alter_table("favourite", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_favourite_user_id"))
        batch_op.drop_index(batch_op.f("ix_favourite_posting_id"))
    op.drop_table("favourite")
