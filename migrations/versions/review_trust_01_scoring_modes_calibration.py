"""Review trust (#15): scoring modes (district, credential override), lead assessors,
the kind of each review (single, blind pair, lead), scoring drafts, calibration anchors
with true scores, assessors' calibration tries and qualifications

Revision ID: review_trust_01
Revises: turnaround_01
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = 'review_trust_01'
down_revision = 'turnaround_01'
branch_labels = None
depends_on = None

UTC = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    with op.batch_alter_table('credential') as batch:
        batch.add_column(sa.Column('scoring_mode', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True))
    with op.batch_alter_table('assessorappointment') as batch:
        batch.add_column(sa.Column('is_lead', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('review') as batch:
        batch.add_column(sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False, server_default='single'))
    with op.batch_alter_table('district_settings') as batch:
        batch.add_column(sa.Column('scoring_mode', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False, server_default='single'))
        batch.add_column(sa.Column('calibration_threshold', sa.Integer(), nullable=False, server_default='80'))
        batch.add_column(sa.Column('calibration_share', sa.Integer(), nullable=False, server_default='0'))
    op.create_table(
        'scoring_draft',
        sa.Column('review_id', sa.Integer(), nullable=False),
        sa.Column('data', sa.Text(), nullable=False),
        sa.Column('updated_at', UTC(), nullable=False),
        sa.ForeignKeyConstraint(['review_id'], ['review.id']),
        sa.PrimaryKeyConstraint('review_id'),
    )
    op.create_table(
        'calibration_anchor',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('submission_id', sa.Integer(), nullable=False),
        sa.Column('credential_id', sa.Integer(), nullable=False),
        sa.Column('org_id', sa.Integer(), nullable=True),
        sa.Column('created_by', sa.Integer(), nullable=False),
        sa.Column('created_at', UTC(), nullable=False),
        sa.Column('retired_at', UTC(), nullable=True),
        sa.ForeignKeyConstraint(['submission_id'], ['submission.id']),
        sa.ForeignKeyConstraint(['credential_id'], ['credential.id']),
        sa.ForeignKeyConstraint(['org_id'], ['org.id']),
        sa.ForeignKeyConstraint(['created_by'], ['user.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('submission_id'),
    )
    op.create_index('ix_calibration_anchor_credential_id', 'calibration_anchor', ['credential_id'])
    op.create_index('ix_calibration_anchor_org_id', 'calibration_anchor', ['org_id'])
    op.create_table(
        'anchor_score',
        sa.Column('anchor_id', sa.Integer(), nullable=False),
        sa.Column('criterion_id', sa.Integer(), nullable=False),
        sa.Column('met', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['anchor_id'], ['calibration_anchor.id']),
        sa.ForeignKeyConstraint(['criterion_id'], ['rubriccriterion.id']),
        sa.PrimaryKeyConstraint('anchor_id', 'criterion_id'),
    )
    op.create_table(
        'calibration_attempt',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('anchor_id', sa.Integer(), nullable=False),
        sa.Column('assessor_id', sa.Integer(), nullable=False),
        sa.Column('live', sa.Boolean(), nullable=False),
        sa.Column('agreed', sa.Integer(), nullable=False),
        sa.Column('total', sa.Integer(), nullable=False),
        sa.Column('created_at', UTC(), nullable=False),
        sa.ForeignKeyConstraint(['anchor_id'], ['calibration_anchor.id']),
        sa.ForeignKeyConstraint(['assessor_id'], ['user.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('anchor_id', 'assessor_id'),
    )
    op.create_index('ix_calibration_attempt_anchor_id', 'calibration_attempt', ['anchor_id'])
    op.create_index('ix_calibration_attempt_assessor_id', 'calibration_attempt', ['assessor_id'])
    op.create_table(
        'calibration_score',
        sa.Column('attempt_id', sa.Integer(), nullable=False),
        sa.Column('criterion_id', sa.Integer(), nullable=False),
        sa.Column('met', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['attempt_id'], ['calibration_attempt.id']),
        sa.ForeignKeyConstraint(['criterion_id'], ['rubriccriterion.id']),
        sa.PrimaryKeyConstraint('attempt_id', 'criterion_id'),
    )
    op.create_table(
        'assessor_qualification',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('credential_id', sa.Integer(), nullable=False),
        sa.Column('percent', sa.Integer(), nullable=False),
        sa.Column('qualified_at', UTC(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user.id']),
        sa.ForeignKeyConstraint(['credential_id'], ['credential.id']),
        sa.PrimaryKeyConstraint('user_id', 'credential_id'),
    )


def downgrade() -> None:
    op.drop_table('assessor_qualification')
    op.drop_table('calibration_score')
    op.drop_index('ix_calibration_attempt_assessor_id', table_name='calibration_attempt')
    op.drop_index('ix_calibration_attempt_anchor_id', table_name='calibration_attempt')
    op.drop_table('calibration_attempt')
    op.drop_table('anchor_score')
    op.drop_index('ix_calibration_anchor_org_id', table_name='calibration_anchor')
    op.drop_index('ix_calibration_anchor_credential_id', table_name='calibration_anchor')
    op.drop_table('calibration_anchor')
    op.drop_table('scoring_draft')
    with op.batch_alter_table('district_settings') as batch:
        batch.drop_column('calibration_share')
        batch.drop_column('calibration_threshold')
        batch.drop_column('scoring_mode')
    with op.batch_alter_table('review') as batch:
        batch.drop_column('kind')
    with op.batch_alter_table('assessorappointment') as batch:
        batch.drop_column('is_lead')
    with op.batch_alter_table('credential') as batch:
        batch.drop_column('scoring_mode')
