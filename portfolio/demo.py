"""The demo's children's works (its step of `seed_demo`: "portfolio").

Every Sao Mai demo child gets a few works from class sittings (three in Lá 1, two elsewhere): a
drawing of the family, a clay animal, a popsicle-stick bridge. The photos are drawn here with Pillow
(different for every work) and taken in through mediafiles like a teacher's upload; only the
children whose guardians agreed to portfolio photos get them, the others' works are recorded without
a photo, as the teacher would. The QR codes are made at once.

parent@saomai.test's Khôi also has a voice note (a few tones made with `wave`, so that it works
without ffmpeg), his mother's consent to voice recordings (the demo's families are given their
consents by the demo, as home activities' demo does for shared photos), and one work whose label was
replaced (a revoked code). His grandmother follows him already (the families' step).

Run again, it adds nothing: a sitting whose title the class already has is left alone.
"""

from __future__ import annotations

import datetime
import math
import random
import struct
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw

from coordination.lib import demo as demo_steps
from mediafiles import services as media_services
from portfolio import policies, services
from portfolio.build import work_qr_build
from portfolio.models import RevokedToken, Work
from schools.models import Child, Classroom, Domain, School, StaffMembership, StaffRole, school_today

STEP = "portfolio"
KHOI = "Nguyễn Minh Khôi"
DEMO_PARENT = "parent@saomai.test"

PALETTE = [(220, 60, 60), (40, 110, 200), (250, 170, 30), (60, 160, 80), (150, 80, 190), (240, 120, 160)]
SIZE = (480, 360)


@dataclass(frozen=True)
class Sitting:
    days_ago: int
    title: str
    domain: str
    subject: str  # what the photos show: family, animal, bridge
    description: str
    teacher_note: str
    only_in: tuple[str, ...] = ()  # the classes that had it; every class when empty


SITTINGS = [
    Sitting(
        19,
        "Bức tranh gia đình của em",
        Domain.AESTHETIC,
        "family",
        "Vẽ bằng bút sáp màu trên giấy A4.",
        "Bé vẽ cả nhà và kể tên từng người. Cô khen bé chọn màu tươi sáng.",
    ),
    Sitting(
        11,
        "Con vật bằng đất nặn",
        Domain.PHYSICAL,
        "animal",
        "Nặn đất sét màu: lăn, xoay, ấn dẹt.",
        "Bàn tay bé khéo léo hơn nhiều: bé tự lăn và ghép các phần của con vật.",
    ),
    Sitting(
        4,
        "Mô hình cây cầu bằng que kem",
        Domain.COGNITIVE,
        "bridge",
        "Hoạt động STEAM: que kem, băng dính, một cốc nước để thử sức chịu của cầu.",
        "Bé thử nhiều cách xếp que để cầu không bị sập và đếm được số que đã dùng.",
        only_in=("Lá 1",),
    ),
]


# --- Pictures and a sound -----------------------------------------------------------------------------


