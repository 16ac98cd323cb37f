"""Percent agreement and Cohen's kappa for met / not-met ratings (review/agreement.py),
against a textbook 2x2 table and at the edges."""

from __future__ import annotations

import pytest

from server.review.agreement import FEW_PAIRS, Table, expected, figure, kappa, observed, table_of


def test_the_textbook_table():
    # yes/yes 20, yes/no 5, no/yes 10, no/no 15 (n = 50)
    table = Table(both=20, first_only=5, second_only=10, neither=15)
    assert observed(table) == pytest.approx(0.70)
    assert expected(table) == pytest.approx(0.50)  # 0.5 * 0.6 + 0.5 * 0.4
    assert kappa(table) == pytest.approx(0.40)
    shown = figure(table)
    assert (shown.pairs, shown.agreed, shown.percent, shown.kappa) == (50, 35, 70.0, 0.4)
    assert shown.note == ""  # 50 pairs: no warning


def test_pairs_are_counted_into_the_right_cells():
    pairs = [(True, True)] * 20 + [(True, False)] * 5 + [(False, True)] * 10 + [(False, False)] * 15
    assert table_of(pairs) == Table(20, 5, 10, 15)


def test_perfect_agreement_with_both_answers_used_is_kappa_one():
    table = table_of([(True, True)] * 30 + [(False, False)] * 10)
    assert observed(table) == 1.0
    assert kappa(table) == pytest.approx(1.0)


def test_every_rating_the_same_answer_leaves_kappa_undefined():
    table = table_of([(True, True)] * 40)  # p_o = 1, p_e = 1
    assert expected(table) == 1.0
    assert kappa(table) is None
    shown = figure(table)
    assert shown.percent == 100.0 and shown.kappa is None and "undefined" in shown.note


def test_agreement_worse_than_chance_is_negative():
    table = Table(both=0, first_only=10, second_only=10, neither=0)
    assert kappa(table) == pytest.approx(-1.0)


def test_no_pairs_has_no_figure():
    shown = figure(Table())
    assert (shown.pairs, shown.percent, shown.kappa) == (0, None, None)
    assert shown.note == "No paired ratings yet."


def test_fewer_than_thirty_pairs_carry_a_confidence_note():
    mixed = [(True, True), (False, False), (True, False)]
    below = figure(table_of((mixed * 10)[: FEW_PAIRS - 1]))
    at = figure(table_of(mixed * 10))
    assert (below.pairs, at.pairs) == (29, 30)
    assert below.few and "fewer than 30" in below.note
    assert not at.few and at.note == ""
