"""appeal: a teacher's one request for a second opinion on a "not yet" attempt

Revision ID: appeal_01
Revises: perf_01
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = 'appeal_01'
down_revision = 'perf_01'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'appeal',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('submission_id', sa.Integer(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('first_assessor_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('second_assessor_id', sa.Integer(), nullable=True),
        sa.Column('outcome', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
        sa.Column('decided_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['first_assessor_id'], ['user.id']),
        sa.ForeignKeyConstraint(['second_assessor_id'], ['user.id']),
        sa.ForeignKeyConstraint(['submission_id'], ['submission.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('submission_id'),
    )


def downgrade() -> None:
    op.drop_table('appeal')
