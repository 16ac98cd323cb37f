"""roster_upload: a roster CSV held between its preview and the import;
org.reviews_independent: a district that also reviews the independent pool

Revision ID: roster_01
Revises: analytics_01
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = 'roster_01'
down_revision = 'analytics_01'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'roster_upload',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('org_id', sa.Integer(), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=False),
        sa.Column('filename', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('rows', sa.Text(), nullable=False),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('applied_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column('result', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['actor_id'], ['user.id']),
        sa.ForeignKeyConstraint(['org_id'], ['org.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('token_hash'),
    )
    with op.batch_alter_table('roster_upload', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_roster_upload_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_roster_upload_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_roster_upload_org_id'), ['org_id'], unique=False)
    with op.batch_alter_table('org', schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            'reviews_independent', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('org', schema=None) as batch_op:
        batch_op.drop_column('reviews_independent')
    op.drop_table('roster_upload')
