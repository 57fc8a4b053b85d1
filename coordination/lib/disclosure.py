"""Counts shown outside a school, protected so that no child can be singled out.

- A count from 1 to 4 is shown as "< 5" (primary suppression); zero is shown.
- Wherever a hidden cell could be worked out from the visible cells and the totals, more cells are
  hidden, shown as "x" (secondary suppression). Zeros are never hidden, so whoever reads a table knows
  that a "< 5" is 1 to 4 and an "x" is 5 or more; the checks below assume they know it.
- Tables are protected together with everything they can be put side by side with: a figure is one
  cell of a table whose published equations say "this total is the sum of these cells" (a commune of
  its schools, a province of its communes, a term of its months). One pattern is computed over the
  whole table and every view shows cells of it, so comparing two views gives nothing new.

How: hide the small counts; then, while an equation has exactly one hidden cell (or its hidden cells
are pinned by their bounds, like two "< 5" that sum to 2), hide its smallest non-zero visible cell.
Then check with linear programming that every hidden cell can still take at least two values given
all the equations and the bounds; a cell that cannot gets a neighbour hidden, and the check runs
again. The rounds are bounded; the last resort hides every non-zero cell of the cell's lines.

Some cells no hiding can protect, because zeros are shown: four months of 1 under a term of 4 read as
four "< 5" under a "< 5", and each can only be 1 (four counts of at least 1 that sum to at most 4). Such
a cell is pinned by the bounds of its own lines even with every non-zero cell around it hidden, so
hiding more only blanks the table (and, over a province of thousands of schools, makes one linear
program of the whole table). `protect` finds these cells (`_Table.pinned_whatever_hidden`), leaves them
as "< 5", hides nothing more for them, and reports them in `Pattern.unprotectable`.
"""

from __future__ import annotations

import logging
import math
import random
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

SUPPRESSED = "< 5"  # a count from 1 to THRESHOLD - 1
HIDDEN = "x"  # a count of THRESHOLD or more, hidden so that a small one cannot be worked out
THRESHOLD = 5
MAX_ROUNDS = 12

logger = logging.getLogger(__name__)

Cell = Hashable
# (total, parts): the total is published as the sum of the parts.
Equation = tuple[Cell, tuple[Cell, ...]]


def small(count: int) -> int | str:
    """One count on its own: 1 to 4 would point at children, so it is shown as "< 5"."""
    return SUPPRESSED if 0 < count < THRESHOLD else count


def _is_small(value: int) -> bool:
    return 0 < value < THRESHOLD


@dataclass(frozen=True)
class Pattern:
    """Which cells of one table are hidden; every view of the table reads its cells from here."""

    values: Mapping[Cell, int]
    hidden: frozenset[Cell]
    # Hidden cells that the bounds of their own lines pin, however much else is hidden (see above).
    unprotectable: frozenset[Cell] = frozenset()

    def is_hidden(self, cell: Cell) -> bool:
        return cell in self.hidden

    def shown(self, cell: Cell) -> int | str:
        value = self.values.get(cell, 0)
        if cell in self.hidden:
            return SUPPRESSED if _is_small(value) else HIDDEN
        return value


def bounds_of(shown: int | str, cap: float | None = None) -> tuple[float, float | None]:
    """What a reader knows of a cell from how it is shown."""
    if shown == SUPPRESSED:
        return 1, THRESHOLD - 1
    if shown == HIDDEN:
        return THRESHOLD, cap
    return shown, shown


def hierarchy_equations(
    *,
    rows: Iterable[Cell],
    columns: Iterable[Cell],
    row_children: Mapping[Cell, Sequence[Cell]],
    column_children: Mapping[Cell, Sequence[Cell]] | None = None,
) -> list[Equation]:
    """The equations of a table whose rows (and columns) nest: every parent is the sum of its children.

    A parent with a single child (a stock's term that is its last month) gives "parent = child"."""
    rows, columns = list(rows), list(columns)
    equations: list[Equation] = []
    for parent, children in row_children.items():
        if children:
            equations.extend(((parent, column), tuple((child, column) for child in children)) for column in columns)
    for parent, children in (column_children or {}).items():
        if children:
            equations.extend(((row, parent), tuple((row, child) for child in children)) for row in rows)
    return equations


