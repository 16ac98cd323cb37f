"""Demo data for `make run` (stub until the catalog content lands)."""

from sqlmodel import Session


def seed_demo(*, session: Session) -> str:
    return "nothing yet"
