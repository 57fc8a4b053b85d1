"""Generate many kindergartens for benchmarks, with bulk inserts.

Each school `scale-00001`, `scale-00002`, … gets a current school year, six
classes, about 150 children with an open enrolment, families for about two
thirds of them (some with two children in different classes), a principal,
six teachers (one class each), a nurse and an accountant. Every ward of about
twenty schools (all in one province) has one officer, and so has the province.
Every account shares one password.

The data of school N depends only on N, so the output is the same whatever
the order of runs; schools that already exist are skipped, so `--schools 500`
after `--schools 10` adds 490.
"""

from __future__ import annotations

import datetime
import random
import time
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from activities import scale as activity_scale
from bench import scale
from parents.models import Guardianship, Relationship
from schools import demo
from schools.models import (
    Authority,
    AuthorityOfficer,
    Child,
    Classroom,
    Enrolment,
    School,
    SchoolYear,
    StaffMembership,
    StaffRole,
)

YEAR_NAME = "2026–2027"
YEAR_START = datetime.date(2026, 9, 1)
YEAR_END = datetime.date(2027, 5, 31)
GUARDIAN_SHARE = 2 / 3
SIBLING_SHARE = 0.12
SCHOOL_NAMES = [
    "Hoa Sen",
    "Sao Mai",
    "Hoa Hồng",
    "Họa Mi",
    "Sơn Ca",
    "Hoa Mai",
    "Hướng Dương",
    "Bình Minh",
    "Tuổi Thơ",
    "Hoa Phượng",
    "Ánh Dương",
    "Vành Khuyên",
]
SCHOOLS_PER_TRANSACTION = 20
BATCH_SIZE = 2000


@dataclass
class Batch:
    """Unsaved rows for a few schools, inserted table by table."""

    schools: list = field(default_factory=list)
    years: list = field(default_factory=list)
    classrooms: list = field(default_factory=list)
    users: list = field(default_factory=list)
    memberships: list = field(default_factory=list)
    # (membership, classroom) pairs for the teachers' M2M.
    taught: list = field(default_factory=list)
    children: list = field(default_factory=list)
    enrolments: list = field(default_factory=list)
    guardianships: list = field(default_factory=list)
    # Home activities (with their videos, and the sample school's answers).
    activities: activity_scale.Rows = field(default_factory=activity_scale.Rows)


