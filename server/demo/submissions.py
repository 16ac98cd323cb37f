"""Demo submissions in every state, written straight to the tables with past timestamps so
the assessor's queue, Maya's history and the coach's cohort all have something to show.

Every attempt that was sent has what its required parts ask for (server/demo/seeder.py
writes each state; the shared demo photo and PDF are stored when a store is given).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlmodel import Session

from server.demo import feedback as words
from server.demo.media import store_demo_files
from server.demo.people import DEMO_HANDLES
from server.demo.seeder import Seeder
from server.models import (
    Decision,
    User,
)
from server.storage import Storage

if TYPE_CHECKING:
    from server.demo.seed import SeededCredential

WAITING = (  # teacher, credential, days since submitting
    ("priya", "fractions-as-numbers", 1),
    ("diego", "number-line-reasoning", 3),
    ("hannah", "formative-checks-with-forms", 4),
    ("marcus", "executive-function", 6),
)


def seed_submissions(
    *,
    session: Session,
    people: dict[str, User],
    catalog: dict[str, SeededCredential],
    storage: Storage | None = None,
) -> int:
    seeder = Seeder(
        session,
        catalog,
        assessor=people[DEMO_HANDLES["assessor"]],
        files=store_demo_files(storage),
    )
    maya = people[DEMO_HANDLES["teacher"]]
    seeder.draft(maya, "working-memory", days_ago=3)
    seeder.submitted(maya, "equivalent-fractions", days_ago=2)
    returned = seeder.submitted(maya, "motivation", days_ago=12)
    seeder.decide(
        returned,
        Decision.NOT_YET,
        words.MOTIVATION_NOT_YET["feedback"],
        words.MOTIVATION_NOT_YET["scores"],
        days_ago=8,
    )
    earned = seeder.submitted(maya, "checking-for-understanding", days_ago=25)
    seeder.decide(
        earned,
        Decision.AWARD,
        words.CHECKING_AWARDED["feedback"],
        [(True, c) for c in words.CHECKING_AWARDED["comments"]],
        days_ago=21,
    )

    for handle, slug, days in WAITING:
        seeder.submitted(people[handle], slug, days_ago=days)
    seeder.claimed(seeder.submitted(people["lena"], "collaborative-docs-in-class", days_ago=5))
    omar = seeder.submitted(people["omar"], "fractions-as-numbers", days_ago=16)
    seeder.decide(
        omar,
        Decision.AWARD,
        "Strong evidence of magnitude reasoning throughout.",
        None,
        days_ago=13,
    )
    seeder.draft(people["grace"], "motivation", days_ago=18)  # stalled: for the coach
    seeder.withdrawn(people["tomas"], "working-memory", days_ago=9)
    session.flush()
    return seeder.count
