"""The demo step "reports", run after every other app's step: the summary figures of this term's months,
built from what the other steps made; Sao Mai's term report submitted to the ward, acknowledged and
commented on by its officer; Hoa Sen's submitted and waiting. Without figures (no app gives a report
section) there is nothing to submit and the step says so. Run twice, it adds nothing."""

from __future__ import annotations

import datetime

from coordination.lib import demo as demo_steps

STEP = "reports"
OFFICER = "district@thuynguyen.test"
SAO_MAI_NOTE = (
    "Kính gửi UBND phường Thủy Nguyên, nhà trường gửi báo cáo học kỳ. Tỉ lệ phụ huynh phản hồi hoạt động "
    "ở nhà đạt mục tiêu; nhà trường tiếp tục vận động các lớp còn thấp."
)
HOA_SEN_NOTE = "Kính gửi UBND phường Thủy Nguyên, nhà trường gửi báo cáo học kỳ để phường nắm tình hình."
OFFICER_COMMENT = "Phường đã nhận báo cáo. Đề nghị nhà trường chia sẻ cách làm của các lớp có tỉ lệ phản hồi cao."


def seed_reports(ctx: demo_steps.DemoContext) -> None:
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from accounts.models import User
    from reports import periods, services
    from reports.area import areas_build
    from reports.building import figures_build
    from reports.models import Figure, Submission
    from schools.models import School, StaffMembership, StaffRole, school_today

    today = school_today()
    term = periods.term_of(today)
    months = [month for month in term.months() if month <= today]
    # Built once: a second run leaves them to the nightly job, so that it adds nothing (the first run's
    # submissions send notices, which would count in the figures of a rebuild).
    if Figure.objects.filter(month__in=months).exists():
        ctx.log("reports: the term's summary figures are already built")
    else:
        written = figures_build(months=months)
        published = areas_build(year_starts=[term.year_start])  # what the officers' dashboards show
        ctx.log(f"reports: {written} summary figures for {len(months)} months, {published} for the authorities")

    officer = User.objects.filter(email=OFFICER).first()
    now = timezone.now()
    plans = [("sao-mai", SAO_MAI_NOTE, True), ("hoa-sen", HOA_SEN_NOTE, False)]
    for slug, note, acknowledged in plans:
        school = School.objects.filter(slug=slug).first()
        principal = StaffMembership.objects.filter(school=school, role=StaffRole.PRINCIPAL, is_active=True).first()
        if school is None or principal is None:
            continue
        if Submission.objects.filter(school=school, year_start=term.year_start, term=term.term).exists():
            continue
        try:
            submission = services.submission_submit(
                by=principal.user,
                school=school,
                year_start=term.year_start,
                term=term.term,
                cover_note=note,
                now=now - datetime.timedelta(days=3),
            )
        except ValidationError as exc:
            ctx.log(f"reports: {school.name} has nothing to submit ({' '.join(exc.messages)})")
            continue
        if acknowledged and officer is not None:
            services.submission_open(by=officer, submission=submission, now=now - datetime.timedelta(days=2))
            services.submission_acknowledge(by=officer, submission=submission, now=now - datetime.timedelta(days=2))
            services.submission_comment(
                by=officer, submission=submission, text=OFFICER_COMMENT, now=now - datetime.timedelta(days=1)
            )
        ctx.log(f"reports: {school.name}'s report for {term.key} submitted")


def register() -> None:
    # After every step the other apps registered: the figures are made from what they made.
    before = tuple(name for name in demo_steps._steps if name != STEP)
    demo_steps.register(STEP, seed_reports, after=before)
