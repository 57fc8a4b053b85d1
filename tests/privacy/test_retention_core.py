"""The core apps' retention rules, run with a moved clock: old notices, delivery addresses, invitation codes."""

from __future__ import annotations

import datetime

import pytest

from notifications import reminders
from notifications.models import Delivery, Notice, ReminderTally
from notifications.reminders import FollowUps, Job, Reminder, reminder_job_run, reminder_source_register
from notifications.services import notice_send
from parents.models import InvitationCode
from parents.services import invitation_claim
from privacy.declarations import retention_rules
from tests import factories as f
from tests.notifications.conftest import at, clock, prefer  # noqa: F401 (clock: the fixture)

WEEK = datetime.timedelta(days=7)


def send(person, key, school):
    return notice_send(recipient=person, category="works", title="A work", body="", dedupe_key=key, school=school)


def rule(key: str) -> dict:
    [found] = [item for item in retention_rules() if item["key"] == key]
    return found


def test_each_core_rule_has_a_label_and_a_default_period():
    keys = {item["key"]: item for item in retention_rules()}
    for key in ("notifications.notices", "notifications.delivery_addresses", "parents.invitation_codes"):
        assert keys[key]["days"] > 0 and str(keys[key]["label"]) and callable(keys[key]["purge"])


@pytest.fixture
def series(world):
    """A pledge follow-up series for the parent: at most two reminders, a week apart."""
    saved = dict(reminders._registry[Job.PLEDGE_FOLLOW_UPS])
    prefer(world.parent, frequency="immediate")
    reminder_source_register(
        job=Job.PLEDGE_FOLLOW_UPS,
        name="test-pledges",
        follow_ups=FollowUps(limit=2, spacing=WEEK),
        produce=lambda run: [
            Reminder(
                recipients=(world.parent.pk,),
                category="pledges",
                title="Your pledge",
                key="pledge:1",
                school_id=world.school.pk,
            )
        ],
    )
    yield
    reminders._registry[Job.PLEDGE_FOLLOW_UPS] = saved


@pytest.mark.django_db
def test_purged_follow_ups_still_count_so_nobody_is_reminded_more_often(world, series, clock):  # noqa: F811
    clock.to(at(2026, 1, 5, 10, 0))
    sent_on = []
    for _day in range(20):
        if reminder_job_run(job=Job.PLEDGE_FOLLOW_UPS).sent:
            sent_on.append(_day)
        clock.shift(days=1)
    assert sent_on == [0, 7]

    clock.to(at(2027, 3, 1, 10, 0))
    now = at(2027, 3, 1, 10, 0)
    removed = rule("notifications.notices")["purge"](
        school=world.school, cutoff=now - datetime.timedelta(days=365), now=now
    )
    assert removed >= 2
    assert not Notice.objects.filter(recipient=world.parent).exists()
    tally = ReminderTally.objects.get(recipient=world.parent)
    assert tally.count == 2 and tally.key == "reminder:pledge-follow-ups:pledge:1"

    for _day in range(20):
        assert not reminder_job_run(job=Job.PLEDGE_FOLLOW_UPS).sent
        clock.shift(days=1)
    assert not Notice.objects.filter(recipient=world.parent).exists()


@pytest.mark.django_db
def test_a_purge_between_two_follow_ups_keeps_the_limit_and_the_spacing(world, series, clock):  # noqa: F811
    clock.to(at(2026, 1, 5, 10, 0))
    assert reminder_job_run(job=Job.PLEDGE_FOLLOW_UPS).sent == 1
    now = at(2026, 1, 8, 10, 0)
    clock.to(now)
    rule("notifications.notices")["purge"](school=world.school, cutoff=now, now=now)
    assert not Notice.objects.filter(recipient=world.parent).exists()

    assert not reminder_job_run(job=Job.PLEDGE_FOLLOW_UPS).sent  # three days after the first: too soon
    clock.shift(days=4)
    assert reminder_job_run(job=Job.PLEDGE_FOLLOW_UPS).sent == 1
    assert Notice.objects.get(recipient=world.parent).dedupe_key.endswith("#2")
    clock.shift(days=30)
    rule("notifications.notices")["purge"](school=world.school, cutoff=at(2026, 2, 20), now=at(2026, 2, 20))
    assert ReminderTally.objects.get(recipient=world.parent).count == 2
    assert not reminder_job_run(job=Job.PLEDGE_FOLLOW_UPS).sent


