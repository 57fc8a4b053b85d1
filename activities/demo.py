"""A realistic week of home activities for the demo (its step of `seed_demo`: `seed_demo_step`).

This week the teachers of Lá 1 and Chồi 1 and the principal post activities with a
short video (made with ffmpeg when it is there; a photo otherwise; the storytelling
one of Lá 1 also has the teacher's voice instructions), about two thirds
of the families answer with a photo of their child's work, the teachers reply with
stickers and comments, and some answers offered by families are shown to the class.
Five earlier weeks of activities give the principal's chart a history.

Idempotent: an activity whose title the school already has is left alone.
"""

from __future__ import annotations

import datetime
import random
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.utils import timezone
from PIL import Image, ImageDraw

from activities import services, services_library
from activities.models import (
    Activity,
    ActivityClassroom,
    ActivityPhoto,
    ActivityView,
    Answer,
    Commendation,
    LibraryAdoption,
    LibraryEntry,
    Sticker,
)
from mediafiles import ffmpeg
from mediafiles import services as media_services
from parents.models import ConsentPurpose, ConsentRecord, Guardianship
from parents.services import consent_record
from schools.models import Child, Classroom, Domain, School, school_today

# The demo parent answers the two oldest activities of Lá 1 and leaves the rest for the visitor.
DEMO_PARENT = "parent@saomai.test"
DEMO_PARENT2 = "parent2@saomai.test"


@dataclass(frozen=True)
class Plan:
    classes: tuple[str, ...]
    author: str
    days_ago: int
    title: str
    domain: str
    materials: str
    instructions: str
    age_group: str = "la"


