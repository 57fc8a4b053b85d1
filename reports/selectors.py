"""Reads for the school's report and the submitted term reports, each scoped by the person asking.

The report reads a fixed number of queries whatever the number of figures and sections: the school, and
the period's figure rows in one query.
"""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from reports import periods, policies
from reports.models import AreaFigure, Figure, Submission, SubmissionEvent
from reports.report import SchoolReport, report_build, report_from_snapshot, report_protected
from reports.sections import sections
from schools.models import School, school_today

YEARS_OFFERED = 3  # school years offered in the period picker, the current one first


def school_for_report(*, user, slug: str) -> School:
    """The school whose report this person may read; 404 for anyone else, like the rest of the portal."""
    school = School.objects.select_related("authority").filter(slug=slug).first()
    if school is None or not policies.can_view_school_report(user, school.pk):
        raise Http404
    return school


def default_period(today: datetime.date | None = None) -> periods.Period:
    return periods.term_of(today or school_today())


def period_choices(today: datetime.date | None = None) -> list[tuple[str, list[tuple[str, str]]]]:
    """The periods to pick from, grouped by school year: the year, its two terms, its months."""
    today = today or school_today()
    current = periods.year_start_of(today)
    choices = []
    for year_start in range(current, current - YEARS_OFFERED, -1):
        year = periods.year_period(year_start)
        options = [(year.key, str(year.label))]
        for term in periods.children_of(year):
            options.append((term.key, str(term.label)))
            options += [(month.key, str(month.label)) for month in periods.children_of(term) if month.start <= today]
        choices.append((str(year.label), options))
    return choices


def school_report(*, school: School, period: periods.Period) -> SchoolReport:
    """The school's report for the period, from the summary figures (one query)."""
    rows = Figure.objects.filter(school=school, month__in=period.months()).values_list(
        "section", "metric", "group", "month", "value", "computed_at"
    )
    return report_build(school_name=school.name, period=period, section_list=sections(), figure_rows=rows)


def is_current(period: periods.Period, today: datetime.date | None = None) -> bool:
    today = today or school_today()
    return period.start <= today <= period.end


# --- Submitted term reports


def submissions_of_school(*, user, school: School) -> list[Submission]:
    if not policies.can_view_school_report(user, school.pk):
        raise Http404
    return list(
        Submission.objects.filter(school=school)
        .select_related("submitted_by", "acknowledged_by")
        .order_by("-year_start", "-term")
    )


def submission_of_term(*, school: School, period: periods.Period) -> Submission | None:
    return Submission.objects.filter(school=school, year_start=period.year_start, term=period.term).first()


def submissions_for_officer(*, user) -> list[Submission]:
    """The reports submitted to the person's authorities, and, for a province, to its communes."""
    ids = policies.officer_authority_ids(user)
    if not ids:
        return []
    return list(
        Submission.objects.filter(Q(authority_id__in=ids) | Q(authority__province_id__in=ids))
        .select_related("school", "authority")
        .order_by("-status", "-submitted_at", "-pk")  # waiting ("submitted") before acknowledged
    )


def submission_for(*, user, submission_id: int, check=policies.can_view_submission) -> Submission:
    """One submission, if the person passes `check`; 404 otherwise."""
    submission = (
        Submission.objects.select_related("school", "authority", "submitted_by", "acknowledged_by")
        .filter(pk=submission_id)
        .first()
    )
    if submission is None or not check(user, submission):
        raise Http404
    return submission


def submission_report(*, user, submission: Submission) -> SchoolReport:
    """The submitted figures as this person may read them: as they are for the school, protected outside."""
    report = report_from_snapshot(submission.snapshot, section_list=sections())
    if policies.reads_as_officer(user, submission):
        report_protected(report, hidden_outside=dashboard_hidden(school_id=submission.school_id, period=report.period))
    return report


def dashboard_hidden(*, school_id: int, period: periods.Period) -> set[tuple[str, str]]:
    """The school's figures the authorities' dashboard hides for the period: an officer who reads the school's
    submitted report must not find them there, or put side by side with the dashboard they would give away the
    small counts the dashboard hides. One query."""
    return set(
        AreaFigure.objects.filter(
            school_id=school_id, period=period.key, row_kind=AreaFigure.Row.SCHOOL, shown__gt=""
        ).values_list("section", "metric")
    )


def submission_events(*, submission: Submission) -> list[SubmissionEvent]:
    return list(SubmissionEvent.objects.filter(submission=submission).select_related("by").order_by("at", "pk"))


def local_now() -> datetime.datetime:
    return timezone.localtime(timezone.now(), timezone.get_default_timezone())
