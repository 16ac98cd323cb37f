"""cohort invitations (CohortMember.status) and one nudge per member per day (Nudge.day)

Existing memberships become invitations: nothing tells which ones the person agreed to
(a coach could add anyone), so each person gets a notice and answers on "My cohorts".
Existing nudges get the member's local day of arrival; where the old race left two on
one day, only the first gets the day (the others stay, as history, with none).

Revision ID: coach_invites_01
Revises: df1e0d2e63a8
"""
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "coach_invites_01"
down_revision = "df1e0d2e63a8"
branch_labels = None
depends_on = None

UTCDateTime = sqlmodel.sql.sqltypes.UTCDateTime
cohort_member = sa.table("cohortmember", sa.column("cohort_id", sa.Integer),
                         sa.column("user_id", sa.Integer), sa.column("status", sa.String))
cohort = sa.table("cohort", sa.column("id", sa.Integer), sa.column("name", sa.String))
notification = sa.table(
    "notification", sa.column("user_id", sa.Integer), sa.column("kind", sa.String),
    sa.column("title", sa.String), sa.column("body", sa.Text), sa.column("url", sa.String),
    sa.column("created_at", UTCDateTime()))
nudge = sa.table("nudge", sa.column("id", sa.Integer), sa.column("user_id", sa.Integer),
                 sa.column("deliver_after", UTCDateTime()), sa.column("day", sa.Date))
user = sa.table("user", sa.column("id", sa.Integer), sa.column("timezone", sa.String))


def upgrade() -> None:
    with op.batch_alter_table("cohortmember", schema=None) as batch_op:
        batch_op.add_column(sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=10),
                                      nullable=False, server_default="invited"))
    with op.batch_alter_table("cohortmember", schema=None) as batch_op:
        batch_op.alter_column("status", server_default=None)
    _notify_invited()
    with op.batch_alter_table("nudge", schema=None) as batch_op:
        batch_op.add_column(sa.Column("day", sa.Date(), nullable=True))
    _backfill_days()
    with op.batch_alter_table("nudge", schema=None) as batch_op:
        batch_op.create_unique_constraint("uq_nudge_user_day", ["user_id", "day"])


def _notify_invited() -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.select(cohort_member.c.user_id, cohort.c.name)
                        .join(cohort, cohort.c.id == cohort_member.c.cohort_id)).all()
    now = datetime.now(UTC)
    for user_id, name in rows:
        bind.execute(notification.insert().values(
            user_id=user_id, kind="cohort_invite", created_at=now, url="/coach/my-cohorts",
            title=f"Do you want to stay in the cohort “{name}”?"[:200],
            body="Accept to let its coach follow your progress, or decline."))


def _zone(name):
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def _backfill_days() -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.select(nudge.c.id, nudge.c.user_id, nudge.c.deliver_after,
                                  user.c.timezone)
                        .join(user, user.c.id == nudge.c.user_id).order_by(nudge.c.id)).all()
    taken = set()
    for nudge_id, user_id, arrives, timezone in rows:
        aware = arrives if arrives.tzinfo is not None else arrives.replace(tzinfo=UTC)
        day = aware.astimezone(_zone(timezone)).date()
        if (user_id, day) in taken:
            continue
        taken.add((user_id, day))
        bind.execute(nudge.update().where(nudge.c.id == nudge_id).values(day=day))


def downgrade() -> None:
    with op.batch_alter_table("nudge", schema=None) as batch_op:
        batch_op.drop_constraint("uq_nudge_user_day", type_="unique")
        batch_op.drop_column("day")
    with op.batch_alter_table("cohortmember", schema=None) as batch_op:
        batch_op.drop_column("status")
