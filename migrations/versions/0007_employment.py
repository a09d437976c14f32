"""employment: hires with contract length and months of social and unemployment insurance

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 15:19:04.656822

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('employment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seeker_id', sa.Integer(), nullable=False),
    sa.Column('employer_id', sa.Integer(), nullable=False),
    sa.Column('hire_date', sa.Date(), nullable=False),
    sa.Column('contract_months', sa.Integer(), nullable=True),
    sa.Column('social_insurance_months', sa.Integer(), nullable=True),
    sa.Column('unemployment_insurance_months', sa.Integer(), nullable=True),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('application_id', sa.Integer(), nullable=True),
    sa.Column('traineeship_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint('application_id IS NULL OR traineeship_id IS NULL', name=op.f('ck_employment_one_source')),
    sa.CheckConstraint('contract_months IS NULL OR contract_months >= 0', name=op.f('ck_employment_contract_months_non_negative')),
    sa.CheckConstraint('ended_on IS NULL OR ended_on >= hire_date', name=op.f('ck_employment_end_after_hire')),
    sa.CheckConstraint('social_insurance_months IS NULL OR social_insurance_months >= 0', name=op.f('ck_employment_social_insurance_months_non_negative')),
    sa.CheckConstraint('unemployment_insurance_months IS NULL OR unemployment_insurance_months >= 0', name=op.f('ck_employment_unemployment_insurance_months_non_negative')),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], name=op.f('fk_employment_application_id_application'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['employer_id'], ['employer.id'], name=op.f('fk_employment_employer_id_employer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by'], ['user_account.id'], name=op.f('fk_employment_recorded_by_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['seeker_id'], ['seeker.id'], name=op.f('fk_employment_seeker_id_seeker'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['traineeship_id'], ['traineeship.id'], name=op.f('fk_employment_traineeship_id_traineeship'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_employment')),
    sa.UniqueConstraint('seeker_id', 'employer_id', 'hire_date', name=op.f('uq_employment_seeker_id_employer_id_hire_date'))
    )
    with op.batch_alter_table('employment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_employment_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_employment_employer_id'), ['employer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_employment_seeker_id'), ['seeker_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_employment_traineeship_id'), ['traineeship_id'], unique=False)


def downgrade():
    with op.batch_alter_table('employment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_employment_traineeship_id'))
        batch_op.drop_index(batch_op.f('ix_employment_seeker_id'))
        batch_op.drop_index(batch_op.f('ix_employment_employer_id'))
        batch_op.drop_index(batch_op.f('ix_employment_application_id'))
    op.drop_table('employment')
