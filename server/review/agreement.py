"""Agreement between two sets of binary ratings (met / not met): percent agreement and
Cohen's kappa, as plain functions over counts (no database here; agreement_report.py
gathers the pairs).

A pair is (first, second): two assessors' scores of one criterion of one attempt (a
double-blind pair), or an assessor's score against the anchor's true score (calibration).
Kappa corrects the observed agreement p_o for the agreement p_e two raters would reach by
chance with the same yes-rates: kappa = (p_o - p_e) / (1 - p_e).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# Below this many paired ratings a figure is shown with a warning: kappa's standard error
# at n = 30 and p_o around 0.8 is about 0.1-0.15, too wide to compare assessors on.
FEW_PAIRS = 30
FEW_NOTE = f"Few ratings (fewer than {FEW_PAIRS} pairs): treat this figure as a rough guide."


@dataclass(frozen=True)
class Table:
    """The 2x2 table: both met, first met only, second met only, neither."""

    both: int = 0
    first_only: int = 0
    second_only: int = 0
    neither: int = 0

    @property
    def n(self) -> int:
        return self.both + self.first_only + self.second_only + self.neither

    def __add__(self, other: Table) -> Table:
        return Table(
            self.both + other.both,
            self.first_only + other.first_only,
            self.second_only + other.second_only,
            self.neither + other.neither,
        )


def table_of(pairs: Iterable[tuple[bool, bool]]) -> Table:
    counts = [0, 0, 0, 0]
    for first, second in pairs:
        counts[(0 if first else 2) + (0 if second else 1)] += 1
    return Table(*counts)


def observed(table: Table) -> float | None:
    """p_o: the share of pairs that agree; None with no pairs."""
    if table.n == 0:
        return None
    return (table.both + table.neither) / table.n


def expected(table: Table) -> float | None:
    """p_e: the agreement expected by chance from each rater's own met-rate."""
    n = table.n
    if n == 0:
        return None
    first_met = (table.both + table.first_only) / n
    second_met = (table.both + table.second_only) / n
    return first_met * second_met + (1 - first_met) * (1 - second_met)


def kappa(table: Table) -> float | None:
    """Cohen's kappa; None when undefined: no pairs, or p_e = 1 (both raters gave one
    and the same answer every time, so chance explains all the agreement)."""
    p_o, p_e = observed(table), expected(table)
    if p_o is None or p_e is None or p_e >= 1.0:
        return None
    return (p_o - p_e) / (1 - p_e)


@dataclass(frozen=True)
class Figure:
    """What a report row shows: counts, percent agreement, kappa and a confidence note."""

    pairs: int
    agreed: int
    percent: float | None
    kappa: float | None
    note: str

    @property
    def few(self) -> bool:
        return self.pairs < FEW_PAIRS


def figure(table: Table) -> Figure:
    p_o, k = observed(table), kappa(table)
    notes = []
    if table.n == 0:
        notes.append("No paired ratings yet.")
    else:
        if k is None:
            notes.append("Kappa undefined: every rating was the same answer.")
        if table.n < FEW_PAIRS:
            notes.append(FEW_NOTE)
    return Figure(
        pairs=table.n,
        agreed=table.both + table.neither,
        percent=None if p_o is None else round(100 * p_o, 1),
        kappa=None if k is None else round(k, 2),
        note=" ".join(notes),
    )
