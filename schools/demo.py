"""Believable Vietnamese names and dates for the demo and the scale generator."""

from __future__ import annotations

import datetime
import random

FAMILY_NAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Đinh",
    "Trịnh",
    "Mai",
    "Lương",
]
MIDDLE_NAMES_GIRL = ["Thị", "Ngọc", "Khánh", "Bảo", "Minh", "Thanh", "Phương", "Gia"]
MIDDLE_NAMES_BOY = ["Văn", "Minh", "Đức", "Gia", "Quang", "Hoàng", "Anh", "Bảo"]
GIVEN_NAMES_GIRL = [
    "An",
    "Chi",
    "Hân",
    "Linh",
    "Ngân",
    "Nhi",
    "Trang",
    "Vy",
    "Mai",
    "Thảo",
    "My",
    "Hà",
    "Ánh",
    "Diệp",
    "Yến",
    "Thư",
    "Quỳnh",
    "Trâm",
    "Hương",
    "Uyên",
]
GIVEN_NAMES_BOY = [
    "An",
    "Bảo",
    "Dũng",
    "Huy",
    "Khang",
    "Khôi",
    "Long",
    "Minh",
    "Nam",
    "Phúc",
    "Quân",
    "Sơn",
    "Tùng",
    "Vinh",
    "Đạt",
    "Hiếu",
    "Kiên",
    "Lâm",
    "Thịnh",
    "Tuấn",
]
NICKNAMES = ["Bống", "Bin", "Na", "Su", "Bi", "Cún", "Mít", "Bơ", "Sóc", "Tôm", "Kem", "Gạo"]
ADULT_GIVEN_NAMES_WOMEN = ["Hoa", "Lan", "Hằng", "Thủy", "Hạnh", "Ngọc", "Phượng", "Dung", "Loan", "Huyền"]
ADULT_GIVEN_NAMES_MEN = ["Hùng", "Cường", "Thắng", "Tuấn", "Hải", "Dũng", "Trung", "Phong", "Quang", "Tài"]

# Ages in months at the start of the school year, per age group.
AGE_MONTHS = {"nha_tre": (24, 36), "mam": (36, 48), "choi": (48, 60), "la": (60, 72)}


def child_name(rng: random.Random, family: str | None = None) -> tuple[str, str]:
    sex = rng.choice(["f", "m"])
    family = family or rng.choice(FAMILY_NAMES)
    if sex == "f":
        name = f"{family} {rng.choice(MIDDLE_NAMES_GIRL)} {rng.choice(GIVEN_NAMES_GIRL)}"
    else:
        name = f"{family} {rng.choice(MIDDLE_NAMES_BOY)} {rng.choice(GIVEN_NAMES_BOY)}"
    return name, sex


def adult_name(rng: random.Random, *, woman: bool, family: str | None = None) -> str:
    family = family or rng.choice(FAMILY_NAMES)
    if woman:
        return f"{family} Thị {rng.choice(ADULT_GIVEN_NAMES_WOMEN)}"
    return f"{family} Văn {rng.choice(ADULT_GIVEN_NAMES_MEN)}"


