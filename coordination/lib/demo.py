"""The demo, assembled from the steps that the apps register.

Each app keeps its demo data in its own `demo.py` and registers a step in its
`AppConfig.ready()`, naming the steps it builds on; `manage.py seed_demo` runs them all in
that order, in one transaction. A step is idempotent: run again, it adds nothing that is
already there. Removing an app removes its part of the demo.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from graphlib import CycleError, TopologicalSorter

# Every demo account's password; the README lists the accounts.
DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 (public on purpose: the demo's accounts)


@dataclass
class DemoContext:
    """What every step gets: a random generator of its own (the same demo each time) and a log."""

    rng: random.Random
    log: Callable[[str], None] = print
    cache: dict = field(default_factory=dict)  # shared between steps, e.g. the password hash


@dataclass(frozen=True)
class DemoStep:
    name: str
    run: Callable[[DemoContext], None]
    after: tuple[str, ...] = ()


class DemoError(Exception):
    pass


_steps: dict[str, DemoStep] = {}


def register(name: str, run: Callable[[DemoContext], None], *, after: tuple[str, ...] = ()) -> DemoStep:
    """Add a step to the demo, run after the named steps."""
    step = DemoStep(name=name, run=run, after=tuple(after))
    known = _steps.get(name)
    if known is not None and known.run is not run:
        raise DemoError(f"two demo steps are called {name!r}")
    _steps[name] = step
    return step


def steps_in_order() -> list[DemoStep]:
    missing = sorted(
        f"{step.name!r} needs {needed!r}" for step in _steps.values() for needed in step.after if needed not in _steps
    )
    if missing:
        raise DemoError("demo steps that no installed app registers: " + "; ".join(missing))
    sorter = TopologicalSorter({name: step.after for name, step in sorted(_steps.items())})
    try:
        order = list(sorter.static_order())
    except CycleError as error:
        raise DemoError(f"demo steps wait for each other: {error.args[1]}") from error
    return [_steps[name] for name in order]


def run_all(*, log: Callable[[str], None] = print) -> list[str]:
    """Run every registered step in order; returns their names."""
    cache: dict = {}
    done = []
    for step in steps_in_order():
        # Each step draws from its own generator, so that adding a step changes no other's data.
        step.run(DemoContext(rng=random.Random(f"demo:{step.name}"), log=log, cache=cache))
        done.append(step.name)
    return done
