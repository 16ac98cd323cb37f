"""The human words for stored codes: evidence kinds, submission statuses and a cohort
member's progress. One map each, so no page spells "in_review" or "photo" for a person.
Templates get the functions as globals (server/presentation.py)."""

from __future__ import annotations

from server.models import EvidenceKind, SubmissionStatus

STATUS_LABELS: dict[str, str] = {
    SubmissionStatus.DRAFT: "Draft",
    SubmissionStatus.SUBMITTED: "Submitted",
    SubmissionStatus.IN_REVIEW: "In review",
    SubmissionStatus.AWARDED: "Awarded",
    SubmissionStatus.NOT_YET: "Not yet",
    SubmissionStatus.WITHDRAWN: "Withdrawn",
}
# The tag on a requirement in the catalog ("Photo"), the heading of an attempt's part
# ("Photos") and the noun in a count ("2 more photos").
KIND_LABELS: dict[str, str] = {
    EvidenceKind.PHOTO: "Photo",
    EvidenceKind.VIDEO: "Video",
    EvidenceKind.FILE: "File",
    EvidenceKind.TEXT: "Written response",
    EvidenceKind.LINK: "Link",
}
KIND_TITLES: dict[str, str] = {
    EvidenceKind.PHOTO: "Photos",
    EvidenceKind.VIDEO: "Video",
    EvidenceKind.FILE: "Files",
    EvidenceKind.TEXT: "Written response",
    EvidenceKind.LINK: "Links",
}
KIND_NOUNS: dict[str, tuple[str, str]] = {
    EvidenceKind.PHOTO: ("photo", "photos"),
    EvidenceKind.VIDEO: ("video", "videos"),
    EvidenceKind.FILE: ("file", "files"),
    EvidenceKind.TEXT: ("written response", "written responses"),
    EvidenceKind.LINK: ("link", "links"),
}
# A member's state on the coach's cohort table (in review counts as submitted there).
PROGRESS_LABELS = {
    "not_started": "Not started",
    "draft": "Draft",
    "submitted": "Submitted",
    "not_yet": "Not yet",
    "earned": "Earned",
}

# A teacher's own standing at a credential, beside it on the stack page.
STANDING_LABELS = {
    "earned": "Earned",
    "in_review": "In review",
    "not_yet": "Not yet",
    "draft": "Draft",
    "not_started": "Not started",
}


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status.replace("_", " ").capitalize())


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind.capitalize())


def kind_title(kind: str) -> str:
    return KIND_TITLES.get(kind, kind.capitalize())


def kind_noun(kind: str, count: int = 1) -> str:
    singular, plural = KIND_NOUNS.get(kind, (kind, kind + "s"))
    return singular if count == 1 else plural
