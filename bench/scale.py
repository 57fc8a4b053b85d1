"""Names shared by the scale generator and the benchmark: slugs, e-mail addresses, the password."""

from __future__ import annotations

# Every scale account shares this password (one hash for all of them).
SCALE_PASSWORD = "bench-pass-2026"
EMAIL_DOMAIN = "scale.test"
SLUG_PREFIX = "scale-"
SEED = 2026

# Six classes per school, as in a typical public kindergarten.
CLASSES = [
    ("Lá 1", "la"),
    ("Lá 2", "la"),
    ("Chồi 1", "choi"),
    ("Chồi 2", "choi"),
    ("Mầm 1", "mam"),
    ("Nhà trẻ 1", "nha_tre"),
]


def school_slug(number: int) -> str:
    return f"{SLUG_PREFIX}{number:05d}"


def school_number(slug: str) -> int | None:
    rest = slug.removeprefix(SLUG_PREFIX)
    return int(rest) if slug.startswith(SLUG_PREFIX) and rest.isdigit() else None


PROVINCE_SLUG = f"{SLUG_PREFIX}tinh"


def ward_slug(number: int) -> str:
    return f"{SLUG_PREFIX}phuong-{number:04d}"


def principal_email(school: int) -> str:
    return f"principal-{school:05d}@{EMAIL_DOMAIN}"


def teacher_email(school: int, n: int) -> str:
    return f"teacher-{school:05d}-{n}@{EMAIL_DOMAIN}"


def nurse_email(school: int) -> str:
    return f"nurse-{school:05d}@{EMAIL_DOMAIN}"


def accountant_email(school: int) -> str:
    return f"accountant-{school:05d}@{EMAIL_DOMAIN}"


def guardian_email(school: int, n: int) -> str:
    return f"parent-{school:05d}-{n:03d}@{EMAIL_DOMAIN}"


def officer_email(ward: int) -> str:
    return f"officer-{ward:04d}@{EMAIL_DOMAIN}"


PROVINCE_OFFICER = f"officer-tinh@{EMAIL_DOMAIN}"


# The accounts a benchmark logs in as: school 1's principal, and its first
# family, who has two children in different classes (Lá 1 and Mầm 1).
SAMPLE_SCHOOL = 1
SAMPLE_PRINCIPAL = principal_email(SAMPLE_SCHOOL)
SAMPLE_GUARDIAN = guardian_email(SAMPLE_SCHOOL, 1)
