"""A term's report submitted to the ward: the principal submits and resubmits it, the ward's officer reads
it (small counts as "< 5", never a child's name), acknowledges it and comments, and both sides read its
history. Officers of other areas, teachers and families see nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notifications.models import Notice
from reports import services
from reports.models import Submission, SubmissionEvent
from tests.reports.makers_school import (  # noqa: F401 (autouse fixtures)
    PARTICIPATION_KEY,
    figure,
    read_in_english,
    school_report_sections,
    term_one_figures,
)

pytestmark = pytest.mark.django_db

SUBMIT = "/reports/schools/sao-mai/submit/"
NOTE = "Figures of the first term; two classes still below the target."
NOW = timezone.now() - datetime.timedelta(hours=3)  # in term I of 2026–2027, the terms the figures are for


def _submit(world, *, note=NOTE, now=NOW, by=None, term=1):
    return services.submission_submit(
        by=by or world.principal, school=world.school, year_start=2026, term=term, cover_note=note, now=now
    )


def _kinds(submission) -> list[str]:
    return list(SubmissionEvent.objects.filter(submission=submission).values_list("kind", flat=True))


# --- Submitting


def test_the_principal_submits_the_term_with_a_cover_note(client, world, django_capture_on_commit_callbacks):
    term_one_figures(world.school)
    client.force_login(world.principal)
    page = client.get(SUBMIT, {"period": "2026-t1"})
    assert page.status_code == 200 and "Phường Thủy Nguyên" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SUBMIT, {"period": "2026-t1", "cover_note": NOTE})
    submission = Submission.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/reports/submissions/{submission.pk}/"
    assert submission.authority == world.school.authority and submission.cover_note == NOTE
    assert (submission.year_start, submission.term, submission.status) == (2026, 1, "submitted")
    assert submission.submitted_by == world.principal
    sections = {section["key"]: section for section in submission.snapshot["sections"]}
    metrics = {metric["key"]: metric["value"] for metric in sections[PARTICIPATION_KEY]["metrics"]}
    assert metrics == {"posted": 15, "expected": 60, "answered": 39, "children": 32}
    assert _kinds(submission) == ["submitted"]
    # The ward's officer is told, with the school and the term and nothing more; the province is not.
    notice = Notice.objects.get(recipient=world.officer)
    assert notice.title == "Sao Mai submitted its report for Term I, 2026–2027"
    assert notice.url == f"/reports/submissions/{submission.pk}/"
    assert not Notice.objects.filter(recipient=world.province_officer).exists()


def test_the_snapshot_keeps_what_was_submitted_when_the_figures_change(client, world):
    term_one_figures(world.school)
    submission = _submit(world)
    figure(world.school, "2026-12", PARTICIPATION_KEY, "posted", 40)
    client.force_login(world.officer)
    page = client.get(f"/reports/submissions/{submission.pk}/").content.decode()
    assert '<tr data-metric="posted"><th scope="row">Activities posted</th><td class="num">15</td>' in page


def test_an_empty_cover_note_is_allowed(world):
    term_one_figures(world.school)
    assert _submit(world, note="   ").cover_note == ""


def test_a_term_without_figures_cannot_be_submitted(client, world):
    client.force_login(world.principal)
    response = client.post(SUBMIT, {"period": "2026-t1", "cover_note": NOTE})
    assert response.status_code == 400
    assert "There are no figures for Term I, 2026–2027 yet, so there is nothing to submit." in response.content.decode()
    assert not Submission.objects.exists() and not Notice.objects.exists()


def test_only_a_term_can_be_submitted(client, world):
    term_one_figures(world.school)
    client.force_login(world.principal)
    response = client.post(SUBMIT, {"period": "2026-10", "cover_note": NOTE})
    assert response.status_code == 400 and "A report is submitted for a term." in response.content.decode()
    assert not Submission.objects.exists()


def test_a_term_that_has_not_started_cannot_be_submitted(world):
    term_one_figures(world.school)
    with pytest.raises(ValidationError, match="has not started yet"):
        _submit(world, term=2, now=datetime.datetime(2026, 12, 20, 9, 0, tzinfo=datetime.UTC))


def test_a_cover_note_too_long_is_refused(world):
    term_one_figures(world.school)
    with pytest.raises(ValidationError, match="under 4000 characters"):
        _submit(world, note="x" * 4001)
    assert not Submission.objects.exists()


def test_resubmitting_before_acknowledgement_replaces_the_snapshot_and_is_recorded(
    world, django_capture_on_commit_callbacks
):
    term_one_figures(world.school)
    first = _submit(world)
    figure(world.school, "2026-12", PARTICIPATION_KEY, "posted", 5)
    with django_capture_on_commit_callbacks(execute=True):
        again = _submit(world, note="Corrected: December added.", now=NOW + datetime.timedelta(hours=2))
    assert again.pk == first.pk and Submission.objects.count() == 1
    again.refresh_from_db()
    assert again.cover_note == "Corrected: December added." and again.submitted_at == NOW + datetime.timedelta(hours=2)
    posted = next(m for m in again.snapshot["sections"][0]["metrics"] if m["key"] == "posted")
    assert posted["value"] == 20
    assert _kinds(again) == ["submitted", "resubmitted"]
    assert SubmissionEvent.objects.get(kind="resubmitted").text == "Corrected: December added."
    assert (
        Notice.objects.get(recipient=world.officer).title == "Sao Mai submitted its report for Term I, 2026–2027 again"
    )


def test_an_acknowledged_report_cannot_be_resubmitted(world):
    term_one_figures(world.school)
    submission = _submit(world)
    services.submission_acknowledge(by=world.officer, submission=submission)
    with pytest.raises(ValidationError, match="already acknowledged"):
        _submit(world, note="Changed.")
    submission.refresh_from_db()
    assert submission.cover_note == NOTE and _kinds(submission) == ["submitted", "acknowledged"]


def test_only_the_schools_leaders_submit(world):
    term_one_figures(world.school)
    for person in (world.teacher, world.officer, world.other_principal):
        with pytest.raises(PermissionDenied):
            _submit(world, by=person)
    _submit(world, by=world.vice_principal)


# --- The officer's side


def _small_counts_figures(world):
    """A term where one class's counts are small, and a child's name reaches the figures' groups nowhere."""
    term_one_figures(world.school)


