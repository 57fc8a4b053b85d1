"""Counts shown outside a school: small ones hidden, and nothing hidden can be worked out again."""

from __future__ import annotations

import random

from coordination.lib.disclosure import (
    HIDDEN,
    SUPPRESSED,
    hierarchy_equations,
    protect,
    protect_table,
    small,
)
from tests.reports.attacker import pinned_by_lp, pinned_exhaustively

TOTAL = "total"


def flat_equations(height: int, width: int):
    return hierarchy_equations(
        rows=[*range(height), TOTAL],
        columns=[*range(width), TOTAL],
        row_children={TOTAL: list(range(height))},
        column_children={TOTAL: list(range(width))},
    )


def flat_view(table) -> dict:
    """Everything the table shows, by cell."""
    view = {}
    for r, row in enumerate(table.cells):
        for c, shown in enumerate(row):
            view[(r, c)] = shown
        view[(r, TOTAL)] = table.row_totals[r]
    for c, shown in enumerate(table.column_totals):
        view[(TOTAL, c)] = shown
    view[(TOTAL, TOTAL)] = table.total
    return view


def flat_truth(cells) -> dict:
    truth = {(r, c): v for r, row in enumerate(cells) for c, v in enumerate(row)}
    for r, row in enumerate(cells):
        truth[(r, TOTAL)] = sum(row)
    for c in range(len(cells[0])):
        truth[(TOTAL, c)] = sum(row[c] for row in cells)
    truth[(TOTAL, TOTAL)] = sum(map(sum, cells))
    return truth


def cap_of(truth: dict) -> int:
    return sum(v for v in truth.values() if v > 0) + 5


def hidden_in(view: dict) -> set:
    return {cell for cell, shown in view.items() if shown in (SUPPRESSED, HIDDEN)}


# --- The rules, one at a time -----------------------------------------------------------------------


def test_counts_from_one_to_four_are_shown_as_less_than_five_and_zero_is_shown():
    assert [small(n) for n in (0, 1, 4, 5, 37)] == [0, SUPPRESSED, SUPPRESSED, 5, 37]
    table = protect_table([[0, 12], [15, 20]])
    assert table.cells == [[0, 12], [15, 20]]
    assert table.row_totals == [12, 35] and table.column_totals == [15, 32] and table.total == 47


def test_a_row_with_one_small_cell_gets_a_second_one_hidden():
    table = protect_table([[3, 6, 20], [10, 12, 15]])
    assert table.cells[0][0] == SUPPRESSED
    assert table.cells[0][1] == HIDDEN  # the smallest non-zero visible cell of the row
    assert table.cells[1][0] == HIDDEN  # and of the column
    assert table.row_totals == [29, 37] and table.total == 66
    view = flat_view(table)
    truth = flat_truth([[3, 6, 20], [10, 12, 15]])
    assert pinned_by_lp(view, flat_equations(2, 3), cap_of(truth)) == []


def test_two_small_cells_that_sum_to_two_are_not_left_alone():
    # 1 + 1 = 52 - 20 - 30: two "< 5" that sum to 2 can only be 1 and 1.
    cells = [[1, 1, 20, 30], [6, 7, 8, 9]]
    table = protect_table(cells)
    view = flat_view(table)
    assert view[(0, 0)] == view[(0, 1)] == SUPPRESSED
    assert len([c for c in range(4) if view[(0, c)] in (SUPPRESSED, HIDDEN)]) >= 3
    truth = flat_truth(cells)
    assert pinned_by_lp(view, flat_equations(2, 4), cap_of(truth)) == []
    assert pinned_exhaustively(view, flat_equations(2, 4), truth, cap_of(truth)) == []


def test_columns_that_count_different_things_publish_only_their_totals():
    table = protect_table([[3, 2], [40, 30], [50, 45]], rows_add_up=False)
    assert table.row_totals == [] and table.total == ""
    assert table.cells[0] == [SUPPRESSED, SUPPRESSED]
    assert table.cells[1] == [HIDDEN, HIDDEN]  # else 93 - 40 - 50 gives the 3 away
    assert table.column_totals == [93, 77]


def test_money_is_never_suppressed():
    values = {("school", "m"): 3, ("commune", "m"): 3}
    pattern = protect(values, [(("commune", "m"), (("school", "m"),))], suppress=False)
    assert pattern.shown(("school", "m")) == 3 and pattern.shown(("commune", "m")) == 3


# --- Side by side: a commune against its province, a month against its term ---------------------


