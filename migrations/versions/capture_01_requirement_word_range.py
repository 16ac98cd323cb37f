"""evidencerequirement.min_words / max_words: a written response's length range

Revision ID: capture_01
Revises: admin_audit_01
"""
from alembic import op
import sqlalchemy as sa


revision = 'capture_01'
down_revision = 'admin_audit_01'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('evidencerequirement') as batch:
        batch.add_column(sa.Column('min_words', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('max_words', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('evidencerequirement') as batch:
        batch.drop_column('max_words')
        batch.drop_column('min_words')
