"""The demo's children and families: guardians, consents, pick-up persons, invitation codes and a
grandmother who follows a child as a family viewer."""

from __future__ import annotations

import datetime
import secrets

from django.utils import timezone

from accounts.demo import demo_user
from parents.consent_texts import CONSENT_TEXTS
from parents.models import ConsentPurpose, ConsentRecord, FamilyViewer, Guardianship, InvitationCode, Relationship
from parents.services import CODE_ALPHABET, CODE_LENGTH, invitation_claim
from schools import demo as names
from schools.models import Child, Classroom, Enrolment, PickupPerson, School, SchoolYear, StaffMembership, StaffRole

# A code anyone can try on the join page (single use, like every code).
DEMO_CODE = "DEMO2026"


class _Families:
    def __init__(self, ctx, school: School):
        self.ctx, self.rng, self.school = ctx, ctx.rng, school
        self.rooms = {c.name: c for c in Classroom.objects.filter(school=school, school_year__is_current=True)}
        self.principal = (
            StaffMembership.objects.filter(school=school, role=StaffRole.PRINCIPAL).select_related("user").first()
        ).user

    def child(self, classroom, full_name=None, sex=None, family=None):
        if full_name is None:
            full_name, sex = names.child_name(self.rng, family)
        child = Child.objects.create(
            school=self.school,
            full_name=full_name,
            sex=sex,
            date_of_birth=names.birth_date(self.rng, classroom.age_group, names.YEAR_START),
            classroom=classroom,
            nickname=self.rng.choice(names.NICKNAMES) if self.rng.random() < 0.4 else "",
        )
        Enrolment.objects.create(school=self.school, child=child, classroom=classroom, starts_on=names.YEAR_START)
        return child

    def guardian_of(self, child, user, relationship, primary=True):
        Guardianship.objects.get_or_create(
            child=child,
            guardian=user,
            defaults={"school": child.school, "relationship": relationship, "is_primary": primary},
        )

    def consent(self, child, guardian, purposes):
        for purpose in purposes:
            version, text = CONSENT_TEXTS[purpose]
            if not ConsentRecord.objects.filter(child=child, guardian=guardian, purpose=purpose).exists():
                ConsentRecord.objects.create(
                    school=child.school,
                    child=child,
                    guardian=guardian,
                    purpose=purpose,
                    granted=True,
                    text_version=version,
                    text=str(text),
                )

    def invitation(self, child, code=None):
        if code is None:
            code = "".join(self.rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        InvitationCode.objects.get_or_create(
            code=code,
            defaults={
                "school": child.school,
                "child": child,
                "created_by": self.principal,
                "expires_at": timezone.now() + datetime.timedelta(days=365),
            },
        )

    def fill(self, *, first_number: int, signed_up: float, with_phone: bool, consent: bool) -> None:
        """Everyone else in each class: about `signed_up` of the families have joined."""
        sizes = names.class_sizes(self.school.slug)
        number = first_number
        for name, classroom in self.rooms.items():
            for _ in range(sizes.get(name, 0) - classroom.children.count()):
                family = self.rng.choice(names.FAMILY_NAMES)
                kid = self.child(classroom, family=family)
                if self.rng.random() < signed_up:
                    number += 1
                    mother = demo_user(
                        self.ctx,
                        f"phuhuynh{number}@{self.school.slug.replace('-', '')}.test",
                        names.adult_name(self.rng, woman=True),
                        phone=names.phone_number(self.rng) if with_phone else None,
                    )
                    self.guardian_of(kid, mother, Relationship.MOTHER)
                    if consent and self.rng.random() < 0.7:
                        self.consent(kid, mother, [ConsentPurpose.PORTFOLIO_PHOTOS])
                else:
                    self.invitation(kid)


def _sao_mai(ctx) -> None:
    school = School.objects.get(slug="sao-mai")
    if Child.objects.filter(school=school).exists():
        return
    families = _Families(ctx, school)
    la1, choi1, mam1 = families.rooms["Lá 1"], families.rooms["Chồi 1"], families.rooms["Mầm 1"]
    # The demo parent: two children in different classes (siblings).
    parent = demo_user(ctx, "parent@saomai.test", "Trần Thị Hoa", phone="+84987000001")
    father = demo_user(ctx, "bo.minhkhoi@saomai.test", "Nguyễn Văn Hùng", phone="+84987000011")
    khoi = families.child(la1, "Nguyễn Minh Khôi", "m")
    an = families.child(mam1, "Nguyễn Ngọc An", "f")
    for kid in (khoi, an):
        families.guardian_of(kid, parent, Relationship.MOTHER, primary=True)
        families.guardian_of(kid, father, Relationship.FATHER, primary=False)
        families.consent(kid, parent, [ConsentPurpose.PORTFOLIO_PHOTOS, ConsentPurpose.HEALTH_RECORDS])
        PickupPerson.objects.create(
            school=school,
            child=kid,
            full_name="Trần Văn Bình",
            relationship="Ông ngoại",
            phone="+84912345678",
            can_pick_up=True,
            is_emergency_contact=True,
            added_by=parent,
        )
    # Khôi's grandmother follows him (works, voice notes, shared answers, portfolio), read-only: his
    # mother invited her and she accepted with her own account. An aunt working in Japan has not yet.
    grandma = demo_user(ctx, "grandma@saomai.test", "Đỗ Thị Lan")
    now = timezone.now()
    FamilyViewer.objects.get_or_create(
        child=khoi,
        viewer=grandma,
        revoked_at=None,
        defaults={
            "school": school,
            "name": "Bà Lan",
            "relationship": "Bà nội",
            "invited_by": parent,
            "token": secrets.token_urlsafe(32),
            "invited_at": now - datetime.timedelta(days=20),
            "expires_at": now - datetime.timedelta(days=6),
            "accepted_at": now - datetime.timedelta(days=19),
        },
    )
    FamilyViewer.objects.create(
        school=school,
        child=khoi,
        name="Cô Mai",
        relationship="Cô ruột ở Nhật",
        invited_by=parent,
        token=secrets.token_urlsafe(32),
        expires_at=now + datetime.timedelta(days=10),
    )
    # The second demo parent: one child in a third class.
    parent2 = demo_user(ctx, "parent2@saomai.test", "Lê Thị Thanh Hương", phone="+84987000002")
    linh = families.child(choi1, "Phạm Khánh Linh", "f")
    families.guardian_of(linh, parent2, Relationship.MOTHER)
    families.consent(linh, parent2, list(ConsentPurpose.values))

    families.invitation(families.child(la1, "Đặng Gia Bảo", "m"), code=DEMO_CODE)

    # A teacher whose own son is in Mầm 1 used the code the school gave her: she works at the
    # school, so her claim waits for the principal's confirmation ("Guardians to confirm").
    teacher2 = StaffMembership.objects.get(school=school, user__email="teacher2@saomai.test").user
    son = families.child(mam1, "Lý Gia Hưng", "m")
    families.invitation(son, code="HUNG2026")
    invitation_claim(code="HUNG2026", user=teacher2, relationship=Relationship.MOTHER)

    # A former family: the child finished Lá 1 last school year and has left the school.
    former = demo_user(ctx, "formerparent@saomai.test", "Vương Thị Liên", phone="+84987000021")
    left = Child.objects.create(
        school=school,
        full_name="Vương Gia Huy",
        sex="m",
        date_of_birth=datetime.date(2020, 3, 14),
        classroom=None,
        left_on=datetime.date(2026, 5, 29),
    )
    last_year, _ = SchoolYear.objects.get_or_create(
        school=school,
        name="2025–2026",
        defaults={"starts_on": datetime.date(2025, 9, 1), "ends_on": datetime.date(2026, 5, 31), "is_current": False},
    )
    last_year_la1, _ = Classroom.objects.get_or_create(
        school=school, school_year=last_year, name="Lá 1", defaults={"age_group": "la", "room": la1.room}
    )
    Enrolment.objects.create(
        school=school, child=left, classroom=last_year_la1, starts_on=last_year.starts_on, ends_on=left.left_on
    )
    families.guardian_of(left, former, Relationship.MOTHER)
    families.consent(left, former, [ConsentPurpose.PORTFOLIO_PHOTOS])

    families.fill(first_number=100, signed_up=0.68, with_phone=True, consent=True)


def _hoa_sen(ctx) -> None:
    school = School.objects.get(slug="hoa-sen")
    if Child.objects.filter(school=school).exists():
        return
    families = _Families(ctx, school)
    parent = demo_user(ctx, "parent@hoasen.test", "Ngô Thị Phương", phone="+84987000003")
    kid = families.child(families.rooms["Chồi A"], "Ngô Bảo Ngọc", "f")
    families.guardian_of(kid, parent, Relationship.MOTHER)
    families.consent(kid, parent, [ConsentPurpose.PORTFOLIO_PHOTOS])
    families.fill(first_number=500, signed_up=0.6, with_phone=False, consent=False)


def seed_families(ctx) -> None:
    """The children of both demo schools and their families (about two thirds signed up)."""
    _sao_mai(ctx)
    _hoa_sen(ctx)