class Command(BaseCommand):
    help = "Add benchmark schools scale-00001… with classes, children, families and staff (bulk inserts)."

    def add_arguments(self, parser):
        parser.add_argument("--schools", type=int, required=True, help="How many scale schools there should be.")
        parser.add_argument("--children-per-school", type=int, default=150)
        parser.add_argument("--ward-size", type=int, default=20, help="Schools per ward.")
        parser.add_argument("--activities-per-class", type=int, default=20, help="Home activities per class.")

    def handle(self, *args, schools: int, children_per_school: int, ward_size: int, **options):
        if not 0 <= schools <= 99_999:
            raise CommandError("--schools must be between 0 and 99999.")
        if children_per_school < len(scale.CLASSES) or ward_size < 1:
            raise CommandError("--children-per-school must be at least 6 and --ward-size at least 1.")
        self.children_per_school = children_per_school
        self.ward_size = ward_size
        self.activities_per_class = options["activities_per_class"]
        self.User = get_user_model()
        self.password = make_password(scale.SCALE_PASSWORD)

        present = {
            scale.school_number(slug)
            for slug in School.objects.filter(slug__startswith=scale.SLUG_PREFIX).values_list("slug", flat=True)
        }
        missing = [n for n in range(1, schools + 1) if n not in present]
        started = time.monotonic()
        for start in range(0, len(missing), SCHOOLS_PER_TRANSACTION):
            numbers = missing[start : start + SCHOOLS_PER_TRANSACTION]
            with transaction.atomic():
                self.insert(numbers)
            done = start + len(numbers)
            if options["verbosity"] >= 1 and len(missing) > 100 and (done % 100 == 0 or done == len(missing)):
                self.stdout.write(f"  {done}/{len(missing)} schools, {time.monotonic() - started:.0f} s")
        self.province_officer()
        elapsed = time.monotonic() - started
        if options["verbosity"] < 1:
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {len(missing)} scale schools in {elapsed:.1f} s ({schools - len(missing)} were already there)."
            )
        )
        if School.objects.filter(slug=scale.school_slug(scale.SAMPLE_SCHOOL)).exists():
            self.stdout.write(f"Sample principal: {scale.SAMPLE_PRINCIPAL}")
            self.stdout.write(f"Sample guardian:  {scale.SAMPLE_GUARDIAN}")
            self.stdout.write(f"Password of every scale account: {scale.SCALE_PASSWORD}")

    # --- building rows ---------------------------------------------------

    def user(self, batch: Batch, email: str, full_name: str, phone: str | None = None, **extra):
        user = self.User(
            email=email,
            full_name=full_name,
            phone=phone,
            phone_verified=bool(phone),
            password=self.password,
            language="vi",
            **extra,
        )
        batch.users.append(user)
        return user

    def province_officer(self) -> None:
        """The province's own officer (the Department of Education and Training), who sees every ward."""
        province = Authority.objects.filter(slug=scale.PROVINCE_SLUG).first()
        if province is None or AuthorityOfficer.objects.filter(authority=province).exists():
            return
        with transaction.atomic():
            batch = Batch()
            user = self.user(batch, scale.PROVINCE_OFFICER, "Trần Thị Sở")
            user.save()
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
            AuthorityOfficer.objects.create(authority=province, user=user, title="Chuyên viên Phòng Giáo dục Mầm non")

    def wards(self, batch: Batch, numbers: list[int]) -> tuple[dict[int, Authority], list[AuthorityOfficer]]:
        province, _ = Authority.objects.get_or_create(
            slug=scale.PROVINCE_SLUG, defaults={"name": "Tỉnh Thử Nghiệm", "level": Authority.Level.PROVINCE}
        )
        wanted = sorted({(n - 1) // self.ward_size + 1 for n in numbers})
        slugs = {scale.ward_slug(d): d for d in wanted}
        found = {slugs[a.slug]: a for a in Authority.objects.filter(slug__in=slugs)}
        new = [
            Authority(name=f"Phường {d}", slug=scale.ward_slug(d), level=Authority.Level.COMMUNE, province=province)
            for d in wanted
            if d not in found
        ]
        Authority.objects.bulk_create(new)
        officers = []
        for ward in new:
            d = slugs[ward.slug]
            rng = random.Random(scale.SEED * 1_000_000 + d)
            officer = self.user(batch, scale.officer_email(d), demo.adult_name(rng, woman=rng.random() < 0.6))
            officers.append(AuthorityOfficer(authority=ward, user=officer, title="Chuyên viên Văn hóa – Xã hội"))
            found[d] = ward
        return found, officers

    def school(self, batch: Batch, n: int, ward: Authority) -> None:
        rng = random.Random(scale.SEED * 100_000 + n)
        school = School(
            authority=ward,
            slug=scale.school_slug(n),
            name=f"Trường Mầm non {SCHOOL_NAMES[n % len(SCHOOL_NAMES)]} {n}",
            address=f"Số {rng.randint(1, 300)} đường {demo.adult_name(rng, woman=False)}",
            phone="0225 3870 123",
            about="Trường mầm non công lập.",
        )
        year = SchoolYear(school=school, name=YEAR_NAME, starts_on=YEAR_START, ends_on=YEAR_END, is_current=True)
        classrooms = [
            Classroom(school=school, school_year=year, name=name, age_group=age_group, room=f"P.{101 + i}")
            for i, (name, age_group) in enumerate(scale.CLASSES)
        ]
        batch.schools.append(school)
        batch.years.append(year)
        batch.classrooms.extend(classrooms)

        def phone(k: int) -> str | None:
            return f"+847{n:05d}{k:03d}" if k < 1000 else None

        def staff(role: str, user, classroom=None):
            membership = StaffMembership(school=school, user=user, role=role)
            batch.memberships.append(membership)
            if classroom is not None:
                batch.taught.append((membership, classroom))

        staff(
            StaffRole.PRINCIPAL,
            self.user(batch, scale.principal_email(n), demo.adult_name(rng, woman=True), phone(900), is_staff=True),
        )
        for i, classroom in enumerate(classrooms, start=1):
            teacher = self.user(batch, scale.teacher_email(n, i), demo.adult_name(rng, woman=True), phone(900 + i))
            staff(StaffRole.TEACHER, teacher, classroom)
        staff(StaffRole.NURSE, self.user(batch, scale.nurse_email(n), demo.adult_name(rng, woman=True)))
        staff(StaffRole.ACCOUNTANT, self.user(batch, scale.accountant_email(n), demo.adult_name(rng, woman=False)))

        # Children class by class; families for about two thirds of them.
        base, extra = divmod(self.children_per_school, len(classrooms))
        families: list[tuple[object, str, str, int]] = []  # (guardian, family name, relationship, class index)
        only_children: list[int] = []  # indexes into families of guardians with one child so far
        first_family = None
        codes = 0  # the children's codes, numbered per school (bulk_create skips Child.save, which gives them)
        for index, classroom in enumerate(classrooms):
            for seat in range(base + (1 if index < extra else 0)):
                guardian = relationship = None
                if index == 0 and seat == 0:
                    # The first family of every school (the benchmark's sample guardian)…
                    has_family, sibling, candidates = True, False, []
                elif index == 4 and seat == 0:
                    # …has its second child in Mầm 1.
                    has_family, sibling, candidates = True, True, [first_family]
                else:
                    has_family = rng.random() < GUARDIAN_SHARE
                    sibling = has_family and rng.random() < SIBLING_SHARE
                    candidates = [k for k in only_children if families[k][3] != index and k != first_family]
                if sibling and candidates:
                    k = rng.choice(candidates)
                    only_children.remove(k)
                    guardian, family, relationship, _ = families[k]
                elif has_family:
                    family = rng.choice(demo.FAMILY_NAMES)
                    woman = rng.random() < 0.8
                    number = len(families) + 1
                    guardian = self.user(
                        batch,
                        scale.guardian_email(n, number),
                        demo.adult_name(rng, woman=woman, family=None if woman else family),
                        phone(number),
                    )
                    relationship = Relationship.MOTHER if woman else Relationship.FATHER
                    only_children.append(len(families))
                    if first_family is None:
                        first_family = len(families)
                    families.append((guardian, family, relationship, index))
                else:
                    family = None
                full_name, sex = demo.child_name(rng, family)
                codes += 1
                child = Child(
                    school=school,
                    code=f"{codes:05d}",
                    full_name=full_name,
                    sex=sex,
                    date_of_birth=demo.birth_date(rng, classroom.age_group, YEAR_START),
                    classroom=classroom,
                    nickname=rng.choice(demo.NICKNAMES) if rng.random() < 0.4 else "",
                )
                batch.children.append(child)
                batch.enrolments.append(
                    Enrolment(school=school, child=child, classroom=classroom, starts_on=YEAR_START)
                )
                if guardian is not None:
                    batch.guardianships.append(
                        Guardianship(
                            school=school, child=child, guardian=guardian, relationship=relationship, is_primary=True
                        )
                    )
        activity_scale.add_school(
            batch.activities,
            school=school,
            taught=[(m.user, c) for m, c in batch.taught if m.school is school],
            children=[c for c in batch.children if c.school is school],
            families=[(g.child, g.guardian) for g in batch.guardianships if g.school is school],
            rng=random.Random(scale.SEED * 7_000_000 + n),
            per_class=self.activities_per_class,
            with_answers=n == scale.SAMPLE_SCHOOL,
        )

    # --- inserting -------------------------------------------------------

    def insert(self, numbers: list[int]) -> None:
        batch = Batch()
        wards, officers = self.wards(batch, numbers)
        for n in numbers:
            self.school(batch, n, wards[(n - 1) // self.ward_size + 1])

        def save(model, rows):
            # Rows point at objects inserted just before; bulk_create picks up their new keys.
            model.objects.bulk_create(rows, batch_size=BATCH_SIZE)

        save(School, batch.schools)
        save(SchoolYear, batch.years)
        save(Classroom, batch.classrooms)
        save(self.User, batch.users)
        EmailAddress.objects.bulk_create(
            [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in batch.users],
            batch_size=BATCH_SIZE,
        )
        save(AuthorityOfficer, officers)
        save(StaffMembership, batch.memberships)
        Through = StaffMembership.classrooms.through
        Through.objects.bulk_create(
            [Through(school_id=m.school_id, staffmembership_id=m.pk, classroom_id=c.pk) for m, c in batch.taught],
            batch_size=BATCH_SIZE,
        )
        save(Child, batch.children)
        save(Enrolment, batch.enrolments)
        save(Guardianship, batch.guardianships)
        activity_scale.save(batch.activities)
