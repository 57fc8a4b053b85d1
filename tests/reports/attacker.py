"""A reader who tries to work out hidden counts from everything they may see of one table.

They know every published equation (a total is the sum of its parts), every visible value, and what the
markers mean: "< 5" is 1 to 4, "x" is 5 or more (zeros are never hidden). Two ways: linear programming
(the least and the most each hidden cell can be), and an exhaustive search over whole numbers.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import linprog

from coordination.lib.disclosure import HIDDEN, SUPPRESSED


def _system(view: dict, equations):
    hidden = sorted((cell for cell, shown in view.items() if shown in (SUPPRESSED, HIDDEN)), key=repr)
    index = {cell: i for i, cell in enumerate(hidden)}
    rows = []
    for total, parts in equations:
        terms = {}
        for cell, coef in [(total, 1), *((part, -1) for part in parts)]:
            terms[cell] = terms.get(cell, 0) + coef
        const, unknown = 0, []
        for cell, coef in terms.items():
            if not coef:
                continue
            if cell in index:
                unknown.append((cell, coef))
            else:
                const += coef * view[cell]
        if unknown:
            rows.append((const, unknown))
    return hidden, index, rows


def _bounds(shown, cap):
    return (1, 4) if shown == SUPPRESSED else (5, cap)


def lp_ranges(view: dict, equations, cap: int) -> dict:
    """(least, most) of every hidden cell, by linear programming."""
    hidden, index, rows = _system(view, equations)
    if not hidden:
        return {}
    matrix = np.zeros((max(len(rows), 1), len(hidden)))
    rhs = np.zeros(max(len(rows), 1))
    for r, (const, unknown) in enumerate(rows):
        for cell, coef in unknown:
            matrix[r, index[cell]] += coef
        rhs[r] = -const
    bounds = [_bounds(view[cell], cap) for cell in hidden]
    found = {}
    for cell in hidden:
        objective = np.zeros(len(hidden))
        objective[index[cell]] = 1
        low = linprog(objective, A_eq=matrix, b_eq=rhs, bounds=bounds, method="highs")
        high = linprog(-objective, A_eq=matrix, b_eq=rhs, bounds=bounds, method="highs")
        assert low.status == 0, "the published table has no solution"
        found[cell] = (low.x[index[cell]], high.x[index[cell]] if high.status == 0 else float("inf"))
    return found


def pinned_by_lp(view: dict, equations, cap: int) -> list:
    return [cell for cell, (low, high) in lp_ranges(view, equations, cap).items() if high - low < 1 - 1e-6]


def pinned_exhaustively(view: dict, equations, truth: dict, cap: int) -> list:
    """The hidden cells for which no whole-number solution gives another value than the true one."""
    hidden, _index, rows = _system(view, equations)
    domain = {cell: _bounds(view[cell], cap) for cell in hidden}

    def solve(assign: dict) -> bool:
        assign = dict(assign)
        changed = True
        while changed:
            changed = False
            for const, unknown in rows:
                known = const + sum(coef * assign[cell] for cell, coef in unknown if cell in assign)
                left = [(cell, coef) for cell, coef in unknown if cell not in assign]
                if not left:
                    if known:
                        return False
                elif len(left) == 1:
                    cell, coef = left[0]
                    value = -known * coef  # coef is 1 or -1
                    low, high = domain[cell]
                    if not low <= value <= high:
                        return False
                    assign[cell] = value
                    changed = True
                else:
                    least = sum(coef * (domain[c][0] if coef > 0 else domain[c][1]) for c, coef in left)
                    most = sum(coef * (domain[c][1] if coef > 0 else domain[c][0]) for c, coef in left)
                    if not least <= -known <= most:
                        return False
        free = [cell for cell in hidden if cell not in assign]
        if not free:
            return True
        cell = free[0]
        low, high = domain[cell]
        guess = truth[cell]
        candidates = sorted(range(low, high + 1), key=lambda v: abs(v - guess))
        return any(solve({**assign, cell: value}) for value in candidates)

    pinned = []
    for cell in hidden:
        low, high = domain[cell]
        others = sorted((v for v in range(low, high + 1) if v != truth[cell]), key=lambda v: abs(v - truth[cell]))
        if not any(solve({cell: value}) for value in others):
            pinned.append(cell)
    return pinned
