"""authoring: credential versions (snapshots, row version ranges), word ranges, stack district

Revision ID: authoring_01
Revises: badges_02
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = 'authoring_01'
down_revision = 'badges_02'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('credentialversion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('credential_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('snapshot', sa.Text(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['user.id'], ),
    sa.ForeignKeyConstraint(['credential_id'], ['credential.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('credential_id', 'version')
    )
    with op.batch_alter_table('credentialversion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_credentialversion_credential_id'), ['credential_id'], unique=False)

    with op.batch_alter_table('evidencerequirement', schema=None) as batch_op:
        batch_op.add_column(sa.Column('min_words', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('max_words', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('added_in', sa.Integer(), nullable=False, server_default='1'))
        batch_op.add_column(sa.Column('removed_in', sa.Integer(), nullable=True))

    with op.batch_alter_table('rubriccriterion', schema=None) as batch_op:
        batch_op.add_column(sa.Column('added_in', sa.Integer(), nullable=False, server_default='1'))
        batch_op.add_column(sa.Column('removed_in', sa.Integer(), nullable=True))

    # Every row so far belongs to version 1 onwards: drop the default once filled.
    for table in ('evidencerequirement', 'rubriccriterion'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('added_in', server_default=None)

    with op.batch_alter_table('stack', schema=None) as batch_op:
        batch_op.add_column(sa.Column('org_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_stack_org_id'), ['org_id'], unique=False)
        batch_op.create_foreign_key('fk_stack_org_id_org', 'org', ['org_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('stack', schema=None) as batch_op:
        batch_op.drop_constraint('fk_stack_org_id_org', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_stack_org_id'))
        batch_op.drop_column('org_id')

    with op.batch_alter_table('rubriccriterion', schema=None) as batch_op:
        batch_op.drop_column('removed_in')
        batch_op.drop_column('added_in')

    with op.batch_alter_table('evidencerequirement', schema=None) as batch_op:
        batch_op.drop_column('removed_in')
        batch_op.drop_column('added_in')
        batch_op.drop_column('max_words')
        batch_op.drop_column('min_words')

    with op.batch_alter_table('credentialversion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_credentialversion_credential_id'))

    op.drop_table('credentialversion')
