"""Load the demo: two kindergartens of one district, with staff, children and families.

Idempotent: running it again changes nothing that is already there.
"""

from __future__ import annotations

import datetime
import random

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from activities.demo import seed_home_activities
from parents.consent_texts import CONSENT_TEXTS
from parents.models import ConsentPurpose, ConsentRecord, Guardianship, InvitationCode, Relationship
from parents.services import CODE_ALPHABET, CODE_LENGTH
from schools import demo, services
from schools.models import (
    LEADER_ROLES,
    Announcement,
    Child,
    Classroom,
    District,
    DistrictOfficer,
    Enrolment,
    PickupNotice,
    PickupPerson,
    School,
    SchoolYear,
    StaffMembership,
    StaffRole,
    school_today,
)

DEMO_PASSWORD = "demo-pass-2026"
YEAR_START = datetime.date(2026, 9, 1)
YEAR_END = datetime.date(2027, 5, 31)
# A code anyone can try on the join page (single use, like every code).
DEMO_CODE = "DEMO2026"

SAO_MAI_CLASSES = [
    ("Lá 1", "la", 26),
    ("Lá 2", "la", 26),
    ("Chồi 1", "choi", 25),
    ("Chồi 2", "choi", 25),
    ("Mầm 1", "mam", 24),
    ("Nhà trẻ 1", "nha_tre", 22),
]
HOA_SEN_CLASSES = [("Chồi A", "choi", 20), ("Mầm A", "mam", 18)]


