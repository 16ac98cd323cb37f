"""award: issuing district, signed OB 3.0 credential, visibility, who revoked

Revision ID: badges_01
Revises: coach_invites_01
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = 'badges_01'
down_revision = 'coach_invites_01'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('award', schema=None) as batch_op:
        batch_op.add_column(sa.Column('org_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('ob3_json', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column(
            'visibility', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False,
            server_default='link'))
        batch_op.add_column(sa.Column('revoked_by', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_award_org_id'), ['org_id'], unique=False)
        batch_op.create_index('ix_award_org_revoked', ['org_id', 'revoked_at'], unique=False)
        batch_op.create_foreign_key('fk_award_org_id_org', 'org', ['org_id'], ['id'])
        batch_op.create_foreign_key('fk_award_revoked_by_user', 'user', ['revoked_by'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('award', schema=None) as batch_op:
        batch_op.drop_constraint('fk_award_revoked_by_user', type_='foreignkey')
        batch_op.drop_constraint('fk_award_org_id_org', type_='foreignkey')
        batch_op.drop_index('ix_award_org_revoked')
        batch_op.drop_index(batch_op.f('ix_award_org_id'))
        batch_op.drop_column('revoked_by')
        batch_op.drop_column('visibility')
        batch_op.drop_column('ob3_json')
        batch_op.drop_column('org_id')
