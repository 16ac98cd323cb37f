"""review_overdue_notice: a submission past its district's turnaround target whose
admins were told (once per submission, `chalkmark review overdue`)

Revision ID: turnaround_01
Revises: perf_01
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = 'turnaround_01'
down_revision = 'perf_01'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'review_overdue_notice',
        sa.Column('submission_id', sa.Integer(), nullable=False),
        sa.Column('notified_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['submission_id'], ['submission.id']),
        sa.PrimaryKeyConstraint('submission_id'),
    )


def downgrade() -> None:
    op.drop_table('review_overdue_notice')