WEEK = [
    Plan(
        ("Lá 1",),
        "teacher@saomai.test",
        4,
        "Gấp thuyền giấy và thả thuyền",
        Domain.AESTHETIC,
        "Giấy báo cũ hoặc giấy màu, một chậu nước",
        "Bố mẹ gấp mẫu một chiếc thuyền trước, bé quan sát rồi gấp theo từng bước.\n"
        "Thả thuyền vào chậu nước, thổi nhẹ cho thuyền chạy. Thuyền của ai đi xa hơn?",
    ),
    Plan(
        ("Lá 1",),
        "teacher@saomai.test",
        3,
        "Đếm và chia hạt đậu",
        Domain.COGNITIVE,
        "Một nắm đậu đỏ, đậu xanh, hai cái bát",
        "Bé đếm đậu và xếp thành từng nhóm 5 hạt.\nHỏi bé: nhóm đậu đỏ hay đậu xanh nhiều hơn? Nhiều hơn mấy hạt?",
    ),
    Plan(
        ("Lá 1",),
        "teacher@saomai.test",
        2,
        "Kể chuyện về một tấm ảnh gia đình",
        Domain.LANGUAGE,
        "Một tấm ảnh gia đình (in hoặc trên điện thoại)",
        "Cùng bé xem một tấm ảnh: ảnh chụp ở đâu, có những ai, mọi người đang làm gì?\n"
        "Khuyến khích bé kể thành câu trọn vẹn và đặt tên cho tấm ảnh.",
    ),
    Plan(
        ("Lá 1",),
        "teacher@saomai.test",
        1,
        "Nhảy lò cò theo ô số",
        Domain.PHYSICAL,
        "Phấn hoặc băng dính, một viên sỏi",
        "Kẻ 8 ô trên nền nhà hoặc sân, đánh số từ 1 đến 8.\n"
        "Bé ném sỏi vào một ô rồi nhảy lò cò theo thứ tự, bỏ qua ô có sỏi.",
    ),
    Plan(
        ("Lá 1",),
        "teacher@saomai.test",
        0,
        "Cùng bố mẹ tưới cây, lau lá",
        Domain.SOCIAL_EMOTIONAL,
        "Bình tưới nhỏ, khăn mềm, một chậu cây trong nhà",
        "Bé tự tưới cây và lau từng chiếc lá cho sạch bụi.\n"
        "Hỏi bé: vì sao cây cần nước? Con cảm thấy thế nào khi chăm cây?",
    ),
    Plan(
        ("Chồi 1",),
        "teacher2@saomai.test",
        4,
        "Nặn con vật bằng bột mì",
        Domain.AESTHETIC,
        "Bột mì, nước, một ít màu thực phẩm",
        "Nhào bột mì với nước thành khối dẻo, chia màu.\nBé nặn con vật mình thích rồi kể tên và tiếng kêu của nó.",
        "choi",
    ),
    Plan(
        ("Chồi 1",),
        "teacher2@saomai.test",
        2,
        "Ném bóng vào rổ",
        Domain.PHYSICAL,
        "Một quả bóng nhựa nhỏ, một cái rổ hoặc thùng giấy",
        "Đặt rổ cách bé khoảng 1,5 mét. Bé ném bóng bằng hai tay, rồi bằng một tay.\n"
        "Đếm số lần bóng vào rổ trong 10 lần ném.",
        "choi",
    ),
    Plan(
        ("Chồi 1",),
        "teacher2@saomai.test",
        0,
        "Đoán đồ vật trong túi vải",
        Domain.COGNITIVE,
        "Một túi vải, vài đồ vật quen thuộc (thìa, lược, quả bóng, chiếc lá)",
        "Bé nhắm mắt, thò tay vào túi, sờ và đoán tên đồ vật.\nHỏi bé: nó cứng hay mềm, nhẵn hay ráp?",
        "choi",
    ),
    Plan(
        ("Mầm 1", "Nhà trẻ 1"),
        "principal@saomai.test",
        3,
        "Hát và vận động bài “Cả nhà thương nhau”",
        Domain.AESTHETIC,
        "Không cần chuẩn bị gì",
        "Cả nhà cùng hát bài “Cả nhà thương nhau”, vỗ tay theo nhịp.\nBé làm động tác ôm bố, ôm mẹ ở cuối bài hát.",
        "mam",
    ),
]
# Shares of families answering, by the age of the activity (today's has just started).
ANSWER_RATE = {4: 0.72, 3: 0.7, 2: 0.64, 1: 0.5, 0: 0.25}
HISTORY_WEEKS = 5
HISTORY = {
    "Lá 1": (
        "teacher@saomai.test",
        ["Xếp hình bằng que tăm", "Vẽ chân dung bố mẹ", "Tập cài cúc áo", "Đọc thơ “Bàn tay cô giáo”", "Xếp đồ chơi"],
    ),
    "Chồi 1": (
        "teacher2@saomai.test",
        ["Xé dán bông hoa", "Đi theo đường kẻ thẳng", "Kể tên các loại quả", "Xếp hàng theo chiều cao", "Tự rửa tay"],
    ),
    "Mầm 1": (
        "principal@saomai.test",
        ["Lăn bóng cùng mẹ", "Chơi ú òa", "Nhận biết màu đỏ", "Xâu hạt to", "Vỗ tay theo nhạc"],
    ),
}
# Shares of the families with an account who answered in earlier weeks (a third of the children
# have no family signed up, so the class's rate is about two thirds of these).
HISTORY_RATES = [0.78, 0.9, 0.95, 0.85, 0.99, 0.8, 0.92, 0.88]
COMMENTS = [
    "Con làm rất khéo, cô khen con!",
    "Giỏi quá! Cả nhà cùng chơi vui ghê.",
    "Con đã cố gắng rất nhiều, cô rất vui.",
    "Cảm ơn bố mẹ đã cùng con thực hiện nhé.",
    "Tuyệt vời! Mai con kể cho cả lớp nghe nhé.",
]
NOTES = [
    "Bé làm hai lần mới được, rất thích!",
    "Con tự làm hết, mẹ chỉ giúp một chút.",
    "Bé hào hứng lắm, còn rủ cả em chơi cùng.",
    "",
    "Con hỏi mai có bài mới không ạ.",
    "Bố và bé cùng làm buổi tối.",
]
CLIP_SOURCES = ["testsrc2", "smptehdbars", "rgbtestsrc", "testsrc", "pal75bars"]
PALETTE = [(231, 76, 60), (241, 196, 15), (46, 204, 113), (52, 152, 219), (155, 89, 182), (230, 126, 34)]


