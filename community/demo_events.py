"""The events part of the demo step "community": Sao Mai's Mid-Autumn festival for the whole school, with
volunteer roles partly filled ("Set up the stage": 6 places, 3 taken), a demonstration lesson in Lá 1 that
several families have answered, and the school's open day three weeks ago with a gallery (a photo of Khôi,
an untagged one, one of two other children of Lá 1). parent@saomai.test has not answered nor signed up
yet, so that the demo can be walked through. Run twice, it adds nothing."""

from __future__ import annotations

import datetime

from django.utils import timezone

from schools.models import Child, Classroom, School, StaffMembership, StaffRole, school_today

FESTIVAL = "Vui Tết Trung thu"
OPEN_DAY = "Ngày hội đến trường"
LESSON = "Tiết dạy mẫu: Bé khám phá đèn ông sao"
ROLES = [
    ("Dựng sân khấu", 6, "Dựng và trang trí sân khấu từ 14:00", 3),
    ("Nấu chè và bày mâm cỗ", 4, "Chuẩn bị mâm cỗ Trung thu cho các lớp", 2),
    ("Chụp ảnh", 2, "", 0),
]
DEMO_PARENT = "parent@saomai.test"


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _guardians(school: School, *, classroom: Classroom | None = None) -> list:
    """Active guardians of the school's children (of a class), the demo parent's household left out."""
    from parents.models import Guardianship

    children = Child.objects.filter(school=school, left_on__isnull=True)
    if classroom is not None:
        children = children.filter(classroom=classroom)
    links = (
        Guardianship.objects.active()
        .filter(child__in=children, guardian__is_active=True)
        .exclude(child__guardianships__guardian__email=DEMO_PARENT)
        .select_related("guardian")
        .order_by("child__full_name", "pk")
    )
    seen, people = set(), []
    for link in links:
        if link.guardian_id not in seen:
            seen.add(link.guardian_id)
            people.append(link.guardian)
    return people


def seed(ctx) -> None:
    from community.models import Event, EventAnswer, EventKind, VolunteerRole, VolunteerSignup

    school = School.objects.filter(slug="sao-mai").first()
    if school is None:
        return
    today = school_today()
    principal = StaffMembership.objects.filter(school=school, role=StaffRole.PRINCIPAL).select_related("user").first()
    la1 = Classroom.objects.filter(school=school, name="Lá 1").first()

    festival_day = today + datetime.timedelta(days=12)
    festival, created = Event.objects.get_or_create(
        school=school,
        title=FESTIVAL,
        defaults={
            "kind": EventKind.FESTIVAL,
            "starts_at": _at(festival_day, 16, 30),
            "ends_at": _at(festival_day, 19, 30),
            "place": "Sân trường Sao Mai",
            "programme": "16:30 Đón bé và gia đình\n17:00 Văn nghệ của các lớp\n18:00 Rước đèn quanh sân trường\n"
            "18:45 Phá cỗ Trung thu",
            "whole_school": True,
            "created_by": principal.user if principal else None,
        },
    )
    # The families' answers and sign-ups are drawn once, with the event: later steps change the families.
    if created:
        families = _guardians(school)
        taken = 0
        for name, slots, description, filled in ROLES:
            role = VolunteerRole.objects.create(
                event=festival, name=name, school=school, slots=slots, description=description
            )
            VolunteerSignup.objects.bulk_create(
                [VolunteerSignup(role=role, guardian=g, school=school) for g in families[taken : taken + filled]]
            )
            taken += filled
        EventAnswer.objects.bulk_create(
            [
                EventAnswer(event=festival, guardian=g, school=school, coming=True, people=ctx.rng.choice([2, 3, 4]))
                for g in families[:8]
            ]
        )

    if la1 is None:
        return
    teacher = StaffMembership.objects.filter(school=school, user__email="teacher@saomai.test").select_related("user")
    seed_open_day(ctx, school=school, teacher=teacher.first().user if teacher.exists() else None, la1=la1)
    lesson_day = today + datetime.timedelta(days=4)
    lesson, created = Event.objects.get_or_create(
        school=school,
        title=LESSON,
        defaults={
            "kind": EventKind.DEMONSTRATION_LESSON,
            "starts_at": _at(lesson_day, 8, 30),
            "ends_at": _at(lesson_day, 9, 15),
            "place": "Phòng học lớp Lá 1",
            "programme": "Hoạt động khám phá: bé cùng cô làm đèn ông sao. Mời ba mẹ đến dự và cùng làm với bé.",
            "created_by": teacher.first().user if teacher.exists() else None,
        },
    )
    if not created:
        return
    lesson.classrooms.set([la1], through_defaults={"school": school})
    answers = []
    for n, guardian in enumerate(_guardians(school, classroom=la1)[:6]):
        coming = n != 4
        people = (1 if n % 2 else 2) if coming else 0
        answers.append(EventAnswer(event=lesson, guardian=guardian, school=school, coming=coming, people=people))
    EventAnswer.objects.bulk_create(answers)


