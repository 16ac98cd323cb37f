"""submission: a partial index of the waiting attempts in the review queue's order
(submitted_at, id), for its keyset pages (review/queue_cursor.py)

Revision ID: keyset_01
Revises: hidden_01
"""
from alembic import op
import sqlalchemy as sa


revision = 'keyset_01'
down_revision = 'hidden_01'
branch_labels = None
depends_on = None

# As server/models.py's WAITING_WHERE (written out: a migration never imports the app).
WAITING_WHERE = "status IN ('in_review', 'submitted')"


def upgrade() -> None:
    op.create_index(
        'ix_submission_waiting_order',
        'submission',
        ['submitted_at', 'id'],
        unique=False,
        sqlite_where=sa.text(WAITING_WHERE),
        postgresql_where=sa.text(WAITING_WHERE),
    )


def downgrade() -> None:
    op.drop_index('ix_submission_waiting_order', table_name='submission')
