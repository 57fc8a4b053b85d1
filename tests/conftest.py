"""Personas and service requirements shared by the whole suite.

A test that needs PostgreSQL, Redis, ffmpeg or chromium asks for it with one
of the `requires_*` helpers: it skips with the reason on a laptop that lacks
it, and fails instead when REQUIRE_ALL_TESTS=1 (as in CI).
"""

from __future__ import annotations

import os
import shutil
import socket
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings

from tests import factories as f


def _missing(reason: str):
    if os.environ.get("REQUIRE_ALL_TESTS") == "1":
        pytest.fail(f"required for this run but missing: {reason}", pytrace=False)
    pytest.skip(reason)


def requires_postgres():
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        _missing("needs PostgreSQL: set DATABASE_URL=postgres://…")


def _port_open(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=1):
            return True
    except OSError:
        return False


def requires_redis() -> str:
    url = os.environ.get("REDIS_URL", "")
    if not url or not _port_open(url, 6379):
        _missing("needs Redis: set REDIS_URL=redis://127.0.0.1:6379/0 with a server running")
    return url


def requires_binary(name: str, hint: str) -> str:
    path = shutil.which(name)
    if not path:
        _missing(f"needs {name}: {hint}")
    return path


CHROMIUM_PATHS = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]


def requires_chromium() -> str:
    for path in [os.environ.get("CHROMIUM_PATH", ""), *CHROMIUM_PATHS]:
        if path and Path(path).exists():
            return path
    _missing("needs chromium: apt-get install chromium, or set CHROMIUM_PATH")
    return ""


@dataclass
class World:
    """Two schools of one district, and two of another, with one person per persona."""

    school: object
    other_school: object
    classroom: object
    other_classroom: object
    child: object
    sibling: object
    other_class_child: object
    other_school_child: object
    parent: object
    other_parent: object
    teacher: object
    other_teacher: object
    principal: object
    other_principal: object
    nurse: object
    accountant: object
    district_officer: object
    invitation: object

    def persona(self, name: str):
        return None if name == "anonymous" else getattr(self, name)


PERSONAS = [
    "anonymous",
    "parent",
    "other_parent",
    "teacher",
    "other_teacher",
    "principal",
    "other_principal",
    "nurse",
    "accountant",
    "district_officer",
]


@pytest.fixture
def world(db) -> World:
    district = f.DistrictFactory(name="Thủy Nguyên", slug="thuy-nguyen")
    school = f.SchoolFactory(district=district, name="Sao Mai", slug="sao-mai")
    other_school = f.SchoolFactory(name="Hoa Sen", slug="hoa-sen")
    classroom = f.ClassroomFactory(school=school, name="Lá 1")
    other_classroom = f.ClassroomFactory(school=school, name="Chồi 1", age_group="choi")
    third_classroom = f.ClassroomFactory(school=school, name="Mầm 1", age_group="mam")
    foreign_classroom = f.ClassroomFactory(school=other_school, name="Chồi A", age_group="choi")

    parent = f.UserFactory(email="parent@example.test", full_name="Trần Thị Hoa")
    other_parent = f.UserFactory(email="parent2@example.test", full_name="Lê Thị Hương")
    child = f.ChildFactory(classroom=classroom, full_name="Nguyễn Minh Khôi")
    sibling = f.ChildFactory(classroom=third_classroom, full_name="Nguyễn Ngọc An")
    other_class_child = f.ChildFactory(classroom=other_classroom, full_name="Phạm Khánh Linh")
    other_school_child = f.ChildFactory(classroom=foreign_classroom, full_name="Ngô Bảo Ngọc")
    f.GuardianshipFactory(child=child, guardian=parent)
    f.GuardianshipFactory(child=sibling, guardian=parent)
    f.GuardianshipFactory(child=other_class_child, guardian=other_parent)
    f.GuardianshipFactory(child=other_school_child)

    def staff(role, at=school, classrooms=(), **user):
        membership = f.StaffFactory(school=at, role=role, classrooms=list(classrooms), user=f.UserFactory(**user))
        return membership.user

    teacher = staff("teacher", classrooms=[classroom], email="teacher@example.test")
    other_teacher = staff("teacher", classrooms=[other_classroom], email="teacher2@example.test")
    principal = staff("principal", email="principal@example.test", is_staff=True)
    other_principal = staff("principal", at=other_school, email="principal@other.test", is_staff=True)
    nurse = staff("nurse", email="nurse@example.test")
    accountant = staff("accountant", email="accountant@example.test")
    district_officer = f.DistrictOfficerFactory(
        district=district, user=f.UserFactory(email="officer@example.test")
    ).user
    invitation = f.InvitationFactory(child=other_class_child, code="ABCD2345")
    return World(
        school=school,
        other_school=other_school,
        classroom=classroom,
        other_classroom=other_classroom,
        child=child,
        sibling=sibling,
        other_class_child=other_class_child,
        other_school_child=other_school_child,
        parent=parent,
        other_parent=other_parent,
        teacher=teacher,
        other_teacher=other_teacher,
        principal=principal,
        other_principal=other_principal,
        nurse=nurse,
        accountant=accountant,
        district_officer=district_officer,
        invitation=invitation,
    )


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and cached pages must not leak from one test to the next."""
    from django.core.cache import cache

    cache.clear()
    yield
