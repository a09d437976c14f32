"""invitations to apply

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 23:46:32.202386

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('posting_id', sa.Integer(), nullable=False),
    sa.Column('seeker_id', sa.Integer(), nullable=False),
    sa.Column('employer_id', sa.Integer(), nullable=False),
    sa.Column('invited_by', sa.Integer(), nullable=True),
    sa.Column('message', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('responded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('application_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("status IN ('pending', 'accepted', 'declined')", name=op.f('ck_invitation_status_known')),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], name=op.f('fk_invitation_application_id_application'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['employer_id'], ['employer.id'], name=op.f('fk_invitation_employer_id_employer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invited_by'], ['user_account.id'], name=op.f('fk_invitation_invited_by_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['posting_id'], ['posting.id'], name=op.f('fk_invitation_posting_id_posting'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['seeker_id'], ['seeker.id'], name=op.f('fk_invitation_seeker_id_seeker'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitation')),
    sa.UniqueConstraint('posting_id', 'seeker_id', name=op.f('uq_invitation_posting_id_seeker_id'))
    )
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.create_index('ix_invitation_employer_id_created_at', ['employer_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_invitation_seeker_id'), ['seeker_id'], unique=False)



def downgrade():
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitation_seeker_id'))
        batch_op.drop_index('ix_invitation_employer_id_created_at')

    op.drop_table('invitation')