# --- Files ------------------------------------------------------------------------------------------


def _clip(path: Path, *, source: str, seconds: int = 4) -> Path:
    """A few seconds of a test pattern with a tone: a stand-in for the teacher's video."""
    command = [ffmpeg.ffmpeg_path(), "-nostdin", "-v", "error", "-y"]
    command += ["-f", "lavfi", "-i", f"{source}=size=320x240:rate=15:duration={seconds}"]
    command += ["-f", "lavfi", "-i", f"sine=frequency=523:duration={seconds}"]
    command += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", str(path)]
    subprocess.run(command, check=True, capture_output=True, timeout=60)  # noqa: S603 (fixed arguments)
    return path


def _recording(path: Path, *, seconds: int = 3) -> Path:
    """A few seconds of a gentle tone in Ogg/Opus, as a browser records: a stand-in for the teacher's voice."""
    command = [ffmpeg.ffmpeg_path(), "-nostdin", "-v", "error", "-y"]
    command += ["-f", "lavfi", "-i", f"sine=frequency=392:duration={seconds}", "-ac", "1", "-c:a", "libopus", str(path)]
    subprocess.run(command, check=True, capture_output=True, timeout=60)  # noqa: S603 (fixed arguments)
    return path


def _drawing(path: Path, *, rng: random.Random, size=(480, 360)) -> Path:
    """A child's crayon drawing: sky, ground, a sun, and a house, a boat or flowers."""
    width, height = size
    image = Image.new("RGB", size, (rng.randint(235, 255), rng.randint(235, 250), rng.randint(215, 240)))
    draw = ImageDraw.Draw(image)
    ground = int(height * rng.uniform(0.7, 0.8))
    draw.line((0, ground, width, ground + rng.randint(-15, 15)), fill=(60, 150, 60), width=10)
    sun = (rng.randint(20, width - 90), rng.randint(10, 60))
    draw.ellipse((*sun, sun[0] + 60, sun[1] + 60), fill=(250, 200, 30), outline=(230, 150, 0), width=4)
    color = rng.choice(PALETTE)
    left = rng.randint(40, width - 200)
    subject = rng.choice(["house", "boat", "flowers"])
    if subject == "house":
        draw.rectangle((left, ground - 110, left + 140, ground), outline=color, width=7)
        draw.polygon([(left - 10, ground - 110), (left + 70, ground - 180), (left + 150, ground - 110)], outline=color)
        draw.line((left - 10, ground - 110, left + 70, ground - 180, left + 150, ground - 110), fill=color, width=7)
        draw.rectangle((left + 55, ground - 60, left + 85, ground), fill=rng.choice(PALETTE))
    elif subject == "boat":
        draw.polygon(
            [(left, ground - 40), (left + 160, ground - 40), (left + 125, ground), (left + 35, ground)], fill=color
        )
        draw.line((left + 80, ground - 40, left + 80, ground - 150), fill=(90, 60, 30), width=6)
        draw.polygon(
            [(left + 84, ground - 150), (left + 84, ground - 50), (left + 150, ground - 60)], fill=(250, 250, 250)
        )
    else:
        for n in range(rng.randint(3, 5)):
            x = left + n * 40
            top = ground - rng.randint(70, 130)
            draw.line((x, ground, x, top), fill=(60, 150, 60), width=5)
            petal = rng.choice(PALETTE)
            for dx, dy in ((-14, 0), (14, 0), (0, -14), (0, 14)):
                draw.ellipse((x + dx - 11, top + dy - 11, x + dx + 11, top + dy + 11), fill=petal)
            draw.ellipse((x - 7, top - 7, x + 7, top + 7), fill=(250, 220, 60))
    for _ in range(rng.randint(4, 9)):  # scribbles
        x, y = rng.randint(0, width), rng.randint(0, height)
        draw.line((x, y, x + rng.randint(-40, 40), y + rng.randint(-30, 30)), fill=rng.choice(PALETTE), width=4)
    image.save(path, "JPEG", quality=78)
    return path


