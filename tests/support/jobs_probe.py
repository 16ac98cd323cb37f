"""Job functions for the jobs tests: they leave a mark a test can see."""

from server.db import get_session
from server.models import AccessLog


def record(mark: str) -> None:
    session = get_session()
    session.add(AccessLog(action="job", target=mark))
    session.commit()


def explode(_mark: str) -> None:
    raise RuntimeError("this job always fails")