@pytest.mark.django_db
def test_notices_are_purged_per_school_and_only_when_old(world, clock):  # noqa: F811
    clock.to(at(2026, 1, 5, 10, 0))
    old = send(world.parent, "a", world.school)
    elsewhere = send(world.foreign_parent, "b", world.other_school)
    clock.to(at(2026, 12, 1, 10, 0))
    recent = send(world.parent, "c", world.school)
    now = at(2027, 1, 10)
    rule("notifications.notices")["purge"](school=world.school, cutoff=now - datetime.timedelta(days=365), now=now)

    assert set(Notice.objects.values_list("pk", flat=True)) == {elsewhere.pk, recent.pk}
    assert not Delivery.objects.filter(notice_id=old.pk).exists()
    assert not ReminderTally.objects.exists()


@pytest.mark.django_db
def test_delivery_addresses_are_blanked_after_the_bounce_window(world, clock):  # noqa: F811
    clock.to(at(2026, 3, 2, 10, 0))
    prefer(world.parent, frequency="immediate")
    notice = send(world.parent, "a", world.school)
    sent = Delivery.objects.get(notice=notice, channel="email")
    Delivery.objects.filter(pk=sent.pk).update(
        state=Delivery.State.SENT, address="new@example.test", last_error="550 new@example.test unknown"
    )
    waiting = Delivery.objects.create(notice=notice, channel="sms", address="+84912345678", state=Delivery.State.FAILED)
    purge = rule("notifications.delivery_addresses")["purge"]
    now = at(2026, 3, 20)
    assert purge(school=world.school, cutoff=now - datetime.timedelta(days=30), now=now) == 0

    now = at(2026, 4, 10)
    assert purge(school=world.school, cutoff=now - datetime.timedelta(days=30), now=now) == 1
    sent.refresh_from_db()
    assert (sent.address, sent.last_error, sent.state) == ("", "", Delivery.State.SENT)
    waiting.refresh_from_db()
    assert waiting.address == "+84912345678"  # still on its way: the worker needs it
    assert purge(school=world.school, cutoff=now - datetime.timedelta(days=30), now=now) == 0


@pytest.mark.django_db
def test_invitation_codes_are_emptied_after_expiry_and_the_record_stays(world):
    now = datetime.datetime(2026, 9, 1, tzinfo=datetime.UTC)
    expired = f.InvitationFactory(child=world.child, code="OLDCODE1", expires_at=now - datetime.timedelta(days=100))
    recent = f.InvitationFactory(child=world.child, code="NEWCODE1", expires_at=now - datetime.timedelta(days=10))
    used = f.InvitationFactory(child=world.sibling, code="USEDCODE")
    invitation_claim(code="USEDCODE", user=world.other_parent, relationship="father")
    InvitationCode.objects.filter(pk=used.pk).update(claimed_at=now - datetime.timedelta(days=200))
    foreign = f.InvitationFactory(
        child=world.other_school_child, code="FOREIGN1", expires_at=now - datetime.timedelta(days=100)
    )
    purge = rule("parents.invitation_codes")["purge"]

    assert purge(school=world.school, cutoff=now - datetime.timedelta(days=90), now=now) == 2
    assert purge(school=world.school, cutoff=now - datetime.timedelta(days=90), now=now) == 0

    codes = dict(InvitationCode.objects.exclude(pk=world.invitation.pk).values_list("pk", "code"))
    assert codes == {expired.pk: None, recent.pk: "NEWCODE1", used.pk: None, foreign.pk: "FOREIGN1"}
    used.refresh_from_db()
    assert (used.claimed_by, used.status) == (world.other_parent, "used")
    expired.refresh_from_db()
    assert expired.created_at and expired.status == "expired" and expired.code_display == "—"
