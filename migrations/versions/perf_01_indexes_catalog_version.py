"""perf: indexes for the review queue, leases, recent points and the unread count; the
catalog version the public page cache keys on

Revision ID: perf_01
Revises: authoring_01
"""
from alembic import op
import sqlalchemy as sa


revision = 'perf_01'
down_revision = 'authoring_01'
branch_labels = None
depends_on = None


def upgrade() -> None:
    catalog_version = op.create_table(
        'catalog_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.bulk_insert(catalog_version, [{'id': 1, 'version': 1}])
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.create_index('ix_notification_user_read', ['user_id', 'read_at'], unique=False)
    with op.batch_alter_table('pointevent', schema=None) as batch_op:
        batch_op.create_index(
            'ix_pointevent_user_created', ['user_id', 'created_at', 'id'], unique=False
        )
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.create_index(
            'ix_review_lease', ['submission_id', 'decision', 'claimed_until'], unique=False
        )
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.create_index(
            'ix_submission_status_submitted', ['status', 'submitted_at', 'id'], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.drop_index('ix_submission_status_submitted')
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.drop_index('ix_review_lease')
    with op.batch_alter_table('pointevent', schema=None) as batch_op:
        batch_op.drop_index('ix_pointevent_user_created')
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index('ix_notification_user_read')
    op.drop_table('catalog_version')