def _picture(path: Path, *, subject: str, rng: random.Random) -> Path:
    """A child's work as a photo would show it: on a coloured paper, shapes and colours of its own."""
    width, height = SIZE
    paper = (rng.randint(225, 255), rng.randint(220, 250), rng.randint(200, 240))
    image = Image.new("RGB", SIZE, paper)
    draw = ImageDraw.Draw(image)
    colours = rng.sample(PALETTE, 4)
    if subject == "family":
        people = rng.randint(3, 5)
        for n in range(people):
            x = 50 + n * (width - 100) // max(people - 1, 1) + rng.randint(-12, 12)
            tall = rng.randint(90, 170)
            top = height - 40 - tall
            draw.ellipse((x - 18, top - 36, x + 18, top), outline=colours[n % 4], width=5)
            draw.line((x, top, x, top + tall * 0.6), fill=colours[n % 4], width=6)
            draw.line((x - 30, top + 30, x + 30, top + 30), fill=colours[n % 4], width=5)
            draw.line((x, top + tall * 0.6, x - 20, height - 40), fill=colours[n % 4], width=5)
            draw.line((x, top + tall * 0.6, x + 20, height - 40), fill=colours[n % 4], width=5)
        sun = rng.randint(20, width - 80)
        draw.ellipse((sun, 15, sun + 55, 70), fill=(250, 200, 30))
    elif subject == "animal":
        body = (rng.randint(90, 160), rng.randint(150, 190))
        span = (rng.randint(150, 220), rng.randint(80, 120))
        draw.ellipse((*body, body[0] + span[0], body[1] + span[1]), fill=colours[0])
        head = (body[0] + span[0] - 20, body[1] - 50)
        draw.ellipse((*head, head[0] + 80, head[1] + 75), fill=colours[1])
        draw.ellipse((head[0] + 45, head[1] + 20, head[0] + 57, head[1] + 32), fill=(30, 30, 30))
        for n in range(4):
            x = body[0] + 25 + n * (span[0] - 50) // 3
            draw.rectangle((x, body[1] + span[1] - 15, x + 16, body[1] + span[1] + 45), fill=colours[2])
        draw.line((body[0], body[1] + 30, body[0] - 40, body[1] - rng.randint(0, 40)), fill=colours[3], width=10)
    else:
        water = rng.randint(250, 290)
        draw.rectangle((0, water, width, height), fill=(120, 180, 230))
        left, right = rng.randint(20, 70), width - rng.randint(20, 70)
        deck = water - rng.randint(50, 90)
        sticks = rng.randint(9, 14)
        for n in range(sticks):
            x = left + n * (right - left) // sticks
            draw.rectangle((x, deck - 10, x + (right - left) // sticks - 3, deck + 6), fill=(215, 170, 110))
        arch = rng.randint(40, 80)
        draw.arc((left, deck - arch, right, deck + arch), 180, 360, fill=colours[0], width=6)
        for x in (left + 10, right - 20):
            draw.rectangle((x, deck, x + 12, water + 10), fill=(180, 130, 80))
        draw.ellipse((width // 2 - 18, deck - 45, width // 2 + 18, deck - 12), fill=colours[1])
    for _ in range(rng.randint(3, 7)):  # the crayon's strokes around
        x, y = rng.randint(0, width), rng.randint(0, height)
        draw.line((x, y, x + rng.randint(-35, 35), y + rng.randint(-25, 25)), fill=rng.choice(PALETTE), width=3)
    image.save(path, "JPEG", quality=80)
    return path


def _voice(path: Path, *, seconds: float = 2.4, rate: int = 16000) -> Path:
    """A short tune of a few tones, as a WAV file (no ffmpeg needed): the demo's stand-in for a child's voice."""
    tones = [392.0, 440.0, 494.0, 523.3]
    frames = bytearray()
    step = int(rate * seconds / len(tones))
    for tone in tones:
        for n in range(step):
            fade = min(1.0, n / 400, (step - n) / 400)
            frames += struct.pack("<h", int(9000 * fade * math.sin(2 * math.pi * tone * n / rate)))
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(bytes(frames))
    return path


# --- Seeding ---------------------------------------------------------------------------------------------


def _recorder(classroom: Classroom, principal):
    """The class's teacher (the first), or the principal where the class has none in the demo."""
    teacher = (
        StaffMembership.objects.filter(
            school_id=classroom.school_id, role=StaffRole.TEACHER, is_active=True, classrooms=classroom
        )
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return teacher.user if teacher is not None else principal


def _day(days_ago: int, classroom: Classroom) -> datetime.date:
    today = school_today()
    return min(today, max(today - datetime.timedelta(days=days_ago), classroom.school_year.starts_on))


def _sitting(classroom: Classroom, sitting: Sitting, *, by, rng: random.Random, scratch: Path) -> int:
    children = list(Child.objects.filter(classroom=classroom, left_on__isnull=True).order_by("pk"))
    if not children:
        return 0
    consented = policies.consented_child_ids([c.pk for c in children], policies.PHOTOS)
    photos = {}
    for child in children:
        if child.pk in consented:
            path = _picture(scratch / f"{classroom.pk}-{child.pk}.jpg", subject=sitting.subject, rng=rng)
            media = media_services.media_ingest(school=classroom.school, by=by, kind="image", path=path)
            path.unlink(missing_ok=True)
            photos[child.pk] = [str(media.pk)]
    recorded = services.works_record(
        classroom=classroom,
        by=by,
        title=sitting.title,
        domain=sitting.domain,
        made_on=_day(sitting.days_ago, classroom),
        description=sitting.description,
        teacher_note=sitting.teacher_note,
        photos_by_child=photos,
        children_without_photo=[c.pk for c in children if c.pk not in photos],
    )
    return len(recorded.works)


def _khoi(school: School, *, scratch: Path, log) -> None:
    """Khôi's voice note (with his mother's consent) and one replaced label."""
    from accounts.models import User
    from parents.models import ConsentPurpose
    from parents.services import consent_record

    khoi = Child.objects.filter(school=school, full_name=KHOI, left_on__isnull=True).first()
    parent = User.objects.filter(email=DEMO_PARENT).first()
    works = list(Work.objects.filter(child=khoi).order_by("made_on", "pk")) if khoi is not None else []
    if not works or parent is None:
        return
    by = _recorder(khoi.classroom, parent)
    if khoi.pk not in policies.consented_child_ids([khoi.pk], policies.VOICE):
        consent_record(guardian=parent, child=khoi, purpose=ConsentPurpose.VOICE_RECORDINGS, granted=True)
    drawing = works[0]
    if drawing.voice_id is None:
        path = _voice(scratch / "giong-khoi.wav")
        media = media_services.media_ingest(school=school, by=by, kind="audio", path=path, filename="giong-khoi.wav")
        services.work_voice_set(work=drawing, by=by, voice=str(media.pk))
        log("portfolio: a voice note for Khôi's drawing")
    if not RevokedToken.objects.filter(work__child=khoi).exists():
        # The label of his clay animal was stuck on a classmate's work: the teacher printed a new one.
        services.work_code_replace(work=works[min(1, len(works) - 1)], by=by)


def seed_portfolio(ctx) -> None:
    school = School.objects.filter(slug="sao-mai").first()
    if school is None:
        return
    principal = (
        StaffMembership.objects.filter(school=school, role=StaffRole.PRINCIPAL, is_active=True)
        .select_related("user")
        .first()
    )
    if principal is None:
        return
    rooms = Classroom.objects.filter(school=school, school_year__is_current=True)
    rooms = rooms.select_related("school", "school_year")
    added = 0
    with tempfile.TemporaryDirectory(prefix="demo-portfolio-") as tmp:
        scratch = Path(tmp)
        for classroom in rooms.order_by("name"):
            known = set(Work.objects.filter(classroom=classroom).values_list("title", flat=True).distinct())
            by = _recorder(classroom, principal.user)
            for sitting in SITTINGS:
                if sitting.title in known or (sitting.only_in and classroom.name not in sitting.only_in):
                    continue
                added += _sitting(classroom, sitting, by=by, rng=ctx.rng, scratch=scratch)
        _khoi(school, scratch=scratch, log=ctx.log)
    # The QR codes now, for the label sheet that the next step prints (a worker would do the same;
    # its run after the commit finds them made).
    for work in Work.objects.filter(school=school).only("pk", "token", "qr_token", "qr_png"):
        if not work.qr_ready:
            work_qr_build(work_id=work.pk)
    ctx.log(f"portfolio: {added} works of Sao Mai's children")


def register() -> None:
    demo_steps.register(STEP, seed_portfolio, after=("families",))
