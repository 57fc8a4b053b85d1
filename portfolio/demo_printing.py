"""The demo's printed outputs: a QR label sheet ready for Lá 1 of Sao Mai, and an album ready for
parent@saomai.test's child Khôi. Both are made from the demo's works (the step "portfolio",
portfolio.demo); without works the step makes nothing. Run again, it adds nothing."""

from __future__ import annotations

from django.db.models import Max, Min

from coordination.lib import demo as demo_steps
from portfolio.layouts import DEFAULT_LAYOUT
from portfolio.models import Album, AlbumScope, LabelSheet, PrintoutState, Work

STEP = "portfolio-printing"


def register() -> None:
    # After the step that records the demo's works (portfolio.demo).
    demo_steps.register(STEP, seed_printouts, after=("portfolio",))


def seed_printouts(ctx) -> None:
    from accounts.models import User
    from portfolio.printing.albums import album_build
    from portfolio.printing.labels import label_sheet_build
    from schools.models import Child, Classroom

    la1 = Classroom.objects.filter(school__slug="sao-mai", school_year__is_current=True, name="Lá 1").first()
    teacher = User.objects.filter(email="teacher@saomai.test").first()
    parent = User.objects.filter(email="parent@saomai.test").first()
    if la1 is None or teacher is None or parent is None:
        ctx.log("portfolio-printing: no Sao Mai demo; nothing printed")
        return
    works = Work.objects.filter(classroom=la1)
    if not works.exists():
        ctx.log("portfolio-printing: Lá 1 has no works yet; no label sheet or album")
        return
    if not LabelSheet.objects.filter(classroom=la1, requested_by=teacher, state=PrintoutState.READY).exists():
        period = works.aggregate(first=Min("made_on"), last=Max("made_on"))
        sheet = LabelSheet.objects.create(
            school_id=la1.school_id,
            classroom=la1,
            layout=DEFAULT_LAYOUT,
            date_from=period["first"],
            date_to=period["last"],
            requested_by=teacher,
            total=works.count(),
        )
        label_sheet_build(sheet_id=sheet.pk)
    khoi = Child.objects.filter(school_id=la1.school_id, full_name="Nguyễn Minh Khôi").first()
    if khoi is None or not Work.objects.filter(child=khoi).exists():
        return
    if not Album.objects.filter(child=khoi, requested_by=parent, state=PrintoutState.READY).exists():
        album = Album.objects.create(school_id=khoi.school_id, child=khoi, scope=AlbumScope.ALL, requested_by=parent)
        album_build(album_id=album.pk)
