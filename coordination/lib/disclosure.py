"""Counts shown outside a school, protected so that no child can be singled out.

- A count from 1 to 4 is shown as "< 5" (primary suppression); zero is shown.
- Wherever a hidden cell could be worked out from the visible cells and the totals, more cells are
  hidden (secondary suppression), also across what can be put side by side.

(First version: primary suppression only; the secondary suppression lands with the authority dashboard.)
"""

from __future__ import annotations

from dataclasses import dataclass

SUPPRESSED = "< 5"
THRESHOLD = 5


def small(count: int) -> int | str:
    """One count on its own: 1 to 4 would point at children, so it is shown as "< 5"."""
    return SUPPRESSED if 0 < count < THRESHOLD else count


@dataclass
class ProtectedTable:
    cells: list[list[int | str]]
    row_totals: list[int | str]
    column_totals: list[int | str]
    total: int | str


def protect_table(cells: list[list[int]]) -> ProtectedTable:
    """A table of counts with its row and column totals, each shown or hidden ("< 5")."""
    row_totals = [sum(row) for row in cells]
    width = len(cells[0]) if cells else 0
    column_totals = [sum(row[i] for row in cells) for i in range(width)]
    return ProtectedTable(
        cells=[[small(value) for value in row] for row in cells],
        row_totals=[small(value) for value in row_totals],
        column_totals=[small(value) for value in column_totals],
        total=small(sum(row_totals)),
    )
