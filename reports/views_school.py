"""The school's report (page, PDF, XLSX) and its submitted term reports: thin views over the selectors and
services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coordination.lib.forms import errors_to_form
from reports import charts, exporting, periods, policies, selectors, services
from reports.forms import CommentForm, SubmissionForm
from reports.report import freshness

GET = ["GET", "HEAD"]


def _period(request, *, terms_only: bool = False) -> tuple[periods.Period | None, str]:
    """The period asked for (`?period=`), the current term by default; or a message saying what is wrong."""
    key = (request.POST.get("period") if request.method == "POST" else None) or request.GET.get("period", "")
    if not key:
        return selectors.default_period(), ""
    try:
        period = periods.parse(key.strip())
    except ValueError:
        return None, _("“%(key)s” is not a period the report knows. Choose one from the list.") % {"key": key[:20]}
    if terms_only and period.kind != periods.TERM:
        return None, _("A report is submitted for a term. Choose term I or term II.")
    return period, ""


@login_required
@require_http_methods(GET)
def school_report(request, slug: str):
    school = selectors.school_for_report(user=request.user, slug=slug)
    period, problem = _period(request)
    context = {"school": school, "choices": selectors.period_choices(), "problem": problem, "period": period}
    if period is None:
        return render(request, "reports/school.html", context, status=400)
    report = selectors.school_report(school=school, period=period)
    charts.report_charts_draw(report)
    context.update(
        report=report,
        freshness=freshness(report.computed_at, now=timezone.now()) if selectors.is_current(period) else "",
        submission=selectors.submission_of_term(school=school, period=period) if period.kind == periods.TERM else None,
        can_submit=period.kind == periods.TERM and policies.can_submit(request.user, school.pk),
    )
    return render(request, "reports/school.html", context)


def _export(request, slug: str, kind: str):
    school = selectors.school_for_report(user=request.user, slug=slug)
    period, problem = _period(request)
    if period is None:
        return HttpResponse(problem, status=400, content_type="text/plain; charset=utf-8")
    report = selectors.school_report(school=school, period=period)
    if kind == "pdf":
        body, content_type = exporting.report_pdf(report), "application/pdf"
    else:
        body, content_type = exporting.report_xlsx(report), exporting.XLSX_TYPE
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="report-{school.slug}-{period.key}.{kind}"'
    return response


@login_required
@require_http_methods(GET)
def school_report_pdf(request, slug: str):
    return _export(request, slug, "pdf")


@login_required
@require_http_methods(GET)
def school_report_xlsx(request, slug: str):
    return _export(request, slug, "xlsx")


@login_required
@require_http_methods([*GET, "POST"])
def submission_new(request, slug: str):
    """A leader submits the report of a term to the school's authority, with a cover note."""
    school = selectors.school_for_report(user=request.user, slug=slug)
    period, problem = _period(request, terms_only=True)
    existing = selectors.submission_of_term(school=school, period=period) if period else None
    form = SubmissionForm(request.POST or None, initial={"cover_note": existing.cover_note if existing else ""})
    if problem:
        form.is_valid()
        form.add_error(None, problem)
    elif request.method == "POST" and form.is_valid():
        try:
            submission = services.submission_submit(
                by=request.user,
                school=school,
                year_start=period.year_start,
                term=period.term,
                cover_note=form.cleaned_data["cover_note"],
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The report is submitted to %(authority)s.") % {"authority": school.authority})
            return redirect("reports:submission", submission.pk)
    failed = request.method == "POST" or bool(problem)
    # Said before the form is filled in, not only when it is sent: a term without figures is not submitted.
    empty = period is not None and not selectors.school_report(school=school, period=period).has_data
    context = {"school": school, "period": period, "form": form, "existing": existing, "empty": empty}
    return render(request, "reports/submission_new.html", context, status=400 if failed else 200)


@login_required
@require_http_methods(GET)
def school_submissions(request, slug: str):
    school = selectors.school_for_report(user=request.user, slug=slug)
    submissions = selectors.submissions_of_school(user=request.user, school=school)
    return render(request, "reports/school_submissions.html", {"school": school, "submissions": submissions})


@login_required
@require_http_methods(GET)
def submitted_list(request):
    """The reports submitted to the officer's authority (a province's officer: to its communes)."""
    if not policies.reads_submissions(request.user):
        raise Http404
    return render(
        request, "reports/submission_list.html", {"submissions": selectors.submissions_for_officer(user=request.user)}
    )


def _submission_page(request, submission, *, comment_form=None, status=200):
    user = request.user
    report = selectors.submission_report(user=user, submission=submission)
    charts.report_charts_draw(report)
    context = {
        "submission": submission,
        "school": submission.school,
        "period": periods.term_period(submission.year_start, submission.term),
        "report": report,
        "events": selectors.submission_events(submission=submission),
        "officer": policies.reads_as_officer(user, submission),
        "can_acknowledge": policies.can_acknowledge(user, submission) and not submission.is_acknowledged,
        "can_resubmit": policies.can_resubmit(user, submission),
        "comment_form": (comment_form or CommentForm()) if policies.can_comment(user, submission) else None,
    }
    return render(request, "reports/submission.html", context, status=status)


@login_required
@require_http_methods(GET)
def submission_detail(request, submission_id: int):
    submission = selectors.submission_for(user=request.user, submission_id=submission_id)
    services.submission_open(by=request.user, submission=submission)
    return _submission_page(request, submission)


@login_required
@require_POST
def submission_acknowledge(request, submission_id: int):
    submission = selectors.submission_for(
        user=request.user, submission_id=submission_id, check=policies.can_acknowledge
    )
    services.submission_acknowledge(by=request.user, submission=submission)
    messages.success(request, _("The report is acknowledged. The school is told."))
    return redirect("reports:submission", submission.pk)


@login_required
@require_POST
def submission_comment(request, submission_id: int):
    submission = selectors.submission_for(user=request.user, submission_id=submission_id, check=policies.can_comment)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.submission_comment(by=request.user, submission=submission, text=form.cleaned_data["text"])
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Your comment is added. The other side is told."))
            return redirect("reports:submission", submission.pk)
    return _submission_page(request, submission, comment_form=form, status=400)