def protect(values: Mapping[Cell, int], equations: Sequence[Equation], *, suppress: bool = True) -> Pattern:
    """The one suppression pattern of a table: its cells' values and the equations it publishes."""
    values = dict(values)
    for total, parts in equations:
        for cell in (total, *parts):
            values.setdefault(cell, 0)
    if not suppress:
        return Pattern(values, frozenset())
    table = _Table(values, equations)
    hidden = {cell for cell, value in values.items() if _is_small(value)}
    unprotectable: set[Cell] = set()

    def still_exposed() -> list[Cell]:
        found = []
        for cell in table.exposed(hidden):
            if cell in unprotectable:
                continue
            if table.pinned_whatever_hidden(cell):
                unprotectable.add(cell)
            else:
                found.append(cell)
        return found

    def done() -> Pattern:
        if unprotectable:
            logger.warning("%d hidden counts are pinned by their own lines' bounds", len(unprotectable))
        return Pattern(values, frozenset(hidden), frozenset(unprotectable))

    table.secondary(hidden)
    for _round in range(MAX_ROUNDS):
        exposed = still_exposed()
        if not exposed:
            return done()
        for cell in exposed:
            neighbour = table.smallest_visible(hidden, table.by_cell[cell])
            if neighbour is not None:
                hidden.add(neighbour)
            else:
                hidden.update(table.line_of(cell))
        table.secondary(hidden)
    # Last resort: every non-zero cell of each exposed cell's lines, until none is exposed.
    for _round in range(MAX_ROUNDS):
        exposed = still_exposed()
        if not exposed:
            break
        before = len(hidden)
        for cell in exposed:
            hidden.update(table.line_of(cell))
        if len(hidden) == before:
            hidden.update(cell for cell, value in values.items() if value)
    return done()


class _Table:
    """The equations of one table, as rows of coefficients over its cells (total +1, parts -1)."""

    def __init__(self, values: dict[Cell, int], equations: Sequence[Equation]):
        self.values = values
        self.order = {cell: index for index, cell in enumerate(values)}
        self.equations: list[tuple[tuple[Cell, int], ...]] = []
        for total, parts in equations:
            terms: dict[Cell, int] = defaultdict(int)
            terms[total] += 1
            for part in parts:
                terms[part] -= 1
            self.equations.append(tuple((cell, coef) for cell, coef in terms.items() if coef))
        self.by_cell: dict[Cell, list[int]] = defaultdict(list)
        for index, terms in enumerate(self.equations):
            for cell, _coef in terms:
                self.by_cell[cell].append(index)
        # Nothing is more than the sum of every count: an upper bound for an "x" that keeps the LPs bounded.
        self.cap = float(sum(value for value in values.values() if value > 0) + THRESHOLD)
        # A connected set of hidden cells gives the same answer in every round it is left unchanged.
        self._exposed_by_component: dict[frozenset, list[Cell]] = {}

    def smallest_visible(self, hidden: set, equation_ids: Iterable[int]) -> Cell | None:
        candidates = {cell for index in equation_ids for cell, _coef in self.equations[index] if cell not in hidden}
        candidates = [cell for cell in candidates if self.values[cell] > 0]
        if not candidates:
            return None
        return min(candidates, key=lambda cell: (self.values[cell], self.order[cell]))

    def line_of(self, cell: Cell) -> set:
        return {
            member for index in self.by_cell[cell] for member, _coef in self.equations[index] if self.values[member]
        }

    def _pinned_by_bounds(self, index: int, hidden: set) -> bool:
        """Whether the hidden cells of one equation, on their own, leave a single solution."""
        terms = [(cell, coef) for cell, coef in self.equations[index] if cell in hidden]
        known = sum(coef * self.values[cell] for cell, coef in terms)
        low = high = 0.0
        for cell, coef in terms:
            lo, hi = bounds_of(SUPPRESSED if _is_small(self.values[cell]) else HIDDEN, math.inf)
            low += coef * (lo if coef > 0 else hi)
            high += coef * (hi if coef > 0 else lo)
        return known in (low, high)

    def secondary(self, hidden: set) -> None:
        """Hides cells until no equation gives a hidden cell away on its own."""
        queue = set(range(len(self.equations)))
        while queue:
            index = queue.pop()
            count = sum(1 for cell, _coef in self.equations[index] if cell in hidden)
            if count == 0 or (count > 1 and not self._pinned_by_bounds(index, hidden)):
                continue
            neighbour = self.smallest_visible(hidden, [index])
            if neighbour is None:
                continue  # nothing left to hide here; the LP check decides
            hidden.add(neighbour)
            queue.update(self.by_cell[neighbour])
            queue.add(index)

    def exposed(self, hidden: set) -> list[Cell]:
        """The hidden cells that the equations and the bounds pin to one value (by linear programming)."""
        found = []
        seen = {}
        for cells, equation_ids in self._components(hidden):
            key = frozenset(cells)
            if key not in self._exposed_by_component:
                self._exposed_by_component[key] = self._exposed_in(cells, equation_ids, hidden)
            seen[key] = self._exposed_by_component[key]
            found.extend(seen[key])
        self._exposed_by_component = seen
        return sorted(found, key=self.order.__getitem__)

    def pinned_whatever_hidden(self, cell: Cell) -> bool:
        """Whether the cell is pinned even with every non-zero cell within two equations of it hidden.

        Hiding a cell only takes knowledge away, and leaving equations out too, so a cell pinned here is
        pinned in every pattern that shows the zeros."""
        near = set(self.by_cell[cell])
        for index in list(near):
            for member, _coef in self.equations[index]:
                near.update(self.by_cell[member])
        equation_ids = sorted(near)
        members = {member for index in equation_ids for member, _coef in self.equations[index]}
        hidden = {member for member in members if self.values[member]}
        cells = sorted(hidden, key=self.order.__getitem__)
        return cell in self._exposed_in(cells, equation_ids, hidden, only=cell)

    def _components(self, hidden: set) -> list[tuple[list[Cell], list[int]]]:
        parent = {cell: cell for cell in hidden}

        def root(cell):
            while parent[cell] != cell:
                parent[cell] = parent[parent[cell]]
                cell = parent[cell]
            return cell

        touched = []
        for index, terms in enumerate(self.equations):
            members = [cell for cell, _coef in terms if cell in hidden]
            if members:
                touched.append((index, members[0]))
                for other in members[1:]:
                    parent[root(other)] = root(members[0])
        cells_by_root: dict[Cell, list[Cell]] = defaultdict(list)
        for cell in hidden:
            cells_by_root[root(cell)].append(cell)
        equations_by_root: dict[Cell, list[int]] = defaultdict(list)
        for index, member in touched:
            equations_by_root[root(member)].append(index)
        return [
            (sorted(cells, key=self.order.__getitem__), equations_by_root[key]) for key, cells in cells_by_root.items()
        ]

    def _exposed_in(
        self, cells: list[Cell], equation_ids: list[int], hidden: set, *, only: Cell | None = None
    ) -> list[Cell]:
        if not equation_ids:
            return []  # in no equation: only its marker is known
        import numpy as np
        from scipy.optimize import linprog
        from scipy.sparse import coo_array

        column = {cell: position for position, cell in enumerate(cells)}
        entries: dict[tuple[int, int], float] = defaultdict(float)
        rhs = np.zeros(len(equation_ids))
        for row, index in enumerate(equation_ids):
            for cell, coef in self.equations[index]:
                if cell in hidden:
                    entries[(row, column[cell])] += coef
                else:
                    rhs[row] -= coef * self.values[cell]
        # Sparse: a province's connected set can hold thousands of cells, each in two or three equations.
        matrix = coo_array(
            (list(entries.values()), ([r for r, _c in entries], [c for _r, c in entries])),
            shape=(len(equation_ids), len(cells)),
        ).tocsr()
        bounds = [bounds_of(SUPPRESSED if _is_small(self.values[cell]) else HIDDEN, self.cap) for cell in cells]
        truth = np.array([self.values[cell] for cell in cells], dtype=float)

        def solve(objective):
            result = linprog(objective, A_eq=matrix, b_eq=rhs, bounds=bounds, method="highs")
            return result.x if result.status == 0 else None

        # A few vertices in random directions show most cells free at once; the rest get their own min and
        # max, and every vertex found on the way frees whichever cells it moves.
        free = np.zeros(len(cells), dtype=bool)
        rng = random.Random(len(cells) * 7919 + len(equation_ids))
        for _try in range(4 if len(cells) > 2 and only is None else 0):
            point = solve(np.array([rng.uniform(-1, 1) for _cell in cells]))
            if point is not None:
                free |= np.abs(point - truth) > 0.5
        exposed = []
        for position, cell in enumerate(cells):
            if free[position] or (only is not None and cell != only):
                continue
            objective = np.zeros(len(cells))
            objective[position] = 1
            low, high = solve(objective), solve(-objective)
            if low is None or high is None:
                continue
            for point in (low, high):
                free |= np.abs(point - truth) > 0.5
            if high[position] - low[position] < 1 - 1e-6:
                exposed.append(cell)
        return exposed


