"""Personas and service requirements shared by the whole suite.

A test that needs PostgreSQL, Redis, ffmpeg or chromium asks for it with one
of the `requires_*` helpers: it skips with the reason on a laptop that lacks
it, and fails instead when REQUIRE_ALL_TESTS=1 (as in CI).
"""

from __future__ import annotations

import datetime
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


def session_cached() -> int:
    """1 when sessions are read from the cache (cached_db, with REDIS_URL), so that a page costs no
    query for its session; 0 when every page reads the session's row."""
    return int(settings.SESSION_ENGINE.endswith("cached_db"))


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
    """Two schools, each under a ward of its own province, with one person per persona.

    Sao Mai (`school`) has three classes: Lá 1 (`classroom`: the parent's child, taught by the
    teacher), Chồi 1 (`other_classroom`: the other parent's child, taught by the other teacher)
    and Mầm 1 (the parent's younger child). Hoa Sen (`other_school`) has Chồi A, with its own
    teacher, parent and child (`other_school_child`).
    """

    school: object
    other_school: object
    classroom: object
    other_classroom: object
    foreign_classroom: object
    child: object
    sibling: object
    other_class_child: object
    other_school_child: object
    left_child: object
    parent: object
    other_parent: object
    former_parent: object
    foreign_parent: object
    family_viewer: object
    teacher: object
    other_teacher: object
    foreign_teacher: object
    principal: object
    vice_principal: object
    other_principal: object
    nurse: object
    accountant: object
    kitchen: object
    deactivated_staff: object
    officer: object
    province_officer: object
    foreign_officer: object
    superuser: object
    invitation: object

    def persona(self, name: str):
        return None if name == "anonymous" else getattr(self, name)

    # Children's names, to check that a page shows nothing of a school a person does not belong to.
    SAO_MAI_CHILDREN = ("Nguyễn Minh Khôi", "Nguyễn Ngọc An", "Phạm Khánh Linh", "Vương Gia Huy")
    HOA_SEN_CHILDREN = ("Ngô Bảo Ngọc",)

    def names_hidden_from(self, persona: str) -> tuple[str, ...]:
        """The children a persona must never see named on a page of the portal."""
        if persona == "superuser":
            return ()
        if persona in FAMILY_CHILDREN:
            # A family sees its own children only, never another family's.
            return tuple(n for n in self.SAO_MAI_CHILDREN + self.HOA_SEN_CHILDREN if n not in FAMILY_CHILDREN[persona])
        if persona in HOA_SEN_PERSONAS:
            return self.SAO_MAI_CHILDREN
        if persona in OFFICERS:
            return self.SAO_MAI_CHILDREN + self.HOA_SEN_CHILDREN  # figures only, never a child
        if persona == "kitchen":
            # The kitchen knows a child by the given name on the day's dietary flags, and nothing more.
            return self.SAO_MAI_CHILDREN + self.HOA_SEN_CHILDREN
        return self.HOA_SEN_CHILDREN


# Every kind of person the portal must answer correctly, in the order the matrix lists them.
PERSONAS = [
    "anonymous",
    "parent",  # guardian of a child in Lá 1 (the teacher's class) and of a sibling in Mầm 1
    "other_parent",  # guardian of a child in Chồi 1 (the other teacher's class)
    "former_parent",  # guardian of a child who has left Sao Mai
    "foreign_parent",  # guardian of a child at Hoa Sen
    "family_viewer",  # a grandmother the parent invited to follow the child in Lá 1 (read-only)
    "teacher",  # teaches Lá 1
    "other_teacher",  # teaches Chồi 1
    "foreign_teacher",  # teaches Chồi A at Hoa Sen
    "principal",
    "vice_principal",
    "other_principal",  # principal of Hoa Sen
    "nurse",
    "accountant",
    "kitchen",  # cooks for Sao Mai: menus, ingredients, costs and the day's dietary flags, nothing else
    "deactivated_staff",  # taught Lá 1 until the principal ended their role
    "officer",  # of Sao Mai's ward
    "province_officer",  # of Sao Mai's province
    "foreign_officer",  # of Hoa Sen's ward, in another province
    "superuser",
]
HOA_SEN_PERSONAS = frozenset({"foreign_parent", "foreign_teacher", "other_principal"})
FAMILY_CHILDREN = {
    "parent": ("Nguyễn Minh Khôi", "Nguyễn Ngọc An"),
    "other_parent": ("Phạm Khánh Linh",),
    "former_parent": ("Vương Gia Huy",),
    "foreign_parent": ("Ngô Bảo Ngọc",),
    "family_viewer": ("Nguyễn Minh Khôi",),
}
OFFICERS = frozenset({"officer", "province_officer", "foreign_officer"})