def test_the_officer_reads_small_counts_as_under_five_and_no_childs_name(client, world):
    _small_counts_figures(world)
    submission = _submit(world)
    client.force_login(world.officer)
    page = client.get(f"/reports/submissions/{submission.pk}/").content.decode()
    groups = page.split('data-groups="fake_0"', 1)[1].split("</table>", 1)[0]
    # Chồi 1: 10 expected, 3 answered: the 3 is hidden, and so is the class's rate (30 % of 10 gives it away).
    chồi = groups.split("Chồi 1", 1)[1].split("</tr>", 1)[0]
    assert "&lt; 5" in chồi and ">3<" not in chồi and "30 %" not in chồi
    # Lá 1's 12 answers are hidden too: the school's 15 shown above, less 12, would give the 3 away.
    lá = groups.split("Lá 1", 1)[1].split("</tr>", 1)[0]
    assert ">20<" in lá and ">x<" in lá and ">12<" not in lá and "60 %" not in lá
    assert NOTE in page and "1.500.000" in page  # money is never hidden
    # The chart of the classes draws no bar for a hidden rate: here, neither.
    chart = page.split('aria-labelledby="chart-fake_0-groups-title', 1)[1].split("</svg>", 1)[0]
    assert chart.count('class="bar"') == 0 and "30 %" not in chart and "60 %" not in chart
    for name in world.SAO_MAI_CHILDREN + world.HOA_SEN_CHILDREN:
        assert name not in page


def test_a_small_whole_school_count_and_its_rate_are_hidden_from_the_officer(client, world):
    figure(world.school, "2026-10", PARTICIPATION_KEY, "expected", 3)
    figure(world.school, "2026-10", PARTICIPATION_KEY, "answered", 2)
    figure(world.school, "2026-10", PARTICIPATION_KEY, "posted", 12)
    submission = _submit(world)
    client.force_login(world.officer)
    page = client.get(f"/reports/submissions/{submission.pk}/").content.decode()
    assert '<tr data-metric="answered"><th scope="row">Answers given</th><td class="num">&lt; 5</td>' in page
    assert '<tr data-rate="answer_rate"><th scope="row">Answer rate</th><td class="num">x</td>' in page
    assert '<td class="num">12</td>' in page
    # The school reads its own figures as they are.
    client.force_login(world.principal)
    own = client.get(f"/reports/submissions/{submission.pk}/").content.decode()
    assert '<tr data-metric="answered"><th scope="row">Answers given</th><td class="num">2</td>' in own


