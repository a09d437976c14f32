"""desired jobs: the jobs seekers named and their codes

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 01:13:40.065643

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('desired_job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seeker_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=60), nullable=False),
    sa.Column('occupation_code', sa.String(length=10), nullable=False),
    sa.Column('occupation_source', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("occupation_source IN ('auto', 'office')", name=op.f('ck_desired_job_source_known')),
    sa.ForeignKeyConstraint(['occupation_code'], ['occupation.code'], name=op.f('fk_desired_job_occupation_code_occupation')),
    sa.ForeignKeyConstraint(['seeker_id'], ['seeker.id'], name=op.f('fk_desired_job_seeker_id_seeker'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_desired_job')),
    sa.UniqueConstraint('seeker_id', 'title', name=op.f('uq_desired_job_seeker_id_title'))
    )
    with op.batch_alter_table('desired_job', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_desired_job_occupation_source'), ['occupation_source'], unique=False)
        batch_op.create_index(batch_op.f('ix_desired_job_seeker_id'), ['seeker_id'], unique=False)



def downgrade():
    with op.batch_alter_table('desired_job', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_desired_job_seeker_id'))
        batch_op.drop_index(batch_op.f('ix_desired_job_occupation_source'))

    op.drop_table('desired_job')