def province_table(schools: dict[str, dict[str, int]], *, months: list[str], terms: dict[str, list[str]]):
    """Rows: province > communes > schools; columns: year > terms > months; counts summed both ways."""
    communes: dict[str, list[str]] = {}
    for school in schools:
        communes.setdefault(school.split("/")[0], []).append(school)
    rows = ["P", *communes, *schools]
    columns = ["Y", *terms, *months]
    values = {}
    for school, by_month in schools.items():
        for month in months:
            values[(school, month)] = by_month.get(month, 0)
    for commune, members in communes.items():
        for month in months:
            values[(commune, month)] = sum(values[(s, month)] for s in members)
    for month in months:
        values[("P", month)] = sum(values[(c, month)] for c in communes)
    for row in rows:
        for term, term_months in terms.items():
            values[(row, term)] = sum(values[(row, m)] for m in term_months)
        values[(row, "Y")] = sum(values[(row, t)] for t in terms)
    equations = hierarchy_equations(
        rows=rows,
        columns=columns,
        row_children={"P": list(communes), **communes},
        column_children={"Y": list(terms), **terms},
    )
    return values, equations


def test_a_commune_cannot_be_worked_out_from_its_province():
    # Commune A has one school with 3 children: the province's total minus commune B would give it away.
    values, equations = province_table(
        {"A/a1": {"m1": 3}, "B/b1": {"m1": 40}, "B/b2": {"m1": 50}}, months=["m1"], terms={"t1": ["m1"]}
    )
    pattern = protect(values, equations)
    view = {cell: pattern.shown(cell) for cell in values}
    assert view[("A/a1", "m1")] == view[("A", "m1")] == SUPPRESSED
    assert view[("P", "m1")] == HIDDEN or view[("B", "m1")] == HIDDEN
    assert pinned_by_lp(view, equations, cap_of(values)) == []
    assert pinned_exhaustively(view, equations, values, cap_of(values)) == []


def test_protecting_each_view_on_its_own_leaks_and_one_pattern_does_not():
    schools = {"A/a1": 3, "A/a2": 25, "B/b1": 7, "B/b2": 30}
    # The commune's view (its schools and its total) and the province's view (every school and the
    # province's total), each protected on its own:
    commune_view = protect_table([[3], [25]])
    province_view = protect_table([[3], [25], [7], [30]])
    assert commune_view.cells == [[SUPPRESSED], [HIDDEN]] and commune_view.column_totals == [28]
    assert province_view.cells[1] == [25]  # the province hid b1 instead: 28 - 25 = 3
    # One pattern over the whole hierarchy:
    values, equations = province_table(
        {name: {"m1": n} for name, n in schools.items()}, months=["m1"], terms={"t1": ["m1"]}
    )
    pattern = protect(values, equations)
    view = {cell: pattern.shown(cell) for cell in values}
    assert view[("A/a1", "m1")] == SUPPRESSED
    assert pinned_by_lp(view, equations, cap_of(values)) == []
    assert pinned_exhaustively(view, equations, values, cap_of(values)) == []


def test_a_month_cannot_be_worked_out_from_its_term():
    values, equations = province_table(
        {"A/a1": {"m1": 3, "m2": 10, "m3": 20}, "A/a2": {"m1": 30, "m2": 30, "m3": 30}},
        months=["m1", "m2", "m3"],
        terms={"t1": ["m1", "m2", "m3"]},
    )
    pattern = protect(values, equations)
    view = {cell: pattern.shown(cell) for cell in values}
    assert view[("A/a1", "m1")] == SUPPRESSED
    hidden_months = [m for m in ("m1", "m2", "m3") if view[("A/a1", m)] in (SUPPRESSED, HIDDEN)]
    assert len(hidden_months) >= 2 or view[("A/a1", "t1")] == HIDDEN
    assert pinned_by_lp(view, equations, cap_of(values)) == []
    assert pinned_exhaustively(view, equations, values, cap_of(values)) == []


def test_a_stock_term_is_its_last_month_and_hides_with_it():
    # Children on the portal: the term shows the last month, so it is hidden wherever that month is.
    rows, columns = ["C", "s1", "s2"], ["t1", "m1", "m2"]
    values = {("s1", "m1"): 8, ("s1", "m2"): 3, ("s2", "m1"): 20, ("s2", "m2"): 21}
    for month in ("m1", "m2"):
        values[("C", month)] = values[("s1", month)] + values[("s2", month)]
    for row in rows:
        values[(row, "t1")] = values[(row, "m2")]
    equations = hierarchy_equations(
        rows=rows, columns=columns, row_children={"C": ["s1", "s2"]}, column_children={"t1": ["m2"]}
    )
    pattern = protect(values, equations)
    assert pattern.shown(("s1", "m2")) == pattern.shown(("s1", "t1")) == SUPPRESSED
    assert pattern.shown(("s1", "m1")) == 8  # a stock's months do not add up: nothing to hide there
    view = {cell: pattern.shown(cell) for cell in values}
    assert pinned_by_lp(view, equations, cap_of(values)) == []


