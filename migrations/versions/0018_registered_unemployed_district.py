"""seeker.registered_unemployed_district: where the unemployment was registered (004 § 三(三)5)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05 03:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        'seeker', sa.Column('registered_unemployed_district', sa.String(6), nullable=True)
    )


def downgrade():
    op.drop_column('seeker', 'registered_unemployed_district')