class _Files:
    """Makes and takes in the demo's files, in one scratch directory."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.dir = Path(tempfile.mkdtemp(prefix="demo-activities-"))
        self.count = 0
        self.videos = bool(ffmpeg.ffmpeg_path() and ffmpeg.ffprobe_path())

    def _path(self, suffix: str) -> Path:
        self.count += 1
        return self.dir / f"{self.count:04d}{suffix}"

    def photo(self, *, school, by, size=(480, 360)):
        path = _drawing(self._path(".jpg"), rng=self.rng, size=size)
        try:
            return media_services.media_ingest(school=school, by=by, kind="image", path=path, filename="anh.jpg")
        finally:
            path.unlink(missing_ok=True)

    def video(self, *, school, by, n: int):
        path = _clip(self._path(".mp4"), source=CLIP_SOURCES[n % len(CLIP_SOURCES)])
        try:
            return media_services.media_ingest(school=school, by=by, kind="video", path=path, filename="huong-dan.mp4")
        finally:
            path.unlink(missing_ok=True)

    def voice(self, *, school, by):
        path = _recording(self._path(".ogg"))
        try:
            return media_services.media_ingest(school=school, by=by, kind="audio", path=path, filename="giong-co.ogg")
        finally:
            path.unlink(missing_ok=True)

    def close(self):
        for path in self.dir.glob("*"):
            path.unlink(missing_ok=True)
        self.dir.rmdir()


# --- Families ----------------------------------------------------------------------------------------


def _families(classrooms) -> list[tuple[Child, object]]:
    """Each child of the classes with the guardian who answers for them (the first to sign up)."""
    children = Child.objects.filter(classroom__in=classrooms, left_on__isnull=True).prefetch_related(
        Prefetch(
            "guardianships", queryset=Guardianship.objects.active().select_related("guardian").order_by("created_at")
        )
    )
    rows = []
    for child in children.order_by("pk"):
        guardianships = list(child.guardianships.all())
        if guardianships:
            rows.append((child, guardianships[0].guardian))
    return rows


def _shared_consent(families, *, rng: random.Random) -> set[int]:
    """About half the families agree to photos in shared class galleries (the demo parent does not,
    so that offering an answer shows why it is refused)."""
    agreed = set()
    for child, guardian in families:
        existing = ConsentRecord.objects.filter(
            child=child, guardian=guardian, purpose=ConsentPurpose.SHARED_PHOTOS
        ).first()
        if existing is not None:
            if existing.granted:
                agreed.add(child.pk)
            continue
        # Decided per child, not by the shared generator: run again, the demo asks the same families and
        # adds nothing (the generator's draws would differ once the first run's consents exist).
        decides = random.Random(f"shared:{child.full_name}:{child.date_of_birth}")
        if guardian.email == DEMO_PARENT or decides.random() > 0.5:
            continue
        consent_record(guardian=guardian, child=child, purpose=ConsentPurpose.SHARED_PHOTOS, granted=True)
        agreed.add(child.pk)
    return agreed


def _answers_for(plan: Plan, families, *, rng: random.Random):
    rate = ANSWER_RATE.get(plan.days_ago, 0.6)
    for child, guardian in families:
        if guardian.email == DEMO_PARENT:
            # The demo parent answered Khôi's two oldest activities of Lá 1 and nothing else yet.
            if plan.classes == ("Lá 1",) and plan.days_ago >= 3:
                yield child, guardian
        elif guardian.email == DEMO_PARENT2 or rng.random() < rate:
            yield child, guardian


# --- Seeding -----------------------------------------------------------------------------------------


def _at(days_ago: int, hour: int) -> datetime.datetime:
    """That many days ago at that hour in the schools' time zone, never later than now."""
    zone = timezone.get_default_timezone()
    day = timezone.localdate(timezone=zone) - datetime.timedelta(days=days_ago)
    return min(datetime.datetime.combine(day, datetime.time(hour, 0), tzinfo=zone), timezone.now())


