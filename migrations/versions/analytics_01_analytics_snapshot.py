"""analyticssnapshot: cached district analytics per period

Revision ID: analytics_01
Revises: admin_audit_01
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = 'analytics_01'
down_revision = 'admin_audit_01'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'analyticssnapshot',
        sa.Column('org_id', sa.Integer(), nullable=False),
        sa.Column('period_key', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column('computed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('payload', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['org_id'], ['org.id']),
        sa.PrimaryKeyConstraint('org_id', 'period_key'),
    )


def downgrade() -> None:
    op.drop_table('analyticssnapshot')
