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
