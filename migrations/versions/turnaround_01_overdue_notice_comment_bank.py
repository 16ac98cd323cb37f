"""review_overdue_notice: a submission past its district's turnaround target whose
admins were told (once per submission, `chalkmark review overdue`); comment_phrase: the
comment bank per rubric criterion, per district

Revision ID: turnaround_01
Revises: appeal_01
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = 'turnaround_01'
down_revision = 'appeal_01'
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


    op.create_table(
        'comment_phrase',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('criterion_id', sa.Integer(), nullable=False),
        sa.Column('org_id', sa.Integer(), nullable=True),
        sa.Column('text', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column('created_by', sa.Integer(), nullable=False),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['created_by'], ['user.id']),
        sa.ForeignKeyConstraint(['criterion_id'], ['rubriccriterion.id']),
        sa.ForeignKeyConstraint(['org_id'], ['org.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_comment_phrase_criterion_org', 'comment_phrase', ['criterion_id', 'org_id'])


def downgrade() -> None:
    op.drop_index('ix_comment_phrase_criterion_org', table_name='comment_phrase')
    op.drop_table('comment_phrase')
    op.drop_table('review_overdue_notice')
