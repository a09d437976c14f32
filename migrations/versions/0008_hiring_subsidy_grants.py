"""hiring subsidy grants: one-off hiring subsidies paid, once per person and rule

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 17:39:47.686501

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('hiring_subsidy_grant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seeker_id', sa.Integer(), nullable=False),
    sa.Column('employer_id', sa.Integer(), nullable=False),
    sa.Column('rulebook_id', sa.String(length=80), nullable=False),
    sa.Column('rule_id', sa.String(length=80), nullable=False),
    sa.Column('rulebook_version', sa.String(length=80), nullable=False),
    sa.Column('source', sa.String(length=120), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('hire_date', sa.Date(), nullable=False),
    sa.Column('hire_record', sa.String(length=40), nullable=False),
    sa.Column('granted_on', sa.Date(), nullable=False),
    sa.Column('reference', sa.String(length=200), nullable=False),
    sa.Column('recorded_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint('amount > 0', name=op.f('ck_hiring_subsidy_grant_amount_positive')),
    sa.ForeignKeyConstraint(['employer_id'], ['employer.id'], name=op.f('fk_hiring_subsidy_grant_employer_id_employer')),
    sa.ForeignKeyConstraint(['recorded_by'], ['user_account.id'], name=op.f('fk_hiring_subsidy_grant_recorded_by_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['seeker_id'], ['seeker.id'], name=op.f('fk_hiring_subsidy_grant_seeker_id_seeker')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hiring_subsidy_grant')),
    sa.UniqueConstraint('seeker_id', 'rulebook_id', 'rule_id', name=op.f('uq_hiring_subsidy_grant_seeker_id_rulebook_id_rule_id'))
    )
    with op.batch_alter_table('hiring_subsidy_grant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hiring_subsidy_grant_employer_id'), ['employer_id'], unique=False)


def downgrade():
    with op.batch_alter_table('hiring_subsidy_grant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hiring_subsidy_grant_employer_id'))

    op.drop_table('hiring_subsidy_grant')
