"""Offering a home activity to the authority's library: only one that shows no child, confirmed by the
teacher and checked by the officer, who may refuse it with a reason."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.html import escape

from activities import services_library
from activities.models import LibraryEntry
from tests.activities.library import TITLE, entry_make
from tests.activities.makers import activity_make, photo_make

pytestmark = pytest.mark.django_db


def _published(world):
    return activity_make(
        school=world.school,
        by=world.teacher,
        classrooms=[world.classroom],
        photos=[photo_make(school=world.school, by=world.teacher)],
    )


def test_offering_without_the_no_child_confirmation_says_why_and_changes_nothing(world, client):
    activity = _published(world)
    client.force_login(world.teacher)
    response = client.post(f"/activities/{activity.pk}/offer/", {"authority": world.school.authority.pk})
    assert response.status_code == 400
    with translation.override("vi"):  # the portal speaks Vietnamese first
        said = translation.gettext(
            "Confirm that the video, the photos and the voice show no child: "
            "only such activities can go to the library."
        )
    assert escape(said) in response.content.decode()
    assert not LibraryEntry.objects.exists()


def test_the_service_refuses_an_offer_without_the_confirmation(world):
    activity = _published(world)
    with pytest.raises(ValidationError) as refused:
        services_library.library_offer(
            activity=activity, by=world.teacher, authority=world.school.authority, no_child_confirmed=False
        )
    assert "no_child_confirmed" in refused.value.error_dict
    assert not LibraryEntry.objects.exists()


def test_the_teacher_offers_with_the_confirmation_to_the_ward_or_the_province(world, client):
    activity = _published(world)
    client.force_login(world.teacher)
    page = client.get(f"/activities/{activity.pk}/offer/").content.decode()
    assert world.school.authority.name in page and world.school.authority.province.name in page
    response = client.post(
        f"/activities/{activity.pk}/offer/",
        {"authority": world.school.authority.province_id, "no_child_confirmed": "on"},
    )
    assert response.status_code == 302
    entry = LibraryEntry.objects.get()
    assert (entry.authority_id, entry.state, entry.no_child_confirmed) == (
        world.school.authority.province_id,
        LibraryEntry.State.OFFERED,
        True,
    )


def test_another_schools_authority_is_not_offered(world, client):
    activity = _published(world)
    client.force_login(world.teacher)
    response = client.post(
        f"/activities/{activity.pk}/offer/",
        {"authority": world.other_school.authority.pk, "no_child_confirmed": "on"},
    )
    assert response.status_code == 400
    assert not LibraryEntry.objects.exists()


def test_the_officer_refuses_with_a_reason_the_school_reads(world, client):
    entry = entry_make(school=world.school, by=world.teacher, state=LibraryEntry.State.OFFERED)
    client.force_login(world.officer)
    response = client.post(
        f"/activity-library/{entry.pk}/decide/", {"decision": "refuse", "reason": "Thấy mặt bé ở giây 12."}
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.state == LibraryEntry.State.REFUSED
    client.force_login(world.teacher)
    assert "Thấy mặt bé ở giây 12." in client.get(f"/activities/{entry.activity_id}/offer/").content.decode()


def test_refusing_needs_a_reason_and_approving_needs_the_officers_check(world, client):
    entry = entry_make(school=world.school, by=world.teacher, state=LibraryEntry.State.OFFERED)
    client.force_login(world.officer)
    assert client.post(f"/activity-library/{entry.pk}/decide/", {"decision": "refuse"}).status_code == 400
    approve = {"decision": "approve", "domain": "cognitive", "age_group": "la"}
    assert client.post(f"/activity-library/{entry.pk}/decide/", approve).status_code == 400
    entry.refresh_from_db()
    assert entry.state == LibraryEntry.State.OFFERED
    response = client.post(
        f"/activity-library/{entry.pk}/decide/", {**approve, "no_child_checked": "on", "featured": "on"}
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.state, entry.domain, entry.featured) == (LibraryEntry.State.APPROVED, "cognitive", True)


def test_what_waits_is_for_the_officers_and_the_offering_school_only(world, client, neighbour):
    entry = entry_make(school=world.school, by=world.teacher, state=LibraryEntry.State.OFFERED)
    _school, _classroom, neighbour_teacher = neighbour
    client.force_login(world.officer)
    assert TITLE in client.get(f"/authorities/{world.school.authority.slug}/activity-library/").content.decode()
    client.force_login(neighbour_teacher)
    assert client.get(f"/activity-library/{entry.pk}/").status_code == 404
    assert TITLE not in client.get(f"/authorities/{world.school.authority.slug}/activity-library/").content.decode()


@pytest.mark.parametrize("persona", ["foreign_officer", "foreign_teacher", "parent", "family_viewer"])
def test_an_officer_of_another_area_and_families_see_nothing_of_the_library(world, client, persona):
    entry = entry_make(school=world.school, by=world.teacher)
    client.force_login(getattr(world, persona))
    assert client.get(f"/authorities/{world.school.authority.slug}/activity-library/").status_code == 404
    assert client.get(f"/activity-library/{entry.pk}/").status_code == 404
    response = client.post(f"/activity-library/{entry.pk}/decide/", {"decision": "refuse", "reason": "x"})
    assert response.status_code == 404
    entry.refresh_from_db()
    assert entry.state == LibraryEntry.State.APPROVED