@pytest.fixture
def world(db) -> World:
    province = f.ProvinceFactory(name="Thành phố Hải Phòng", slug="hai-phong")
    ward = f.CommuneFactory(name="Phường Thủy Nguyên", slug="thuy-nguyen", province=province)
    other_ward = f.CommuneFactory(name="Phường Hoàn Kiếm", slug="hoan-kiem", province__name="Thành phố Hà Nội")
    school = f.SchoolFactory(authority=ward, name="Sao Mai", slug="sao-mai")
    other_school = f.SchoolFactory(authority=other_ward, name="Hoa Sen", slug="hoa-sen")
    classroom = f.ClassroomFactory(school=school, name="Lá 1")
    other_classroom = f.ClassroomFactory(school=school, name="Chồi 1", age_group="choi")
    third_classroom = f.ClassroomFactory(school=school, name="Mầm 1", age_group="mam")
    foreign_classroom = f.ClassroomFactory(school=other_school, name="Chồi A", age_group="choi")

    parent = f.UserFactory(email="parent@example.test", full_name="Trần Thị Hoa")
    other_parent = f.UserFactory(email="parent2@example.test", full_name="Lê Thị Hương")
    former_parent = f.UserFactory(email="former@example.test", full_name="Vương Thị Liên")
    foreign_parent = f.UserFactory(email="parent@other.test", full_name="Ngô Thị Phương")
    child = f.ChildFactory(classroom=classroom, full_name="Nguyễn Minh Khôi")
    sibling = f.ChildFactory(classroom=third_classroom, full_name="Nguyễn Ngọc An")
    other_class_child = f.ChildFactory(classroom=other_classroom, full_name="Phạm Khánh Linh")
    other_school_child = f.ChildFactory(classroom=foreign_classroom, full_name="Ngô Bảo Ngọc")
    left_child = f.ChildFactory(
        school=school, classroom=None, full_name="Vương Gia Huy", left_on=datetime.date(2026, 5, 29)
    )
    f.GuardianshipFactory(child=child, guardian=parent)
    f.GuardianshipFactory(child=sibling, guardian=parent)
    f.GuardianshipFactory(child=other_class_child, guardian=other_parent)
    f.GuardianshipFactory(child=other_school_child, guardian=foreign_parent)
    f.GuardianshipFactory(child=left_child, guardian=former_parent)

    def staff(role, at=school, classrooms=(), active=True, **user):
        membership = f.StaffFactory(
            school=at, role=role, classrooms=list(classrooms), is_active=active, user=f.UserFactory(**user)
        )
        return membership.user

    def officer(authority, email):
        return f.AuthorityOfficerFactory(authority=authority, user=f.UserFactory(email=email)).user

    family_viewer = f.UserFactory(email="grandma@example.test", full_name="Nguyễn Thị Bà")
    f.FamilyViewerFactory(child=child, viewer=family_viewer, invited_by=parent)
    invitation = f.InvitationFactory(child=other_class_child, code="ABCD2345")
    return World(
        school=school,
        other_school=other_school,
        classroom=classroom,
        other_classroom=other_classroom,
        foreign_classroom=foreign_classroom,
        child=child,
        sibling=sibling,
        other_class_child=other_class_child,
        other_school_child=other_school_child,
        left_child=left_child,
        parent=parent,
        other_parent=other_parent,
        former_parent=former_parent,
        foreign_parent=foreign_parent,
        family_viewer=family_viewer,
        teacher=staff("teacher", classrooms=[classroom], email="teacher@example.test"),
        other_teacher=staff("teacher", classrooms=[other_classroom], email="teacher2@example.test"),
        foreign_teacher=staff("teacher", at=other_school, classrooms=[foreign_classroom], email="teacher@other.test"),
        principal=staff("principal", email="principal@example.test", is_staff=True),
        vice_principal=staff("vice_principal", email="vice@example.test", is_staff=True),
        other_principal=staff("principal", at=other_school, email="principal@other.test", is_staff=True),
        nurse=staff("nurse", email="nurse@example.test"),
        accountant=staff("accountant", email="accountant@example.test"),
        kitchen=staff("kitchen", email="kitchen@example.test"),
        deactivated_staff=staff("teacher", classrooms=[classroom], active=False, email="gone@example.test"),
        officer=officer(ward, "officer@example.test"),
        province_officer=officer(province, "province@example.test"),
        foreign_officer=officer(other_ward, "officer@other.test"),
        superuser=f.UserFactory(email="admin@example.test", is_superuser=True, is_staff=True),
        invitation=invitation,
    )


# Test modules whose tests may run on different pytest-xdist workers. Every other module runs
# whole on one worker, because its module-scoped fixtures (a seeded demo, a second browser)
# would otherwise be built again on each worker, and its tests may share files or servers.
SPLIT_ACROSS_WORKERS = frozenset(
    {
        "tests/test_authorization_matrix.py",
        "tests/test_admin_choices.py",
    }
)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """With `--dist loadgroup`, one group per test module, except the modules that can be split."""
    if not hasattr(config, "workerinput"):
        return
    for item in items:
        if item.get_closest_marker("xdist_group"):
            continue
        module = item.nodeid.split("::", 1)[0]
        if module not in SPLIT_ACROSS_WORKERS:
            item.add_marker(pytest.mark.xdist_group(module))


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and cached pages must not leak from one test to the next."""
    from django.core.cache import cache

    cache.clear()
    yield
