"""The rigour guards on an attempt's evidence: a written response within its word range,
and which parts are unchanged since the "not yet" they answer. No Flask here."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session

from server.catalog.service import requirements_for
from server.models import EvidenceItem, EvidenceKind, EvidenceRequirement, Submission
from server.submissions import queries

# "(300 to 500 words)", "(300-500 words)", "(at least 200 words)", "(up to 250 words)"
RANGE = re.compile(r"\(\s*(\d+)\s*(?:to|-|–|—)\s*(\d+)\s+words?\s*\)", re.IGNORECASE)
AT_LEAST = re.compile(r"\(\s*at\s+least\s+(\d+)\s+words?\s*\)", re.IGNORECASE)
# A word: letters or digits, joined by an apostrophe, dot or hyphen ("don't", "3.5",
# "well-known"); static/js/evidence/word-count.js counts the same way.
WORD = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*")
UP_TO = re.compile(r"\(\s*(?:up\s+to|at\s+most)\s+(\d+)\s+words?\s*\)", re.IGNORECASE)


def word_range_in(prompt: str) -> tuple[int | None, int | None]:
    """The (min_words, max_words) a prompt states, e.g. "(300 to 500 words)"."""
    if match := RANGE.search(prompt):
        low, high = sorted((int(match[1]), int(match[2])))
        return low, high
    if match := AT_LEAST.search(prompt):
        return int(match[1]), None
    if match := UP_TO.search(prompt):
        return None, int(match[1])
    return None, None


def count_words(text: str | None) -> int:
    """Words as a reader counts them: runs of letters or digits (the page's counter uses
    the same rule), so punctuation and dashes on their own never count."""
    return len(WORD.findall(text or ""))


def range_text(requirement: EvidenceRequirement) -> str:
    low, high = requirement.min_words, requirement.max_words
    if low and high:
        return f"{low} to {high} words"
    if low:
        return f"at least {low} words"
    return f"up to {high} words" if high else ""


@dataclass(frozen=True)
class WordProblem:
    requirement: EvidenceRequirement
    number: int
    words: int

    @property
    def range_text(self) -> str:
        return range_text(self.requirement)

    @property
    def message(self) -> str:
        low, high = self.requirement.min_words, self.requirement.max_words
        need = f"at least {low:,}" if low and self.words < low else f"at most {high:,}"
        return (
            f"Part {self.number} (written response) has {self.words:,} "
            f"{'word' if self.words == 1 else 'words'}; it needs {need} "
            f"({range_text(self.requirement)})."
        )


def out_of_range(requirement: EvidenceRequirement, words: int) -> bool:
    low, high = requirement.min_words, requirement.max_words
    return bool((low and words < low) or (high and words > high))


def word_problems(*, session: Session, submission: Submission) -> list[WordProblem]:
    """Each written response outside its part's range. An empty part is not listed here:
    missing evidence says that already (and an optional part may stay empty)."""
    grouped = queries.items_by_requirement(session=session, submission_id=submission.id)
    problems = []
    requirements = requirements_for(session=session, credential_id=submission.credential_id)
    for number, requirement in enumerate(requirements, start=1):
        if requirement.kind != EvidenceKind.TEXT.value:
            continue
        for item in grouped.get(requirement.id, []):
            words = count_words(item.text)
            if out_of_range(requirement, words):
                problems.append(WordProblem(requirement, number, words))
    return problems


def content_hash(item: EvidenceItem) -> str:
    """What an item holds, whatever its row: a file's digest, a text's, a link's."""
    if item.sha256:
        return item.sha256
    body = item.text if item.kind == EvidenceKind.TEXT.value else (item.url or "")
    return hashlib.sha256(f"{item.kind}:{(body or '').strip()}".encode()).hexdigest()


def _signatures(items: Iterable[EvidenceItem]) -> dict[int, list[str]]:
    signatures: dict[int, list[str]] = {}
    for item in items:
        signatures.setdefault(item.requirement_id, []).append(content_hash(item))
    return {req: sorted(hashes) for req, hashes in signatures.items()}


def unchanged_parts(*, session: Session, submission: Submission) -> set[int]:
    """Requirement ids whose evidence is the same as in the attempt that came back "not
    yet" (same files, texts and links by content), when there is one. Empty parts are
    not counted: there is nothing to have changed."""
    previous = queries.previous_not_yet(session=session, submission=submission)
    if previous is None:
        return set()
    now = _signatures(queries.items_for(session=session, submission_id=submission.id))
    before = _signatures(queries.items_for(session=session, submission_id=previous.id))
    return {req for req, hashes in now.items() if hashes and before.get(req) == hashes}