def birth_date(rng: random.Random, age_group: str, year_start: datetime.date) -> datetime.date:
    low, high = AGE_MONTHS[age_group]
    months = rng.randint(low, high - 1)
    days = rng.randint(0, 27)
    year = year_start.year - (months // 12)
    month = year_start.month - (months % 12)
    if month <= 0:
        month += 12
        year -= 1
    return datetime.date(year, month, 1) + datetime.timedelta(days=days)


def phone_number(rng: random.Random) -> str:
    return "+849" + "".join(str(rng.randint(0, 9)) for _ in range(8))


# --- The demo's schools ---------------------------------------------------------------------------

YEAR_START = datetime.date(2026, 9, 1)
YEAR_END = datetime.date(2027, 5, 31)
SAO_MAI_CLASSES = [
    ("Lá 1", "la", 26),
    ("Lá 2", "la", 26),
    ("Chồi 1", "choi", 25),
    ("Chồi 2", "choi", 25),
    ("Mầm 1", "mam", 24),
    ("Nhà trẻ 1", "nha_tre", 22),
]
HOA_SEN_CLASSES = [("Chồi A", "choi", 20), ("Mầm A", "mam", 18)]


def class_sizes(school_slug: str) -> dict[str, int]:
    """How many children each demo class holds, by class name."""
    classes = SAO_MAI_CLASSES if school_slug == "sao-mai" else HOA_SEN_CLASSES
    return {name: size for name, _age_group, size in classes}


def _authorities():
    from schools.models import Authority

    province, _ = Authority.objects.get_or_create(
        slug="hai-phong", defaults={"name": "Thành phố Hải Phòng", "level": Authority.Level.PROVINCE}
    )
    ward, _ = Authority.objects.get_or_create(
        slug="thuy-nguyen",
        defaults={"name": "Phường Thủy Nguyên", "level": Authority.Level.COMMUNE, "province": province},
    )
    return province, ward


def _school(authority, slug, name, address, classes, year_name="2026–2027"):
    from schools.models import Classroom, School, SchoolYear

    school, _ = School.objects.get_or_create(
        slug=slug,
        defaults={
            "authority": authority,
            "name": name,
            "address": address,
            "phone": "0225 3870 123",
            "about": "Trường mầm non công lập, nơi nhà trường, gia đình và cộng đồng cùng chăm sóc trẻ.",
        },
    )
    year, _ = SchoolYear.objects.get_or_create(
        school=school, name=year_name, defaults={"starts_on": YEAR_START, "ends_on": YEAR_END, "is_current": True}
    )
    rooms = {}
    for index, (class_name, age_group, _size) in enumerate(classes, start=1):
        rooms[class_name], _ = Classroom.objects.get_or_create(
            school=school,
            school_year=year,
            name=class_name,
            defaults={"age_group": age_group, "room": f"P.{100 + index}"},
        )
    return school, rooms


def _staff(school, user, role: str, classrooms=()):
    from schools.models import LEADER_ROLES, StaffMembership

    membership, _ = StaffMembership.objects.get_or_create(school=school, user=user, defaults={"role": role})
    if classrooms:
        membership.classrooms.add(*classrooms, through_defaults={"school": school})
    if role in LEADER_ROLES and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return membership


def seed_schools(ctx) -> None:
    """Two kindergartens of one ward of Hải Phòng, their classes and staff, and the officers over them."""
    from accounts.demo import demo_user
    from schools.models import AuthorityOfficer, StaffRole

    province, ward = _authorities()
    AuthorityOfficer.objects.get_or_create(
        authority=ward,
        user=demo_user(ctx, "district@thuynguyen.test", "Đỗ Thị Hồng Nhung"),
        defaults={"title": "Chuyên viên Văn hóa – Xã hội, UBND phường"},
    )
    AuthorityOfficer.objects.get_or_create(
        authority=province,
        user=demo_user(ctx, "province@haiphong.test", "Trịnh Văn Quang"),
        defaults={"title": "Chuyên viên Phòng Giáo dục Mầm non, Sở Giáo dục và Đào tạo"},
    )
    demo_user(ctx, "admin@coordination.test", "Quản trị hệ thống", is_superuser=True)

    sao_mai, rooms = _school(
        ward,
        "sao-mai",
        "Trường Mầm non Sao Mai",
        "Số 12 đường Bạch Đằng, phường Thủy Nguyên, Hải Phòng",
        SAO_MAI_CLASSES,
    )
    hoa_sen, hoa_sen_rooms = _school(
        ward, "hoa-sen", "Trường Mầm non Hoa Sen", "Thôn 3, phường Thủy Nguyên, Hải Phòng", HOA_SEN_CLASSES
    )
    principal = demo_user(ctx, "principal@saomai.test", "Nguyễn Thị Thu Hà", phone="+84912000001")
    _staff(sao_mai, principal, StaffRole.PRINCIPAL)
    _staff(sao_mai, demo_user(ctx, "vice@saomai.test", "Lê Thị Minh Tâm"), StaffRole.VICE_PRINCIPAL)
    teacher = demo_user(ctx, "teacher@saomai.test", "Phạm Thị Lan", phone="+84912000002")
    _staff(sao_mai, teacher, StaffRole.TEACHER, [rooms["Lá 1"]])
    teacher2 = demo_user(ctx, "teacher2@saomai.test", "Trần Thị Mai", phone="+84912000003")
    _staff(sao_mai, teacher2, StaffRole.TEACHER, [rooms["Chồi 1"]])
    _staff(sao_mai, demo_user(ctx, "nurse@saomai.test", "Vũ Thị Hạnh"), StaffRole.NURSE)
    _staff(sao_mai, demo_user(ctx, "accountant@saomai.test", "Hoàng Văn Đức"), StaffRole.ACCOUNTANT)
    _staff(sao_mai, demo_user(ctx, "kitchen@saomai.test", "Đỗ Thị Bích"), StaffRole.KITCHEN)
    for n, (class_name, classroom) in enumerate(rooms.items(), start=1):
        if class_name in {"Lá 1", "Chồi 1"}:
            continue
        colleague = demo_user(ctx, f"gv{n}@saomai.test", adult_name(random.Random(n), woman=True))
        _staff(sao_mai, colleague, StaffRole.TEACHER, [classroom])

    _staff(hoa_sen, demo_user(ctx, "principal@hoasen.test", "Bùi Thị Ngọc Anh"), StaffRole.PRINCIPAL)
    # The Hoa Sen teacher of the README teaches Chồi A; the other class has a colleague.
    hoa_sen_teacher = demo_user(ctx, "teacher@hoasen.test", "Đinh Thị Thảo")
    _staff(hoa_sen, hoa_sen_teacher, StaffRole.TEACHER, [hoa_sen_rooms["Chồi A"]])
    _staff(
        hoa_sen,
        demo_user(ctx, "gv2@hoasen.test", adult_name(random.Random(102), woman=True)),
        StaffRole.TEACHER,
        [hoa_sen_rooms["Mầm A"]],
    )
