"""A person's privacy requests: made on the portal or recorded from paper, acknowledged within working days,
completed within the legal deadline (extended once), carried out where the portal can; bad input changes
nothing; the school's contact works the queue and nobody else sees it."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext

from notifications.models import Notice
from parents.models import ConsentPurpose, ConsentRecord
from parents.policies import forget_guardianships
from privacy import deadlines, reminders, services
from privacy.models import Erasure, LegalHold, PrivacyRequest, RequestEvent, RequestKind, RequestStatus
from schools.models import SchoolDaysOff
from tests import factories as f

pytestmark = pytest.mark.django_db

MINE = "/privacy/my/"


def _vi(text: str) -> str:
    with translation.override("vi"):
        return gettext(text)


def _at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


# --- Deadlines


def test_acknowledgement_counts_working_days_past_weekends_holidays_and_the_schools_days_off(world):
    # Wednesday 29 April 2026: 30 April and 1 May are public holidays, then a weekend.
    acknowledge_by, complete_by = deadlines.request_deadlines(
        school=world.school, received_at=_at(datetime.date(2026, 4, 29))
    )
    assert acknowledge_by == datetime.date(2026, 5, 5)  # Monday 4 May, Tuesday 5 May
    assert complete_by == datetime.date(2026, 5, 14)  # 15 calendar days
    SchoolDaysOff.objects.create(
        school=world.school, starts_on=datetime.date(2026, 5, 4), ends_on=datetime.date(2026, 5, 4), name="Bù"
    )
    acknowledge_by, _ = deadlines.request_deadlines(school=world.school, received_at=_at(datetime.date(2026, 4, 29)))
    assert acknowledge_by == datetime.date(2026, 5, 6)


def test_the_deadlines_are_settings(world, settings):
    settings.PRIVACY_ACKNOWLEDGE_WORKING_DAYS, settings.PRIVACY_COMPLETE_DAYS = 1, 20
    acknowledge_by, complete_by = deadlines.request_deadlines(
        school=world.school, received_at=_at(datetime.date(2026, 12, 4))
    )
    assert (acknowledge_by, complete_by) == (datetime.date(2026, 12, 7), datetime.date(2026, 12, 24))


# --- Making a request


def test_a_guardian_asks_for_a_correction_about_their_child(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.parent)
    page = client.get(MINE)
    assert page.status_code == 200 and world.child.full_name in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(MINE, {"kind": "correction", "child": world.child.pk, "details": "Sai ngày sinh."})
    request = PrivacyRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/privacy/requests/{request.pk}/"
    assert (request.requester, request.child, request.kind, request.status) == (
        world.parent,
        world.child,
        "correction",
        "received",
    )
    assert request.school == world.school and request.details == "Sai ngày sinh."
    told = set(
        Notice.objects.filter(dedupe_key=f"privacy:request:{request.pk}:new").values_list("recipient", flat=True)
    )
    assert told == {world.principal.pk, world.vice_principal.pk}
    detail = client.get(response["Location"]).content.decode()
    assert _vi("Received") in detail and request.complete_by.strftime("%d/%m/%Y") in detail


def test_asking_about_a_child_who_is_not_ones_own_is_refused_and_changes_nothing(client, world):
    client.force_login(world.parent)
    response = client.post(MINE, {"kind": "erasure", "child": world.other_class_child.pk})
    assert response.status_code == 400
    assert PrivacyRequest.objects.count() == 0
    with pytest.raises(ValidationError) as error:
        services.request_make(user=world.parent, kind="erasure", child=world.other_class_child)
    assert (
        _vi("You can only ask about your own children.") in " ".join(error.value.messages) or error.value.message_dict
    )
    assert PrivacyRequest.objects.count() == 0


def test_a_family_viewer_cannot_ask_about_the_child_they_follow(client, world):
    client.force_login(world.family_viewer)
    response = client.post(MINE, {"kind": "access", "child": world.child.pk})
    assert response.status_code == 400 and PrivacyRequest.objects.count() == 0


def test_a_second_identical_open_request_is_refused_with_a_message(client, world):
    client.force_login(world.parent)
    client.post(MINE, {"kind": "erasure", "child": world.child.pk})
    response = client.post(MINE, {"kind": "erasure", "child": world.child.pk})
    assert response.status_code == 400
    assert (
        _vi("You already made this request and it is still open. You can follow it below.") in response.content.decode()
    )
    assert PrivacyRequest.objects.count() == 1
    # For the other child, or another kind, it is a new request.
    assert client.post(MINE, {"kind": "erasure", "child": world.sibling.pk}).status_code == 302
    assert PrivacyRequest.objects.count() == 2


def test_a_correction_without_details_is_refused(client, world):
    client.force_login(world.parent)
    response = client.post(MINE, {"kind": "correction", "child": world.child.pk, "details": " "})
    assert response.status_code == 400 and PrivacyRequest.objects.count() == 0
    assert _vi("Say what should change, so that the school can act on it.") in response.content.decode()


def test_a_staff_member_asks_about_their_own_data(world):
    request = services.request_make(user=world.teacher, kind="access")
    assert request.school == world.school and request.child is None


# --- The queue


def test_the_contact_sees_the_queue_and_nobody_else_does(client, world):
    request = services.request_make(user=world.parent, kind="correction", child=world.child, details="x")
    url = f"/privacy/schools/{world.school.slug}/requests/"
    client.force_login(world.principal)
    page = client.get(url).content.decode()
    assert f'data-request="{request.pk}"' in page and world.parent.full_name in page
    for persona in ("teacher", "nurse", "parent", "other_principal", "officer"):
        client.force_login(getattr(world, persona))
        assert client.get(url).status_code == 404, persona
        assert client.get(f"{url}{request.pk}/").status_code == 404, persona


def test_acknowledge_then_extend_once_with_a_reason(client, world, django_capture_on_commit_callbacks):
    request = services.request_make(user=world.parent, kind="correction", child=world.child, details="x")
    url = f"/privacy/schools/{world.school.slug}/requests/{request.pk}/"
    client.force_login(world.principal)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"action": "acknowledge"}).status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.ACKNOWLEDGED and request.acknowledged_at is not None
    assert Notice.objects.filter(
        recipient=world.parent, dedupe_key=f"privacy:request:{request.pk}:acknowledged"
    ).exists()

    too_far = request.complete_by + datetime.timedelta(days=16)
    response = client.post(
        url, {"action": "extend", "extend-until": too_far.strftime("%d/%m/%Y"), "extend-reason": "Cần hồ sơ."}
    )
    assert response.status_code == 400
    request.refresh_from_db()
    assert request.extended_to is None

    until = request.complete_by + datetime.timedelta(days=10)
    response = client.post(
        url, {"action": "extend", "extend-until": until.strftime("%d/%m/%Y"), "extend-reason": "Cần hồ sơ."}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.extended_to == until and request.deadline == until
    again = client.post(
        url, {"action": "extend", "extend-until": until.strftime("%d/%m/%Y"), "extend-reason": "Lần nữa."}
    )
    assert again.status_code == 400
    assert _vi("The deadline was already extended once; it cannot be extended again.") in again.content.decode()
    actions = list(RequestEvent.objects.filter(request=request).values_list("action", flat=True))
    assert actions == ["received", "acknowledged", "extended"]


def test_a_paper_request_from_a_pickup_person(client, world):
    client.force_login(world.principal)
    url = f"/privacy/schools/{world.school.slug}/requests/paper/"
    response = client.post(
        url,
        {"kind": "erasure", "requester_name": "Bà Năm", "relationship": "Người đón trẻ", "child": world.child.pk},
    )
    request = PrivacyRequest.objects.get()
    assert response.status_code == 302 and request.channel == "paper" and request.requester is None
    assert request.recorded_by == world.principal
    # A child of another school is not offered, and a missing name is refused.
    assert (
        client.post(url, {"kind": "erasure", "requester_name": "X", "child": world.other_school_child.pk}).status_code
        == 400
    )
    assert client.post(url, {"kind": "erasure", "requester_name": ""}).status_code == 400
    assert PrivacyRequest.objects.count() == 1
    # Carried out by hand: the contact writes what was erased.
    with pytest.raises(ValidationError):
        services.request_complete(request=request, by=world.principal)
    services.request_complete(request=request, by=world.principal, outcome="Đã xoá số điện thoại của bà Năm.")
    request.refresh_from_db()
    assert request.status == RequestStatus.COMPLETED


def test_a_withdrawal_records_the_consent_withdrawn(world):
    f.ConsentFactory(child=world.child, guardian=world.parent, purpose=ConsentPurpose.PORTFOLIO_PHOTOS, granted=True)
    request = services.request_make(
        user=world.parent, kind="withdrawal", child=world.child, consent_purpose=ConsentPurpose.PORTFOLIO_PHOTOS
    )
    services.request_complete(request=request, by=world.principal)
    latest = ConsentRecord.objects.filter(
        child=world.child, guardian=world.parent, purpose=ConsentPurpose.PORTFOLIO_PHOTOS
    ).first()
    assert latest is not None and latest.granted is False
    request.refresh_from_db()
    assert request.status == RequestStatus.COMPLETED


# --- Erasure with two guardians, and holds


def test_a_childs_data_is_erased_when_every_guardian_has_asked(world, django_capture_on_commit_callbacks):
    second = f.UserFactory(email="father@example.test", full_name="Nguyễn Văn Ba")
    f.GuardianshipFactory(child=world.child, guardian=second)
    first = services.request_make(user=world.parent, kind=RequestKind.ERASURE, child=world.child)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_complete(request=first, by=world.principal)
    first.refresh_from_db()
    assert first.status == RequestStatus.WAITING
    assert Erasure.objects.filter(subject="person", subject_id=world.parent.pk).count() == 1
    assert not Erasure.objects.filter(subject="child").exists()
    assert Notice.objects.filter(recipient=second, dedupe_key__startswith=f"privacy:request:{first.pk}:others").exists()

    second_request = services.request_make(user=second, kind=RequestKind.ERASURE, child=world.child)
    services.request_complete(request=second_request, by=world.principal)
    assert Erasure.objects.filter(subject="child", subject_id=world.child.pk).count() == 1
    first.refresh_from_db()
    second_request.refresh_from_db()
    assert first.status == second_request.status == RequestStatus.COMPLETED


def test_erasing_under_a_legal_hold_is_refused_and_changes_nothing(client, world):
    LegalHold.objects.create(
        school=world.school, child=world.child, reason="Đang giải quyết khiếu nại", placed_by=world.principal
    )
    request = services.request_make(user=world.parent, kind=RequestKind.ERASURE, child=world.child)
    client.force_login(world.principal)
    response = client.post(f"/privacy/schools/{world.school.slug}/requests/{request.pk}/", {"action": "complete"})
    assert response.status_code == 400 and "Đang giải quyết khiếu nại" in response.content.decode()
    request.refresh_from_db()
    assert request.status == RequestStatus.RECEIVED and not Erasure.objects.exists()
    world.parent.refresh_from_db()
    assert world.parent.is_active and world.parent.email == "parent@example.test"


def test_the_contact_places_and_lifts_a_hold(client, world):
    client.force_login(world.principal)
    url = f"/privacy/schools/{world.school.slug}/holds/"
    assert client.post(url, {"child": world.other_school_child.pk, "reason": "x"}).status_code == 400
    assert client.post(url, {"child": world.child.pk, "reason": "Thanh tra"}).status_code == 302
    hold = LegalHold.objects.get()
    assert client.post(f"{url}{hold.pk}/lift/").status_code == 302
    hold.refresh_from_db()
    assert hold.lifted_at is not None


# --- Reminders


def test_the_contacts_are_reminded_once_before_a_deadline(world):
    request = services.request_make(user=world.parent, kind="correction", child=world.child, details="x")
    Notice.objects.all().delete()
    assert reminders.deadline_reminders_send(now=timezone.now() - datetime.timedelta(days=1)) == 0  # not yet
    early = _at(request.acknowledge_by - datetime.timedelta(days=1))
    assert reminders.deadline_reminders_send(now=early) == 2  # the acknowledgement is due tomorrow
    assert reminders.deadline_reminders_send(now=early) == 0
    late = _at(request.complete_by - datetime.timedelta(days=1))
    assert reminders.deadline_reminders_send(now=late) == 2  # the completion deadline now
    assert reminders.deadline_reminders_send(now=late) == 0
    recipients = set(Notice.objects.values_list("recipient", flat=True))
    assert recipients == {world.principal.pk, world.vice_principal.pk}


def test_the_family_privacy_page_runs_a_fixed_number_of_queries(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.former_parent)
    services.request_make(user=world.former_parent, kind="access")
    client.get(MINE)
    with CaptureQueriesContext(connection) as one:
        assert client.get(MINE).status_code == 200
    for number in range(8):
        child = f.ChildFactory(
            school=world.school, classroom=None, left_on=datetime.date(2026, 5, 29), full_name=f"Trẻ {number}"
        )
        f.GuardianshipFactory(child=child, guardian=world.former_parent)
        forget_guardianships(world.former_parent)
        services.request_make(user=world.former_parent, kind="erasure", child=child)
    with CaptureQueriesContext(connection) as many:
        page = client.get(MINE)
    assert page.status_code == 200 and page.content.decode().count("data-retention=") == 9
    assert len(many) == len(one)