@dataclass
class ProtectedTable:
    cells: list[list[int | str]]
    row_totals: list[int | str]
    column_totals: list[int | str]
    total: int | str


TOTAL = "total"


def protect_table(cells: list[list[int]], *, rows_add_up: bool = True) -> ProtectedTable:
    """A table of counts with its row and column totals, each shown, "< 5" or "x".

    With `rows_add_up=False` the columns count different things (children, families signed up): only the
    column totals are published; `row_totals` is empty and `total` is ""."""
    height = len(cells)
    width = len(cells[0]) if cells else 0
    values: dict[Cell, int] = {}
    for r, row in enumerate(cells):
        for c, value in enumerate(row):
            values[(r, c)] = value
        if rows_add_up:
            values[(r, TOTAL)] = sum(row)
    for c in range(width):
        values[(TOTAL, c)] = sum(row[c] for row in cells)
    columns = list(range(width))
    if rows_add_up:
        values[(TOTAL, TOTAL)] = sum(sum(row) for row in cells)
        columns.append(TOTAL)
    equations = hierarchy_equations(
        rows=[*range(height), TOTAL],
        columns=columns,
        row_children={TOTAL: list(range(height))},
        column_children={TOTAL: list(range(width))} if rows_add_up else None,
    )
    pattern = protect(values, equations)
    return ProtectedTable(
        cells=[[pattern.shown((r, c)) for c in range(width)] for r in range(height)],
        row_totals=[pattern.shown((r, TOTAL)) for r in range(height)] if rows_add_up else [],
        column_totals=[pattern.shown((TOTAL, c)) for c in range(width)],
        total=pattern.shown((TOTAL, TOTAL)) if rows_add_up else "",
    )
