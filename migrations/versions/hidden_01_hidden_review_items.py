"""hidden_item: anchors shown in a qualified assessor's live queue as submissions; on
SQLite the submission table becomes AUTOINCREMENT so its ids are never reused (hidden
items take theirs from the same id space)

Revision ID: hidden_01
Revises: perf_02
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = 'hidden_01'
down_revision = 'perf_02'
branch_labels = None
depends_on = None

UTC = sqlmodel.sql.sqltypes.UTCDateTime


def _submission_autoincrement(on: bool) -> None:
    """SQLite only: rebuild submission with (or without) AUTOINCREMENT. The rebuild drops
    the old table; migrations/env.py turns foreign keys off for the whole run."""
    if op.get_bind().dialect.name != 'sqlite':
        return
    with op.batch_alter_table(
        'submission', recreate='always', table_kwargs={'sqlite_autoincrement': on}
    ):
        pass


def upgrade() -> None:
    _submission_autoincrement(True)
    op.create_table(
        'hidden_item',
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('assessor_id', sa.Integer(), nullable=False),
        sa.Column('anchor_id', sa.Integer(), nullable=False),
        sa.Column('credential_id', sa.Integer(), nullable=False),
        sa.Column('attempt_id', sa.Integer(), nullable=False),
        sa.Column('shown_at', UTC(), nullable=False),
        sa.Column('attempt', sa.Integer(), nullable=False),
        sa.Column('created_at', UTC(), nullable=False),
        sa.Column('claimed_until', UTC(), nullable=True),
        sa.Column('decided_at', UTC(), nullable=True),
        sa.Column('decision', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
        sa.Column('given', sa.Text(), nullable=True),
        sa.Column('draft', sa.Text(), nullable=True),
        sa.Column('draft_at', UTC(), nullable=True),
        sa.ForeignKeyConstraint(['assessor_id'], ['user.id']),
        sa.ForeignKeyConstraint(['anchor_id'], ['calibration_anchor.id']),
        sa.ForeignKeyConstraint(['credential_id'], ['credential.id']),
        sa.ForeignKeyConstraint(['attempt_id'], ['calibration_attempt.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('assessor_id', 'anchor_id'),
        sa.UniqueConstraint('attempt_id'),
    )
    op.create_index('ix_hidden_item_assessor_id', 'hidden_item', ['assessor_id'])
    op.create_index('ix_hidden_item_anchor_id', 'hidden_item', ['anchor_id'])
    op.create_index('ix_hidden_item_credential_id', 'hidden_item', ['credential_id'])


def downgrade() -> None:
    op.drop_table('hidden_item')
    _submission_autoincrement(False)
