import datetime

import factory
from django.utils import timezone

from accounts.models import User
from parents.models import ConsentRecord, FamilyViewer, Guardianship, InvitationCode, Relationship
from schools.models import (
    Authority,
    AuthorityOfficer,
    Child,
    Classroom,
    Enrolment,
    PickupPerson,
    School,
    SchoolYear,
    StaffMembership,
)

PASSWORD = "test-pass-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    full_name = factory.Sequence(lambda n: f"Người dùng {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create and self.email and extracted is not False:
            from allauth.account.models import EmailAddress

            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)
        if create:
            self.save()


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Authority

    name = factory.Sequence(lambda n: f"Tỉnh {n}")
    slug = factory.Sequence(lambda n: f"tinh-{n}")
    level = Authority.Level.PROVINCE


class CommuneFactory(factory.django.DjangoModelFactory):
    """A commune, ward or special zone: the authority that licenses kindergartens."""

    class Meta:
        model = Authority

    name = factory.Sequence(lambda n: f"Phường {n}")
    slug = factory.Sequence(lambda n: f"phuong-{n}")
    level = Authority.Level.COMMUNE
    province = factory.SubFactory(ProvinceFactory)


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    authority = factory.SubFactory(CommuneFactory)
    name = factory.Sequence(lambda n: f"Trường Mầm non {n}")
    slug = factory.Sequence(lambda n: f"truong-{n}")


class SchoolYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolYear

    school = factory.SubFactory(SchoolFactory)
    name = "2026–2027"
    starts_on = datetime.date(2026, 9, 1)
    ends_on = datetime.date(2027, 5, 31)
    is_current = True


class ClassroomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Classroom

    school = factory.SubFactory(SchoolFactory)
    school_year = factory.LazyAttribute(
        lambda o: (
            SchoolYear.objects.filter(school=o.school, is_current=True).first() or SchoolYearFactory(school=o.school)
        )
    )
    name = factory.Sequence(lambda n: f"Lá {n}")
    age_group = "la"


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child
        skip_postgeneration_save = True

    classroom = factory.SubFactory(ClassroomFactory)
    school = factory.LazyAttribute(lambda o: o.classroom.school)
    full_name = factory.Sequence(lambda n: f"Nguyễn Bé {n}")
    date_of_birth = datetime.date(2021, 5, 4)
    sex = "f"

    @factory.post_generation
    def enrol(self, create, extracted, **kwargs):
        if create and self.classroom_id:
            Enrolment.objects.create(
                school=self.school, child=self, classroom=self.classroom, starts_on=datetime.date(2026, 9, 1)
            )


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMembership
        skip_postgeneration_save = True

    school = factory.SubFactory(SchoolFactory)
    user = factory.SubFactory(UserFactory)
    role = "teacher"

    @factory.post_generation
    def classrooms(self, create, extracted, **kwargs):
        if create and extracted:
            self.classrooms.set(extracted)


class GuardianshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guardianship

    child = factory.SubFactory(ChildFactory)
    school = factory.LazyAttribute(lambda o: o.child.school)
    guardian = factory.SubFactory(UserFactory)
    relationship = Relationship.MOTHER
    is_primary = True


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InvitationCode

    child = factory.SubFactory(ChildFactory)
    school = factory.LazyAttribute(lambda o: o.child.school)
    code = factory.Sequence(lambda n: f"TEST{n:04d}"[-8:].rjust(8, "X"))
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))


class PickupPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PickupPerson

    child = factory.SubFactory(ChildFactory)
    school = factory.LazyAttribute(lambda o: o.child.school)
    full_name = "Trần Văn Ông"
    relationship = "Ông nội"
    phone = "+84912345678"


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsentRecord

    child = factory.SubFactory(ChildFactory)
    school = factory.LazyAttribute(lambda o: o.child.school)
    guardian = factory.SubFactory(UserFactory)
    purpose = "portfolio_photos"
    granted = True
    text_version = "2026-01"
    text = "…"


class AuthorityOfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuthorityOfficer

    authority = factory.SubFactory(CommuneFactory)
    user = factory.SubFactory(UserFactory)


class FamilyViewerFactory(factory.django.DjangoModelFactory):
    """An accepted invitation: the viewer follows the child."""

    class Meta:
        model = FamilyViewer

    child = factory.SubFactory(ChildFactory)
    school = factory.LazyAttribute(lambda o: o.child.school)
    viewer = factory.SubFactory(UserFactory)
    name = "Bà nội"
    relationship = "Bà nội"
    token = factory.Sequence(lambda n: f"viewer-invitation-{n:06d}")
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=14))
    accepted_at = factory.LazyFunction(timezone.now)
