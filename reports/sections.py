"""Report sections: each app gives its figures through a module of a fixed name, `report_sections`.

Reports find the module in every installed app with `autodiscover_modules("report_sections")`, the way
the admin finds `admin.py`; no app imports `reports`, and `reports` never reads another app's tables.
Removing an app removes its section.

The contract of `<app>/report_sections.py` (plain data only):

    ORDER = 30                                   # where the section goes in a report
    TITLE = _("Home activities")                 # a lazy translated title
    METRICS = [                                  # what the section counts
        {"key": "posted", "label": _("Activities posted"), "kind": "count"},
        ...
    ]
    RATES = [                                    # optional: rates shown as percentages of two metrics
        {"key": "answer_rate", "label": _("Answer rate"), "numerator": "answered",
         "denominator": "expected", "target": (60, 70)},   # target: optional (low, high) band in %
    ]
    BREAKDOWN = _("Class")                       # optional: what the groups below are (a class, a campaign)

    def figures(*, school_ids: list[int], start: datetime.date, end: datetime.date):
        '''Yield (school_id, group, metric_key, value) for the days start..end (both included).

        group is "" for the whole school, or a label inside the school (a class's name, a campaign's
        title, never a person's). value is an int: a count, or đồng for "money".'''

The kinds of metric:
- "count": things that happen in the period (activities posted, answers given). A term is the sum
  of its months, a commune the sum of its schools.
- "stock": a state at the end of the period (children on the portal, children per growth class).
  A term takes its last month; a commune still sums its schools.
- "money": đồng received or spent in the period; summed like a count, never suppressed (no person
  is counted), and never broken down by a person.

Counts shown outside the school go through `coordination.lib.disclosure`: 1 to 4 shows as "< 5", and
enough other cells are hidden that no hidden one can be worked out from what is shown.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.utils.module_loading import autodiscover_modules

logger = logging.getLogger(__name__)

MODULE_NAME = "report_sections"
KINDS = ("count", "stock", "money")


@dataclass(frozen=True)
class Metric:
    key: str
    label: Any
    kind: str = "count"


@dataclass(frozen=True)
class Rate:
    key: str
    label: Any
    numerator: str
    denominator: str
    target: tuple[int, int] | None = None


@dataclass(frozen=True)
class Section:
    key: str  # the app's label
    title: Any
    order: int
    metrics: tuple[Metric, ...]
    rates: tuple[Rate, ...] = ()
    breakdown: Any = ""
    figures: Any = field(default=None, compare=False, repr=False)

    def metric(self, key: str) -> Metric:
        return next(metric for metric in self.metrics if metric.key == key)


def _section_from(label: str, module) -> Section:
    metrics = tuple(
        Metric(key=item["key"], label=item["label"], kind=item.get("kind", "count")) for item in module.METRICS
    )
    for metric in metrics:
        if metric.kind not in KINDS:
            raise ValueError(f"{label}.report_sections: metric {metric.key!r} has kind {metric.kind!r}")
    keys = {metric.key for metric in metrics}
    rates = []
    for item in getattr(module, "RATES", ()):
        if item["numerator"] not in keys or item["denominator"] not in keys:
            raise ValueError(f"{label}.report_sections: rate {item['key']!r} names a metric it does not have")
        rates.append(
            Rate(
                key=item["key"],
                label=item["label"],
                numerator=item["numerator"],
                denominator=item["denominator"],
                target=tuple(item["target"]) if item.get("target") else None,
            )
        )
    return Section(
        key=label,
        title=module.TITLE,
        order=getattr(module, "ORDER", 50),
        metrics=metrics,
        rates=tuple(rates),
        breakdown=getattr(module, "BREAKDOWN", ""),
        figures=module.figures,
    )


_discovered = False
_by_modules: dict[tuple, list[Section]] = {}


def sections() -> list[Section]:
    """Every installed app's section, in order.

    The modules are looked for once per process, and the sections made once per set of modules: a page
    asks for them on every request."""
    global _discovered
    if not _discovered:
        autodiscover_modules(MODULE_NAME)
        _discovered = True
    found = []
    for config in apps.get_app_configs():
        module = sys.modules.get(f"{config.name}.{MODULE_NAME}")
        if module is not None and hasattr(module, "figures"):
            found.append((config.label, module))
    key = tuple((label, id(module), id(module.figures)) for label, module in found)
    if key not in _by_modules:
        made = [_section_from(label, module) for label, module in found]
        _by_modules.clear()  # only the latest set is kept (tests swap modules in)
        _by_modules[key] = sorted(made, key=lambda section: (section.order, section.key))
    return list(_by_modules[key])


def section_figures(section: Section, *, school_ids: list[int], start, end) -> Iterable[tuple[int, str, str, int]]:
    """One section's figures, checked: a metric it does not declare is an error of that app."""
    keys = {metric.key for metric in section.metrics}
    for school_id, group, key, value in section.figures(school_ids=school_ids, start=start, end=end):
        if key not in keys:
            raise ValueError(f"{section.key}.report_sections gave an undeclared metric {key!r}")
        yield school_id, group or "", key, int(value)
