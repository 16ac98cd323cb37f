"""analytics_refresh: the key row that lets one background refresh of a district's
stale analytics snapshots run at a time

Revision ID: cleanup_01
Revises: review_trust_01
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = 'cleanup_01'
down_revision = 'review_trust_01'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'analytics_refresh',
        sa.Column('org_id', sa.Integer(), nullable=False),
        sa.Column('started_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['org_id'], ['org.id']),
        sa.PrimaryKeyConstraint('org_id'),
    )


def downgrade() -> None:
    op.drop_table('analytics_refresh')
