"""program quota becomes an optional cap: the floor is the target, a cap only if the office sets one

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 23:40:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('program', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_program_quota_nonneg'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_program_seats_within_quota'), type_='check')
        batch_op.alter_column('quota', existing_type=sa.Integer(), nullable=True)
        batch_op.create_check_constraint(batch_op.f('ck_program_quota_nonneg'), 'quota IS NULL OR quota >= 0')
        batch_op.create_check_constraint(
            batch_op.f('ck_program_seats_within_quota'),
            'seats_taken >= 0 AND (quota IS NULL OR seats_taken <= quota)',
        )


def downgrade():
    op.execute('UPDATE program SET quota = GREATEST(floor, seats_taken) WHERE quota IS NULL'
               if op.get_bind().dialect.name == 'postgresql'
               else 'UPDATE program SET quota = MAX(floor, seats_taken) WHERE quota IS NULL')
    with op.batch_alter_table('program', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_program_seats_within_quota'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_program_quota_nonneg'), type_='check')
        batch_op.alter_column('quota', existing_type=sa.Integer(), nullable=False)
        batch_op.create_check_constraint(batch_op.f('ck_program_quota_nonneg'), 'quota >= 0')
        batch_op.create_check_constraint(
            batch_op.f('ck_program_seats_within_quota'), 'seats_taken >= 0 AND seats_taken <= quota'
        )