def _lantern_picture(path, *, rng, caption: str):
    """A drawn photo of the day (lanterns on a yard): the demo ships no photos of real children."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 420), (250, 240, 215))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 300, 640, 420), fill=(200, 170, 120))
    for _n in range(7):
        x, y = rng.randint(30, 600), rng.randint(40, 240)
        colour = rng.choice([(220, 40, 40), (240, 170, 30), (230, 90, 150), (60, 140, 220)])
        draw.ellipse((x - 28, y - 22, x + 28, y + 22), fill=colour, outline=(90, 40, 20), width=3)
        draw.line((x, y - 22, x, y - 50), fill=(90, 40, 20), width=2)
    draw.text((20, 380), caption, fill=(60, 40, 20))
    image.save(path, "JPEG", quality=80)
    return path


def seed_open_day(ctx, *, school, teacher, la1) -> None:
    """Three weeks ago: the school's open day, with a gallery of three photos. One shows Khôi (seen by
    his family while his guardians consent to shared galleries), one is untagged (the staff's only), one
    shows two children of Lá 1."""
    import tempfile
    from pathlib import Path

    from community.models import Event, EventKind, EventPhoto
    from mediafiles import services as media_services

    day = school_today() - datetime.timedelta(days=21)
    event, created = Event.objects.get_or_create(
        school=school,
        title=OPEN_DAY,
        defaults={
            "kind": EventKind.FESTIVAL,
            "starts_at": _at(day, 7, 30),
            "ends_at": _at(day, 10, 30),
            "place": "Sân trường Sao Mai",
            "programme": "Đón bé, tham quan lớp học, văn nghệ chào năm học mới.",
            "whole_school": True,
        },
    )
    if not created or teacher is None or la1 is None:
        return
    children = list(Child.objects.filter(classroom=la1, left_on__isnull=True).order_by("full_name"))
    khoi = next((c for c in children if c.full_name == "Nguyễn Minh Khôi"), None)
    others = [c for c in children if c is not khoi][:2]
    scratch = Path(tempfile.mkdtemp(prefix="demo-events-"))
    for n, (caption, tagged) in enumerate(
        [("Bé Khôi rước đèn", [khoi] if khoi else []), ("Sân khấu trước giờ diễn", []), ("Lá 1 múa lân", others)]
    ):
        path = _lantern_picture(scratch / f"ngay-hoi-{n}.jpg", rng=ctx.rng, caption=caption)
        try:
            media = media_services.media_ingest(school=school, by=teacher, kind="image", path=path)
        finally:
            path.unlink(missing_ok=True)
        photo = EventPhoto.objects.create(school=school, event=event, media=media, caption=caption, added_by=teacher)
        photo.children.set(tagged, through_defaults={"school": school})
    scratch.rmdir()