class Command(BaseCommand):
    help = "Load the demo schools, accounts, children and families (idempotent)."

    def handle(self, *args, **options):
        self.rng = random.Random(2026)
        self.password = make_password(DEMO_PASSWORD)
        self.User = get_user_model()
        with transaction.atomic():
            self.seed()
        self.stdout.write(self.style.SUCCESS(f"Demo ready. Every demo account's password is {DEMO_PASSWORD}"))

    # --- building blocks -------------------------------------------------

    def user(self, email: str, full_name: str, *, phone: str | None = None, is_superuser: bool = False):
        user = self.User.objects.filter(email=email).first()
        if user is None:
            if phone and self.User.objects.filter(phone=phone).exists():
                phone = None
            user = self.User.objects.create(
                email=email,
                full_name=full_name,
                phone=phone,
                phone_verified=bool(phone),
                password=self.password,
                is_superuser=is_superuser,
                is_staff=is_superuser,
            )
        EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        return user

    def staff(self, school: School, user, role: str, classrooms=()):
        membership, _ = StaffMembership.objects.get_or_create(school=school, user=user, defaults={"role": role})
        if classrooms:
            membership.classrooms.add(*classrooms)
        if role in LEADER_ROLES and not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        return membership

    def school(self, district, slug, name, address, classes, year_name="2026–2027"):
        school, _ = School.objects.get_or_create(
            slug=slug,
            defaults={
                "district": district,
                "name": name,
                "address": address,
                "phone": "0225 3870 123",
                "about": "Trường mầm non công lập, nơi nhà trường, gia đình và cộng đồng cùng chăm sóc trẻ.",
            },
        )
        year, _ = SchoolYear.objects.get_or_create(
            school=school,
            name=year_name,
            defaults={"starts_on": YEAR_START, "ends_on": YEAR_END, "is_current": True},
        )
        rooms = {}
        for index, (class_name, age_group, size) in enumerate(classes, start=1):
            classroom, _ = Classroom.objects.get_or_create(
                school=school,
                school_year=year,
                name=class_name,
                defaults={"age_group": age_group, "room": f"P.{100 + index}"},
            )
            rooms[class_name] = (classroom, size)
        return school, rooms

    def child(self, school, classroom, full_name=None, sex=None, family=None):
        if full_name is None:
            full_name, sex = demo.child_name(self.rng, family)
        dob = demo.birth_date(self.rng, classroom.age_group, YEAR_START)
        child = Child.objects.create(
            school=school,
            full_name=full_name,
            sex=sex,
            date_of_birth=dob,
            classroom=classroom,
            nickname=self.rng.choice(demo.NICKNAMES) if self.rng.random() < 0.4 else "",
        )
        Enrolment.objects.create(school=school, child=child, classroom=classroom, starts_on=YEAR_START)
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

    def invitation(self, child, by, code=None):
        if code is None:
            code = "".join(self.rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        InvitationCode.objects.get_or_create(
            code=code,
            defaults={
                "school": child.school,
                "child": child,
                "created_by": by,
                "expires_at": timezone.now() + datetime.timedelta(days=365),
            },
        )

    # --- the demo --------------------------------------------------------

    def seed(self):
        district, _ = District.objects.get_or_create(
            slug="thuy-nguyen", defaults={"name": "Thủy Nguyên", "province": "Hải Phòng"}
        )
        officer = self.user("district@thuynguyen.test", "Đỗ Thị Hồng Nhung")
        DistrictOfficer.objects.get_or_create(
            district=district, user=officer, defaults={"title": "Chuyên viên Phòng Giáo dục"}
        )
        self.user("admin@coordination.test", "Quản trị hệ thống", is_superuser=True)

        sao_mai, rooms = self.school(
            district,
            "sao-mai",
            "Trường Mầm non Sao Mai",
            "Số 12 đường Bạch Đằng, Thủy Nguyên, Hải Phòng",
            SAO_MAI_CLASSES,
        )
        hoa_sen, hoa_sen_rooms = self.school(
            district, "hoa-sen", "Trường Mầm non Hoa Sen", "Thôn 3, xã Lập Lễ, Thủy Nguyên, Hải Phòng", HOA_SEN_CLASSES
        )

        principal = self.user("principal@saomai.test", "Nguyễn Thị Thu Hà", phone="+84912000001")
        self.staff(sao_mai, principal, StaffRole.PRINCIPAL)
        vice = self.user("vice@saomai.test", "Lê Thị Minh Tâm")
        self.staff(sao_mai, vice, StaffRole.VICE_PRINCIPAL)
        teacher = self.user("teacher@saomai.test", "Phạm Thị Lan", phone="+84912000002")
        self.staff(sao_mai, teacher, StaffRole.TEACHER, [rooms["Lá 1"][0]])
        teacher2 = self.user("teacher2@saomai.test", "Trần Thị Mai", phone="+84912000003")
        self.staff(sao_mai, teacher2, StaffRole.TEACHER, [rooms["Chồi 1"][0]])
        self.staff(sao_mai, self.user("nurse@saomai.test", "Vũ Thị Hạnh"), StaffRole.NURSE)
        self.staff(sao_mai, self.user("accountant@saomai.test", "Hoàng Văn Đức"), StaffRole.ACCOUNTANT)
        for n, (class_name, (classroom, _size)) in enumerate(rooms.items(), start=1):
            if classroom.teachers.exists() and class_name in {"Lá 1", "Chồi 1"}:
                continue
            colleague = self.user(f"gv{n}@saomai.test", demo.adult_name(random.Random(n), woman=True), phone=None)
            self.staff(sao_mai, colleague, StaffRole.TEACHER, [classroom])

        hoa_sen_principal = self.user("principal@hoasen.test", "Bùi Thị Ngọc Anh")
        self.staff(hoa_sen, hoa_sen_principal, StaffRole.PRINCIPAL)
        for n, (classroom, _size) in enumerate(hoa_sen_rooms.values(), start=1):
            self.staff(
                hoa_sen,
                self.user(f"gv{n}@hoasen.test", demo.adult_name(random.Random(100 + n), woman=True)),
                StaffRole.TEACHER,
                [classroom],
            )

        if not Child.objects.filter(school=sao_mai).exists():
            self.families_sao_mai(sao_mai, rooms, principal)
        if not Child.objects.filter(school=hoa_sen).exists():
            self.families_hoa_sen(hoa_sen, hoa_sen_rooms, hoa_sen_principal)
        self.announcement_sao_mai(sao_mai, principal)
        self.pickup_notices_la1(rooms["Lá 1"][0])
        seed_home_activities(school=sao_mai)

    def families_sao_mai(self, school, rooms, principal):
        la1, choi1, mam1 = rooms["Lá 1"][0], rooms["Chồi 1"][0], rooms["Mầm 1"][0]
        # The demo parent: two children in different classes (siblings).
        parent = self.user("parent@saomai.test", "Trần Thị Hoa", phone="+84987000001")
        father = self.user("bo.minhkhoi@saomai.test", "Nguyễn Văn Hùng", phone="+84987000011")
        khoi = self.child(school, la1, "Nguyễn Minh Khôi", "m")
        an = self.child(school, mam1, "Nguyễn Ngọc An", "f")
        for kid in (khoi, an):
            self.guardian_of(kid, parent, Relationship.MOTHER, primary=True)
            self.guardian_of(kid, father, Relationship.FATHER, primary=False)
            self.consent(kid, parent, [ConsentPurpose.PORTFOLIO_PHOTOS, ConsentPurpose.HEALTH_RECORDS])
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
        # The second demo parent: one child in a third class.
        parent2 = self.user("parent2@saomai.test", "Lê Thị Thanh Hương", phone="+84987000002")
        linh = self.child(school, choi1, "Phạm Khánh Linh", "f")
        self.guardian_of(linh, parent2, Relationship.MOTHER)
        self.consent(linh, parent2, list(ConsentPurpose.values))

        demo_code_child = self.child(school, la1, "Đặng Gia Bảo", "m")
        self.invitation(demo_code_child, principal, code=DEMO_CODE)

        # Everyone else: about two thirds of families have signed up.
        number = 100
        for classroom, size in rooms.values():
            current = classroom.children.count()
            for _ in range(size - current):
                family = self.rng.choice(demo.FAMILY_NAMES)
                kid = self.child(school, classroom, family=family)
                if self.rng.random() < 0.68:
                    number += 1
                    mother = self.user(
                        f"phuhuynh{number}@saomai.test",
                        demo.adult_name(self.rng, woman=True),
                        phone=demo.phone_number(self.rng),
                    )
                    self.guardian_of(kid, mother, Relationship.MOTHER)
                    if self.rng.random() < 0.7:
                        self.consent(kid, mother, [ConsentPurpose.PORTFOLIO_PHOTOS])
                else:
                    self.invitation(kid, principal)

    def families_hoa_sen(self, school, rooms, principal):
        chois = rooms["Chồi A"][0]
        parent = self.user("parent@hoasen.test", "Ngô Thị Phương", phone="+84987000003")
        kid = self.child(school, chois, "Ngô Bảo Ngọc", "f")
        self.guardian_of(kid, parent, Relationship.MOTHER)
        self.consent(kid, parent, [ConsentPurpose.PORTFOLIO_PHOTOS])
        number = 500
        for classroom, size in rooms.values():
            for _ in range(size - classroom.children.count()):
                kid = self.child(school, classroom)
                if self.rng.random() < 0.6:
                    number += 1
                    mother = self.user(f"phuhuynh{number}@hoasen.test", demo.adult_name(self.rng, woman=True))
                    self.guardian_of(kid, mother, Relationship.MOTHER)
                else:
                    self.invitation(kid, principal)

    # The pick-up time changes next week and the school wants every family to confirm it.
    PICKUP_ANNOUNCEMENT_TITLE = "Giờ đón trẻ mới từ thứ Hai tuần sau"
    PICKUP_ANNOUNCEMENT_BODY = (
        "Kính gửi quý phụ huynh,\n\n"
        "Từ thứ Hai tuần sau, nhà trường trả trẻ từ 16 giờ 15 đến 17 giờ 15 (sớm hơn 15 phút so với hiện nay) "
        "để các cô có thời gian vệ sinh lớp học. Phụ huynh cần đón muộn xin báo trước cho giáo viên chủ nhiệm "
        "qua mục “Báo đón trẻ” trên cổng thông tin.\n\n"
        "Trân trọng cảm ơn quý phụ huynh."
    )

    def announcement_sao_mai(self, school, principal):
        if Announcement.objects.filter(school=school, title=self.PICKUP_ANNOUNCEMENT_TITLE).exists():
            return
        announcement = services.announcement_post(
            school=school,
            by=principal,
            title=self.PICKUP_ANNOUNCEMENT_TITLE,
            body=self.PICKUP_ANNOUNCEMENT_BODY,
            kind=Announcement.Kind.PICKUP_TIME,
            requires_acknowledgement=True,
        )
        # Some families have already opened it, most of those confirmed; the demo parent has not yet.
        guardians = (
            self.User.objects.filter(guardianships__school=school)
            .exclude(email="parent@saomai.test")
            .distinct()
            .order_by("pk")
        )
        for guardian in guardians:
            if self.rng.random() < 0.55:
                services.announcement_mark_read(announcement=announcement, guardian=guardian)
                if self.rng.random() < 0.8:
                    services.announcement_acknowledge(announcement=announcement, guardian=guardian)

    def pickup_notices_la1(self, la1):
        """Two families of Lá 1 have told the teacher about today's pick-up (once per day, however often run)."""
        today = school_today()
        parent = self.User.objects.get(email="parent@saomai.test")
        khoi = Child.objects.get(classroom=la1, full_name="Nguyễn Minh Khôi")
        grandfather = PickupPerson.objects.filter(child=khoi, can_pick_up=True, relationship="Ông ngoại").first()
        if grandfather and not PickupNotice.objects.filter(child=khoi, date=today, sent_by=parent).exists():
            services.pickup_notice_send(
                child=khoi,
                by=parent,
                kind=PickupNotice.Kind.OTHER_PERSON,
                date=today,
                time=datetime.time(16, 45),
                reason="Mẹ đi công tác, ông ngoại đón cháu giúp.",
                pickup_person=grandfather,
            )
        other = (
            Guardianship.objects.filter(child__classroom=la1)
            .exclude(guardian=parent)
            .exclude(child=khoi)
            .select_related("guardian", "child")
            .order_by("pk")
            .first()
        )
        if other and not PickupNotice.objects.filter(child=other.child, date=today, sent_by=other.guardian).exists():
            services.pickup_notice_send(
                child=other.child,
                by=other.guardian,
                kind=PickupNotice.Kind.LATE,
                date=today,
                time=datetime.time(17, 30),
                reason="Bố mẹ tan ca muộn, xin cô trông cháu thêm một lúc.",
            )
