"""submission: when and by whom the attempt's evidence was erased

Revision ID: evidence_erase_01
Revises: auth_sessions_01
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = 'evidence_erase_01'
down_revision = 'auth_sessions_01'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.add_column(sa.Column('evidence_deleted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('evidence_deleted_by', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.drop_column('evidence_deleted_by')
        batch_op.drop_column('evidence_deleted_at')
