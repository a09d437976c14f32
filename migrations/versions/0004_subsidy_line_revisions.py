"""subsidy line revisions: adjustments correct a paid line with the next revision

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 15:10:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("subsidy_line", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revision", sa.Integer(), server_default=sa.text("0"), nullable=False))
        batch_op.add_column(sa.Column("corrects", sa.String(length=80), nullable=True))
        batch_op.drop_constraint("uq_subsidy_line_traineeship_id_month_kind", type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_subsidy_line_traineeship_id_month_kind_revision"),
            ["traineeship_id", "month", "kind", "revision"],
        )


def downgrade():
    with op.batch_alter_table("subsidy_line", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_subsidy_line_traineeship_id_month_kind_revision"), type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_subsidy_line_traineeship_id_month_kind"), ["traineeship_id", "month", "kind"]
        )
        batch_op.drop_column("corrects")
        batch_op.drop_column("revision")
