"""Routes of the transcript area: a teacher's own transcript (page, CSV, PDF) and a
district admin's credit-hour report for HR and licensure."""

from server.transcript import district_views, teacher_views  # noqa: F401  (registers the views)
from server.transcript.blueprint import bp

__all__ = ["bp"]