def seed_home_activities(*, school: School) -> int:
    """Add the demo's activities, answers and feedback to the school; returns how many activities were added."""
    rng = random.Random(2026_09)
    User = get_user_model()
    rooms = {c.name: c for c in Classroom.objects.filter(school=school, school_year__is_current=True)}
    known = set(Activity.objects.filter(school=school).values_list("title", flat=True))
    files = _Files(rng)
    added = 0
    try:
        consented = _shared_consent(_families([rooms[n] for n in ("Lá 1", "Chồi 1", "Mầm 1") if n in rooms]), rng=rng)
        added += _seed_history(school=school, rooms=rooms, known=known, files=files, rng=rng, users=User.objects)
        for n, plan in enumerate(WEEK):
            if plan.title in known or not all(name in rooms for name in plan.classes):
                continue
            author = User.objects.get(email=plan.author)
            _seed_one(school, plan, author, [rooms[name] for name in plan.classes], files, rng, consented, n)
            added += 1
        if "Làm tranh từ lá khô" not in known and "Lá 1" in rooms:
            services.activity_create(
                school=school,
                by=User.objects.get(email="teacher@saomai.test"),
                title="Làm tranh từ lá khô",
                instructions="Nhặt lá khô ngoài vườn, cùng bé dán thành hình con vật.",
                materials="Lá khô, hồ dán, giấy bìa",
                domain=Domain.AESTHETIC,
                age_group="la",
                classrooms=[rooms["Lá 1"]],
            )
            added += 1
    finally:
        files.close()
    return added


def _seed_one(school, plan: Plan, author, classrooms, files: _Files, rng, consented: set[int], n: int) -> None:
    """This week's activity: posted and published through the services (families are told), then
    answered, viewed and replied to."""
    video = files.video(school=school, by=author, n=n) if files.videos else None
    photos = [] if video else [files.photo(school=school, by=author)]
    # The storytelling activity of Lá 1 also has the teacher's voice telling what to do.
    voice = files.voice(school=school, by=author) if files.videos and plan.domain == Domain.LANGUAGE else None
    published = _at(plan.days_ago, 7)
    activity = services.activity_create(
        school=school,
        by=author,
        title=plan.title,
        instructions=plan.instructions,
        materials=plan.materials,
        domain=plan.domain,
        age_group=plan.age_group,
        classrooms=classrooms,
        video=video.pk if video else None,
        voice=voice.pk if voice else None,
        photos=[p.pk for p in photos],
        answer_by=timezone.localdate(timezone=timezone.get_default_timezone())
        + datetime.timedelta(days=5 - plan.days_ago),
        publish=True,
    )
    if activity.is_published:  # with tasks on a worker, it publishes once the video is ready (then: now)
        Activity.objects.filter(pk=activity.pk).update(published_at=published, created_at=published)
    else:
        return
    families = _families(classrooms)
    answered = set()
    teacher_of = {c.pk: author for c in classrooms}
    for child, guardian in _answers_for(plan, families, rng=rng):
        media = files.photo(school=school, by=guardian, size=(400, 300))
        answer = services.answer_create(
            activity=activity, child=child, by=guardian, media=media.pk, note=rng.choice(NOTES)
        )
        when = published + datetime.timedelta(hours=rng.randint(3, 30))
        Answer.objects.filter(pk=answer.pk).update(created_at=min(when, timezone.now()))
        answered.add(child.pk)
        old_enough = plan.days_ago >= 2
        if old_enough and child.pk in consented and rng.random() < 0.6:
            services.answer_offer(answer=answer, by=guardian)
            if rng.random() < 0.8 or guardian.email == DEMO_PARENT2:
                services.answer_review(answer=answer, by=teacher_of[child.classroom_id], approve=True)
        if (old_enough and rng.random() < 0.75) or guardian.email == DEMO_PARENT:
            services.answer_feedback(
                answer=answer,
                by=teacher_of[child.classroom_id],
                comment=rng.choice(COMMENTS),
                sticker=Sticker.STAR if guardian.email == DEMO_PARENT else rng.choice(Sticker.values),
            )
    for child, guardian in families:
        if child.pk not in answered and guardian.email != DEMO_PARENT and rng.random() < 0.2:
            services.activity_mark_viewed(activity=activity, guardian=guardian, children=[child])
    if plan.classes == ("Lá 1",) and plan.days_ago == 2:
        # The teacher already reminded the families of Lá 1 who had not answered this one.
        services.activity_nudge(activity=activity, classroom=classrooms[0], by=author)