def test_a_figure_the_dashboard_hides_is_hidden_in_the_submitted_report_with_its_classes(client, world):
    """Side by side with the dashboard, the school's exact figure in its report would give away what the
    dashboard hides (a commune's total less the other schools'), so the report hides it too."""
    from reports.models import AreaFigure

    term_one_figures(world.school)
    submission = _submit(world)
    authority = world.school.authority
    AreaFigure.objects.create(
        province=authority.province or authority,
        commune=authority,
        school=world.school,
        period="2026-t1",
        row_kind=AreaFigure.Row.SCHOOL,
        section=PARTICIPATION_KEY,
        metric="expected",
        value=60,
        shown="x",
        computed_at=timezone.now(),
    )
    client.force_login(world.officer)
    page = client.get(f"/reports/submissions/{submission.pk}/").content.decode()
    assert '<tr data-metric="expected"><th scope="row">Answers expected</th><td class="num">x</td>' in page
    assert '<tr data-rate="answer_rate"><th scope="row">Answer rate</th><td class="num">x</td>' in page
    groups = page.split('data-groups="fake_0"', 1)[1].split("</table>", 1)[0]
    lá = groups.split("Lá 1", 1)[1].split("</tr>", 1)[0]
    assert ">20<" not in lá and ">x<" in lá
    assert '<td class="num">15</td>' in page  # posted: the dashboard shows it, and so does the report
    # The school reads its own figures as they are.
    client.force_login(world.principal)
    own = client.get(f"/reports/submissions/{submission.pk}/").content.decode()
    assert '<tr data-metric="expected"><th scope="row">Answers expected</th><td class="num">60</td>' in own


def test_the_officer_lists_opens_acknowledges_and_comments(client, world, django_capture_on_commit_callbacks):
    term_one_figures(world.school)
    submission = _submit(world)
    client.force_login(world.officer)
    listing = client.get("/reports/submitted/").content.decode()
    assert "Sao Mai" in listing and "Waiting for acknowledgement" in listing
    client.get(f"/reports/submissions/{submission.pk}/")
    client.get(f"/reports/submissions/{submission.pk}/")  # opened twice: recorded once
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/reports/submissions/{submission.pk}/acknowledge/")
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/reports/submissions/{submission.pk}/acknowledge/")  # twice: harmless
        response = client.post(f"/reports/submissions/{submission.pk}/comment/", {"text": "Thank you, received."})
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == "acknowledged" and submission.acknowledged_by == world.officer
    assert _kinds(submission) == ["submitted", "opened", "acknowledged", "commented"]
    titles = sorted(Notice.objects.filter(recipient=world.principal).values_list("title", flat=True))
    assert titles == [
        "A new comment on the report of Sao Mai for Term I, 2026–2027",
        "Your report for Term I, 2026–2027 is acknowledged",
    ]
    assert Notice.objects.filter(recipient=world.vice_principal).count() == 2
    assert not Notice.objects.filter(recipient=world.teacher).exists()

    # The principal reads the history and the comment, and the report is acknowledged.
    client.force_login(world.principal)
    page = client.get(f"/reports/submissions/{submission.pk}/").content.decode()
    assert 'data-status="acknowledged"' in page and "Thank you, received." in page
    assert 'data-event="opened"' in page and 'data-event="acknowledged"' in page
    assert "Submit this term&#x27;s report again" not in page and "Submit this term's report again" not in page
    report_page = client.get("/reports/schools/sao-mai/", {"period": "2026-t1"}).content.decode()
    assert "acknowledged on" in report_page
    mine = client.get("/reports/schools/sao-mai/submissions/").content.decode()
    assert "Acknowledged" in mine


def test_the_principal_answers_a_comment_and_the_officer_is_told(client, world, django_capture_on_commit_callbacks):
    term_one_figures(world.school)
    submission = _submit(world)
    client.force_login(world.principal)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/reports/submissions/{submission.pk}/comment/", {"text": "December follows next week."})
    assert Notice.objects.filter(recipient=world.officer, title__startswith="A new comment").exists()
    client.force_login(world.officer)
    assert "December follows next week." in client.get(f"/reports/submissions/{submission.pk}/").content.decode()


def test_an_empty_comment_is_refused(client, world):
    term_one_figures(world.school)
    submission = _submit(world)
    client.force_login(world.officer)
    response = client.post(f"/reports/submissions/{submission.pk}/comment/", {"text": "  "})
    assert response.status_code == 400 and "Please write your comment." in response.content.decode()
    assert _kinds(submission) == ["submitted"]


