"""Quiet hours hold e-mail and SMS until morning; the portal shows the notice at once."""

import datetime

import pytest

from notifications import services
from notifications.models import Delivery, Preference
from tests import factories as f
from tests.notifications.conftest import at, prefer, with_phone

pytestmark = pytest.mark.django_db
State = Delivery.State


def test_a_notice_at_22_00_goes_out_at_06_30_next_day(clock, run_on_commit, mailoutbox, sms_outbox, client, settings):
    clock.to(at(2026, 3, 2, 22, 0))
    parent = with_phone(f.UserFactory())
    prefer(parent, frequency="immediate")

    notice = run_on_commit(
        services.notice_send,
        recipient=parent,
        category="pickup",
        title="Ông nội sẽ đón bé ngày mai",
        body="",
        dedupe_key="pickup:1",
    )

    deliveries = {d.channel: d for d in notice.deliveries.all()}
    assert {d.not_before for d in deliveries.values()} == {at(2026, 3, 3, 6, 30)}
    assert mailoutbox == [] and sms_outbox == []
    # In the portal it is there at once.
    client.force_login(parent)
    assert "Ông nội sẽ đón bé ngày mai" in client.get("/notifications/").content.decode()

    clock.to(at(2026, 3, 3, 6, 29))
    run_on_commit(services.deliveries_sweep)
    assert mailoutbox == []

    clock.to(at(2026, 3, 3, 6, 30) + datetime.timedelta(seconds=settings.NOTIFY_SWEEP_GRACE_SECONDS))
    run_on_commit(services.deliveries_sweep)
    assert len(mailoutbox) == 1 and len(sms_outbox) == 1
    assert set(notice.deliveries.values_list("state", flat=True)) == {State.SENT}


def test_after_midnight_it_waits_until_the_same_morning(clock):
    clock.to(at(2026, 3, 3, 2, 15))
    parent = f.UserFactory()
    prefer(parent, frequency="immediate")
    notice = services.notice_send(recipient=parent, category="health", title="t", body="", dedupe_key="k")
    assert notice.deliveries.get().not_before == at(2026, 3, 3, 6, 30)


def test_outside_quiet_hours_it_goes_at_once(clock, run_on_commit, mailoutbox):
    clock.to(at(2026, 3, 2, 20, 59))
    parent = f.UserFactory()
    prefer(parent, frequency="immediate")
    run_on_commit(services.notice_send, recipient=parent, category="health", title="t", body="", dedupe_key="k")
    assert len(mailoutbox) == 1


def test_urgent_notices_skip_the_digest_but_not_the_night(clock, run_on_commit, mailoutbox):
    clock.to(at(2026, 3, 2, 23, 0))
    parent = f.UserFactory()  # daily digest by default
    notice = run_on_commit(
        services.notice_send,
        recipient=parent,
        category="announcement",
        title="Trường nghỉ học ngày mai vì bão",
        body="",
        dedupe_key="announcement:storm",
        urgent=True,
    )
    delivery = notice.deliveries.get()
    assert not delivery.digest and delivery.not_before == at(2026, 3, 3, 6, 30)


@pytest.mark.parametrize(
    ("start", "end", "moment", "quiet", "until"),
    [
        ((21, 0), (6, 30), (21, 0), True, (3, 6, 30)),
        ((21, 0), (6, 30), (6, 30), False, None),
        ((21, 0), (6, 30), (12, 0), False, None),
        ((12, 0), (14, 0), (13, 0), True, (2, 14, 0)),
        ((12, 0), (14, 0), (14, 0), False, None),
        ((12, 0), (14, 0), (11, 59), False, None),
    ],
)
def test_quiet_hours_within_a_day_or_across_midnight(start, end, moment, quiet, until):
    preference = Preference(quiet_start=datetime.time(*start), quiet_end=datetime.time(*end))
    when = at(2026, 3, 2, *moment)
    assert preference.is_quiet_at(when) is quiet
    expected = at(2026, 3, until[0], *until[1:]) if until else when
    assert preference.after_quiet_hours(when) == expected