def _seed_history(*, school, rooms, known, files: _Files, rng, users) -> int:
    """Five earlier weeks, one activity a week per class, with photos and answers: the principal's chart
    has a history. Written directly (those weeks' notices are long read and gone)."""
    added = 0
    for name, (email, titles) in HISTORY.items():
        classroom = rooms.get(name)
        if classroom is None:
            continue
        author = users.get(email=email)
        families = _families([classroom])
        for week, title in enumerate(titles[:HISTORY_WEEKS]):
            if title in known:
                continue
            days_ago = (HISTORY_WEEKS - week) * 7 + 1
            published = _at(days_ago, 7)
            activity = Activity.objects.create(
                school=school,
                title=title,
                instructions="Cùng bé thực hiện ở nhà rồi gửi ảnh cho cô nhé.",
                domain=rng.choice(Domain.values),
                age_group=classroom.age_group,
                state=Activity.State.PUBLISHED,
                created_by=author,
                created_at=published,
                published_at=published,
            )
            ActivityClassroom.objects.create(
                school=school,
                activity=activity,
                classroom=classroom,
                enrolled=classroom.children.filter(left_on__isnull=True).count(),
            )
            ActivityPhoto.objects.create(
                school=school, activity=activity, media=files.photo(school=school, by=author, size=(320, 240))
            )
            rate = HISTORY_RATES[(week + len(name)) % len(HISTORY_RATES)]
            for child, guardian in families:
                if rng.random() >= rate:
                    continue
                media = files.photo(school=school, by=guardian, size=(240, 180))
                sent = published + datetime.timedelta(hours=rng.randint(5, 60))
                Answer.objects.create(
                    school=school,
                    activity=activity,
                    child=child,
                    classroom=classroom,
                    guardian=guardian,
                    media=media,
                    note=rng.choice(NOTES),
                    created_at=sent,
                    sticker=rng.choice(Sticker.values),
                    feedback=rng.choice(COMMENTS),
                    feedback_by=author,
                    feedback_at=sent + datetime.timedelta(hours=12),
                )
                ActivityView.objects.create(
                    school=school, activity=activity, child=child, guardian=guardian, viewed_at=sent
                )
            added += 1
    return added


# --- The ward's library and a commendation --------------------------------------------------------------

LIBRARY_OFFICER = "district@thuynguyen.test"
# Sao Mai's activity that the ward approved and Hoa Sen copied, and the one still waiting for the officer.
LIBRARY_APPROVED = "Gấp thuyền giấy và thả thuyền"
LIBRARY_WAITING = WEEK[1].title
HOA_SEN_ACTIVITY = "Trồng hạt đậu trong cốc giấy"
COMMENDATIONS = [
    ("", "Trường làm tốt việc phối hợp với gia đình qua các hoạt động ở nhà có video hướng dẫn."),
    ("Gia đình chị Trần Thị Hoa", "Gia đình tích cực cùng con làm và gửi lại các hoạt động ở nhà."),
]


