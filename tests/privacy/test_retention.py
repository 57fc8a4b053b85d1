"""The nightly retention run against a moved clock: a child who left is erased once the family's portfolio
access and the grace period have passed (never earlier, never under a legal hold), each school's own
periods apply, and each run records what it removed."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from privacy import retention, services
from privacy.models import Erasure, LegalHold, PrivacyRequest, RequestKind, RequestStatus, RetentionPeriod, RetentionRun

pytestmark = pytest.mark.django_db


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(2, 30)))


def test_a_child_who_left_is_erased_after_portfolio_access_and_grace(world):
    # Left on 29 May 2026; Sao Mai keeps portfolios 12 months, then 30 days of grace: erased on 28 June 2027.
    world.school.portfolio_access_months = 12
    world.school.save(update_fields=["portfolio_access_months"])
    erase_on = retention.child_erase_on(world.left_child, grace_days=30)
    assert erase_on == datetime.date(2027, 6, 28)

    run = retention.retention_run(school=world.school, now=_at(datetime.date(2027, 6, 27)))
    assert "privacy.children_erased" not in run.removed
    assert not Erasure.objects.filter(subject="child").exists()

    run = retention.retention_run(school=world.school, now=_at(erase_on))
    assert run.removed["privacy.children_erased"] == 1
    erasure = Erasure.objects.get(subject="child")
    assert (erasure.subject_id, erasure.reason) == (world.left_child.pk, "retention")
    # Children still at school are never touched, and a second run erases nothing more.
    again = retention.retention_run(school=world.school, now=_at(erase_on + datetime.timedelta(days=1)))
    assert "privacy.children_erased" not in again.removed
    assert Erasure.objects.filter(subject="child").count() == 1
    assert RetentionRun.objects.filter(school=world.school).count() == 3


def test_a_schools_own_period_and_a_legal_hold(world):
    RetentionPeriod.objects.create(school=world.school, key=retention.LEFT_CHILDREN, days=90)
    erase_on = retention.child_erase_on(world.left_child, grace_days=90)
    assert (
        retention.retention_run(school=world.school, now=_at(erase_on - datetime.timedelta(days=1))).removed.get(
            "privacy.children_erased"
        )
        is None
    )
    hold = LegalHold.objects.create(school=world.school, child=world.left_child, reason="Thanh tra")
    run = retention.retention_run(school=world.school, now=_at(erase_on))
    assert run.removed.get("privacy.children_held") == 1 and not Erasure.objects.exists()
    hold.lifted_at = timezone.now()
    hold.save()
    assert retention.retention_run(school=world.school, now=_at(erase_on)).removed["privacy.children_erased"] == 1


def test_a_request_waiting_for_the_other_guardians_is_completed_by_the_retention(world):
    request = services.request_make(user=world.former_parent, kind=RequestKind.ERASURE, child=world.left_child)
    PrivacyRequest.objects.filter(pk=request.pk).update(status=RequestStatus.WAITING)
    retention.retention_run(school=world.school, now=_at(datetime.date(2027, 7, 1)))
    request.refresh_from_db()
    assert request.status == RequestStatus.COMPLETED


def test_the_former_family_sees_the_day_its_childs_data_goes(client, world):
    client.force_login(world.former_parent)
    page = client.get("/privacy/my/").content.decode()
    assert f'data-retention="{world.left_child.pk}"' in page and "28/06/2027" in page


def test_the_contact_sees_the_periods_and_the_runs(client, world):
    retention.retention_run(school=world.school, now=_at(datetime.date(2027, 7, 1)))
    client.force_login(world.principal)
    page = client.get(f"/privacy/schools/{world.school.slug}/retention/").content.decode()
    assert "privacy.children_erased 1" in page
    assert (
        client.post(f"/privacy/schools/{world.school.slug}/retention/", {retention.LEFT_CHILDREN: 0}).status_code == 400
    )
    assert not RetentionPeriod.objects.exists()