# --- An attacker with everything an officer can see --------------------------------------------------


def test_the_attacker_finds_a_count_that_only_primary_suppression_hides():
    cells = [[3, 10, 20], [30, 30, 30]]
    truth = flat_truth(cells)
    view = {cell: small(value) for cell, value in truth.items()}  # no second cell hidden
    assert pinned_by_lp(view, flat_equations(2, 3), cap_of(truth)) == [(0, 0)]
    assert pinned_exhaustively(view, flat_equations(2, 3), truth, cap_of(truth)) == [(0, 0)]


SMALLISH = [0, 0, 1, 2, 3, 4, 5, 6, 7, 9, 12, 20]


def test_no_hidden_cell_of_small_random_tables_can_be_worked_out():
    rng = random.Random(20261204)
    hidden_seen = 0
    for _table in range(200):
        height, width = rng.randint(1, 3), rng.randint(1, 3)
        cells = [[rng.choice(SMALLISH) for _c in range(width)] for _r in range(height)]
        table = protect_table(cells)
        view = flat_view(table)
        truth = flat_truth(cells)
        for cell, value in truth.items():  # a visible cell is its true value; zeros and small ones never hidden wrong
            if view[cell] not in (SUPPRESSED, HIDDEN):
                assert view[cell] == value
            assert (view[cell] == SUPPRESSED) == (0 < value < 5)
        equations = flat_equations(height, width)
        hidden_seen += len(hidden_in(view))
        assert pinned_by_lp(view, equations, cap_of(truth)) == [], cells
        assert pinned_exhaustively(view, equations, truth, cap_of(truth)) == [], cells
    assert hidden_seen > 200  # the loop did meet hidden cells


def test_no_hidden_cell_of_random_provinces_can_be_worked_out_from_all_their_views():
    rng = random.Random(4)
    months, terms = ["m1", "m2", "m3", "m4"], {"t1": ["m1", "m2"], "t2": ["m3", "m4"]}
    for _province in range(40):
        names = [f"{commune}/{n}" for commune in "AB"[: rng.randint(1, 2)] for n in range(rng.randint(1, 3))]
        schools = {name: {m: rng.choice(SMALLISH) for m in months} for name in names}
        values, equations = province_table(schools, months=months, terms=terms)
        pattern = protect(values, equations)
        view = {cell: pattern.shown(cell) for cell in values}
        assert pinned_by_lp(view, equations, cap_of(values)) == [], schools
        if _province < 10:
            assert pinned_exhaustively(view, equations, values, cap_of(values)) == [], schools


def test_counts_pinned_by_their_own_lines_are_reported_and_do_not_blank_the_table():
    # Four months of 1 under a term of 4: four "< 5" that sum to a "< 5" can only be 1 each, whatever else
    # is hidden, because zeros are shown. Hiding more would blank the province and protect nothing.
    months = ["m1", "m2", "m3", "m4", "m5"]
    schools = {
        "A/a1": dict(zip(months, [1, 1, 0, 1, 1], strict=True)),
        "A/a2": dict(zip(months, [30, 31, 32, 33, 34], strict=True)),
        "A/a3": dict(zip(months, [40, 41, 42, 43, 44], strict=True)),
        "B/b1": dict(zip(months, [50, 51, 52, 53, 54], strict=True)),
        "B/b2": dict(zip(months, [60, 61, 62, 63, 64], strict=True)),
    }
    values, equations = province_table(schools, months=months, terms={"t1": months})
    pattern = protect(values, equations)
    view = {cell: pattern.shown(cell) for cell in values}
    pinned = {("A/a1", m) for m in ("m1", "m2", "m4", "m5")} | {("A/a1", "t1"), ("A/a1", "Y")}
    assert pattern.unprotectable == pinned
    assert all(view[cell] == SUPPRESSED for cell in pinned) and view[("A/a1", "m3")] == 0
    # The rest of the table is still published, and nothing else can be worked out.
    assert view[("B/b1", "m1")] == 50 and view[("P", "Y")] == sum(values[(s, "Y")] for s in schools)
    assert set(pinned_by_lp(view, equations, cap_of(values))) == pinned
