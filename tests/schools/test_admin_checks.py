"""A school-scoped admin that could offer a choice it cannot scope does not start."""

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from notifications.models import Delivery, Notice
from schools.admin_base import SchoolScopedAdmin, SchoolScopedInline, declare_school_path, scope_queryset
from schools.models import Authority, Child, Enrolment, PickupPerson


def _ids(admin_class, model):
    return {message.id for message in admin_class(model, admin.site).check()}


def test_every_registered_admin_passes_the_scoping_checks():
    errors = [message for message in checks.run_checks(tags=[checks.Tags.admin]) if message.is_serious()]
    assert errors == []


def test_a_raw_id_field_is_an_error():
    class PickupPersonByRawId(SchoolScopedAdmin):
        raw_id_fields = ["child"]

    assert _ids(PickupPersonByRawId, PickupPerson) == {"schools.E001"}


def test_a_model_the_admin_cannot_follow_to_a_school_is_an_error():
    # A log entry names a content type and a user, and has no school.
    assert _ids(SchoolScopedAdmin, LogEntry) == {"schools.E002", "schools.E004"}


def test_an_inline_that_does_not_scope_its_choices_is_an_error():
    class PlainEnrolments(admin.TabularInline):
        model = Enrolment

    class ScopedEnrolments(SchoolScopedInline):
        model = Enrolment

    class ChildWithPlainInline(SchoolScopedAdmin):
        inlines = [PlainEnrolments]

    class ChildWithScopedInline(SchoolScopedAdmin):
        inlines = [ScopedEnrolments]

    assert _ids(ChildWithPlainInline, Child) == {"schools.E003"}
    assert _ids(ChildWithScopedInline, Child) == set()


@pytest.mark.django_db
def test_a_form_that_meets_an_unknown_relation_fails_loudly_even_for_a_superuser(world):
    request = RequestFactory().get("/admin/")
    request.user = world.superuser
    with pytest.raises(ImproperlyConfigured, match="contenttypes.ContentType"):
        SchoolScopedAdmin(LogEntry, admin.site).formfield_for_dbfield(LogEntry._meta.get_field("content_type"), request)


@pytest.mark.django_db
def test_paths_are_followed_through_a_declaration_or_the_models_admin(world, monkeypatch):
    """A delivery's school is its notice's (DeliveryAdmin.school_path); an authority's, its schools'."""
    mine = Notice.objects.create(recipient=world.parent, school=world.school, category="activity", title="A")
    theirs = Notice.objects.create(
        recipient=world.foreign_parent, school=world.other_school, category="activity", title="B"
    )
    ours = Delivery.objects.create(notice=mine, channel="email")
    Delivery.objects.create(notice=theirs, channel="email")
    assert list(scope_queryset(Delivery.objects.all(), {world.school.pk})) == [ours]
    assert list(scope_queryset(Authority.objects.all(), {world.school.pk})) == [world.school.authority]

    from schools import admin_base

    monkeypatch.setattr(admin_base, "_declared_paths", {})
    with pytest.raises(ImproperlyConfigured):
        scope_queryset(LogEntry.objects.all(), {world.school.pk})
    from django.contrib.contenttypes.models import ContentType

    def log(user):
        return LogEntry.objects.create(
            user=user, content_type=ContentType.objects.get_for_model(Child), object_repr="…", action_flag=1
        )

    by_principal, _by_other = log(world.principal), log(world.other_principal)
    declare_school_path(LogEntry, "user__staff_memberships__school")
    assert list(scope_queryset(LogEntry.objects.all(), {world.school.pk})) == [by_principal]