def _offer_and_decide(*, activity, by, ward, officer, approve: bool) -> None:
    if activity is None or not activity.is_published or activity.library_entries.filter(authority=ward).exists():
        return
    entry = services_library.library_offer(activity=activity, by=by, authority=ward, no_child_confirmed=True)
    if approve:
        services_library.library_entry_decide(
            entry=entry,
            by=officer,
            approve=True,
            no_child_checked=True,
            domain=activity.domain,
            age_group=activity.age_group,
            featured=True,
        )


def seed_library(*, files: _Files) -> None:
    """The ward's library with activities of Sao Mai and Hoa Sen, one of Sao Mai's copied into Hoa Sen's
    Chồi A (and published there), and the ward's commendations of Sao Mai; idempotent."""
    User = get_user_model()
    sao_mai, hoa_sen = School.objects.get(slug="sao-mai"), School.objects.filter(slug="hoa-sen").first()
    officer = User.objects.filter(email=LIBRARY_OFFICER).first()
    if hoa_sen is None or officer is None or hoa_sen.authority_id != sao_mai.authority_id:
        return
    ward = sao_mai.authority
    sao_mai_teacher = User.objects.get(email="teacher@saomai.test")
    hoa_sen_teacher = User.objects.get(email="teacher@hoasen.test")
    choi_a = Classroom.objects.get(school=hoa_sen, school_year__is_current=True, name="Chồi A")

    approved = Activity.objects.filter(school=sao_mai, title=LIBRARY_APPROVED).first()
    _offer_and_decide(activity=approved, by=sao_mai_teacher, ward=ward, officer=officer, approve=True)
    waiting = Activity.objects.filter(school=sao_mai, title=LIBRARY_WAITING).first()
    _offer_and_decide(activity=waiting, by=sao_mai_teacher, ward=ward, officer=officer, approve=False)

    own = Activity.objects.filter(school=hoa_sen, title=HOA_SEN_ACTIVITY).first()
    if own is None:
        own = services.activity_create(
            school=hoa_sen,
            by=hoa_sen_teacher,
            title=HOA_SEN_ACTIVITY,
            instructions="Bé cho đất vào cốc giấy, gieo hai hạt đậu, tưới nước mỗi sáng và vẽ lại cây mỗi tuần.",
            materials="Cốc giấy, đất, hạt đậu xanh",
            domain=Domain.COGNITIVE,
            age_group="choi",
            classrooms=[choi_a],
            photos=[files.photo(school=hoa_sen, by=hoa_sen_teacher).pk],
            publish=True,
        )
    _offer_and_decide(activity=own, by=hoa_sen_teacher, ward=ward, officer=officer, approve=True)

    entry = LibraryEntry.objects.filter(activity=approved, authority=ward, state=LibraryEntry.State.APPROVED).first()
    if entry is not None and not LibraryAdoption.objects.filter(entry=entry, school=hoa_sen).exists():
        copy = services_library.library_entry_adopt(entry=entry, by=hoa_sen_teacher, classroom=choi_a)
        services.activity_publish(activity=copy, by=hoa_sen_teacher)

    for family_name, text in COMMENDATIONS:
        if not Commendation.objects.filter(authority=ward, school=sao_mai, text=text).exists():
            services_library.commendation_create(
                authority=ward,
                by=officer,
                school=sao_mai,
                family_name=family_name,
                text=text,
                awarded_on=school_today() - datetime.timedelta(days=10),
            )


def seed_demo_step(ctx) -> None:
    """The demo's step: Sao Mai's week of home activities, and the ward's library of good activities."""
    seed_home_activities(school=School.objects.get(slug="sao-mai"))
    files = _Files(random.Random(2026_11))
    try:
        seed_library(files=files)
    finally:
        files.close()
