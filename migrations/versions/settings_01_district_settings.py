"""district_settings: a district's own review target, point values, level thresholds,
default leaderboard visibility and quiet hours (/admin/settings)

Revision ID: settings_01
Revises: roster_01
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = 'settings_01'
down_revision = 'roster_01'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'district_settings',
        sa.Column('org_id', sa.Integer(), nullable=False),
        sa.Column('review_target_days', sa.Integer(), nullable=False),
        sa.Column('default_visibility', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column('quiet_start_hour', sa.Integer(), nullable=False),
        sa.Column('quiet_end_hour', sa.Integer(), nullable=False),
        sa.Column('game_points', sa.Text(), nullable=False),
        sa.Column('game_levels', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['org_id'], ['org.id']),
        sa.PrimaryKeyConstraint('org_id'),
    )


def downgrade() -> None:
    op.drop_table('district_settings')