def test_the_provincial_officer_reads_but_does_not_acknowledge(client, world):
    term_one_figures(world.school)
    submission = _submit(world)
    client.force_login(world.province_officer)
    assert "Sao Mai" in client.get("/reports/submitted/").content.decode()
    page = client.get(f"/reports/submissions/{submission.pk}/").content.decode()
    assert "&lt; 5" in page and "Acknowledge the report" not in page and "Add the comment" not in page
    assert client.post(f"/reports/submissions/{submission.pk}/acknowledge/").status_code == 404
    assert client.post(f"/reports/submissions/{submission.pk}/comment/", {"text": "Hi"}).status_code == 404
    submission.refresh_from_db()
    assert submission.status == "submitted"


def test_an_officer_of_another_area_sees_nothing(client, world):
    term_one_figures(world.school)
    submission = _submit(world)
    client.force_login(world.foreign_officer)
    assert "Sao Mai" not in client.get("/reports/submitted/").content.decode()
    assert client.get(f"/reports/submissions/{submission.pk}/").status_code == 404
    assert client.post(f"/reports/submissions/{submission.pk}/acknowledge/").status_code == 404
    with pytest.raises(PermissionDenied):
        services.submission_acknowledge(by=world.foreign_officer, submission=submission)


@pytest.mark.parametrize("persona", ["teacher", "parent", "nurse", "other_principal"])
def test_staff_families_and_other_schools_see_nothing(client, world, persona):
    term_one_figures(world.school)
    submission = _submit(world)
    client.force_login(getattr(world, persona))
    assert client.get(f"/reports/submissions/{submission.pk}/").status_code == 404
    assert client.get("/reports/submitted/").status_code == 404
    assert client.get("/reports/schools/sao-mai/submissions/").status_code == 404


def test_the_leaders_read_the_submissions_in_the_admin_and_change_nothing(client, world):
    term_one_figures(world.school)
    submission = _submit(world)
    client.force_login(world.principal)
    page = client.get(f"/admin/reports/submission/{submission.pk}/change/").content.decode()
    assert NOTE in page and "Submitted" in page
    assert client.get("/admin/reports/submission/add/").status_code == 403
    client.force_login(world.other_principal)
    assert "Sao Mai" not in client.get("/admin/reports/submission/").content.decode()
    assert timezone.now()  # the admin changes nothing: the row is as it was
    assert Submission.objects.get().cover_note == NOTE


# --- Links


def test_the_leaders_home_links_to_the_report_and_the_authority_page_to_the_submitted_reports(client, world):
    client.force_login(world.principal)
    assert 'href="/reports/schools/sao-mai/"' in client.get("/schools/sao-mai/manage/").content.decode()
    client.force_login(world.teacher)
    assert "/reports/schools/" not in client.get("/teacher/").content.decode()
    for officer in (world.officer, world.province_officer):
        client.force_login(officer)
        page = client.get(f"/authorities/{world.school.authority.slug}/").content.decode()
        assert 'href="/reports/submitted/"' in page


def test_the_officers_list_puts_the_reports_waiting_first(client, world):
    term_one_figures(world.school)
    term_one_figures(world.other_school)
    world.other_school.authority = world.school.authority
    world.other_school.save(update_fields=["authority"])
    waiting = _submit(world)
    done = services.submission_submit(
        by=world.other_principal, school=world.other_school, year_start=2026, term=1, now=NOW + datetime.timedelta(1)
    )
    services.submission_acknowledge(by=world.officer, submission=done)
    client.force_login(world.officer)
    page = client.get("/reports/submitted/").content.decode()
    assert page.index(f'data-submission="{waiting.pk}"') < page.index(f'data-submission="{done.pk}"')


def test_the_submitted_report_reads_a_fixed_number_of_queries(client, world):
    term_one_figures(world.school)
    submission = _submit(world)
    client.force_login(world.officer)
    url = f"/reports/submissions/{submission.pk}/"
    client.get(url)  # the first opening is recorded
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(30):
        services.submission_comment(by=world.officer, submission=submission, text=f"Comment {n}")
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_the_form_says_before_submitting_that_a_term_without_figures_has_nothing_to_submit(client, world):
    client.force_login(world.principal)
    page = client.get(SUBMIT, {"period": "2026-t1"}).content.decode()
    assert "There are no figures for Term I, 2026–2027 yet, so there is nothing to submit." in page
    assert "Submit to the authority" not in page
