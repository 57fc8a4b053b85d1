"""Telling many families: batches of NOTIFY_BATCH_SIZE, one task each, each person in their language, once."""

import pytest
from celery.signals import task_prerun
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext_lazy

from accounts.models import User
from notifications import services
from notifications.models import Delivery, Notice
from tests.notifications.conftest import at, prefer

pytestmark = pytest.mark.django_db


def tasks_that_ran(name: str, argument):
    ran = []

    def record(sender=None, args=None, kwargs=None, **_):
        if sender.name == name:
            ran.append(argument(args, kwargs))

    task_prerun.connect(record, weak=False)
    yield ran
    task_prerun.disconnect(record)


@pytest.fixture
def batch_tasks():
    """The fan-out batch tasks that ran, with the recipients of each."""
    yield from tasks_that_ran("notifications.tasks.notify_fan_out_batch", lambda args, kwargs: kwargs["recipient_ids"])


@pytest.fixture
def sending_tasks():
    """The sending tasks that ran, with the deliveries of each."""
    yield from tasks_that_ran("notifications.tasks.notify_deliver_batch", lambda args, kwargs: args[0])


def many_users(n: int) -> list[int]:
    User.objects.bulk_create([User(email=f"family{i}@example.test", full_name=f"Gia đình {i}") for i in range(n)])
    return list(User.objects.filter(email__startswith="family").values_list("pk", flat=True))


def fan_out(ids, run_on_commit, **extra):
    return run_on_commit(
        services.notice_fan_out,
        recipient_ids=ids,
        category="announcement",
        title=gettext_lazy("%(name)s: new work"),
        body=gettext_lazy("Sunday"),
        url="/family/",
        dedupe_key="announcement:9",
        context={"name": "Sao Mai"},
        **extra,
    )


def test_650_recipients_in_batches_of_300_make_3_tasks(batch_tasks, run_on_commit, settings, clock):
    clock.to(at(2026, 3, 2, 10, 0))
    settings.NOTIFY_BATCH_SIZE = 300
    ids = many_users(650)

    assert fan_out(ids, run_on_commit) == 3

    assert [len(batch) for batch in batch_tasks] == [300, 300, 50]
    assert sorted(pk for batch in batch_tasks for pk in batch) == sorted(ids)
    assert Notice.objects.filter(dedupe_key="announcement:9").count() == 650
    # Daily digest by default: the e-mails wait for it.
    assert Delivery.objects.filter(digest=True, state="queued").count() == 650


def test_each_recipient_reads_it_in_their_language(run_on_commit, world):
    world.other_parent.language = "en"
    world.other_parent.save()
    fan_out([world.parent.pk, world.other_parent.pk], run_on_commit, school=world.school)
    mine = Notice.objects.get(recipient=world.parent)
    theirs = Notice.objects.get(recipient=world.other_parent)
    assert mine.body == "Chủ nhật" and theirs.body == "Sunday"
    assert theirs.title == "Sao Mai: new work" and mine.school == world.school


def test_fanning_out_again_tells_nobody_twice(run_on_commit, mailoutbox, clock):
    clock.to(at(2026, 3, 2, 10, 0))
    ids = many_users(5)
    for pk in ids[:2]:
        prefer(User.objects.get(pk=pk), frequency="immediate")
    fan_out(ids[:3], run_on_commit)
    fan_out(ids, run_on_commit)
    assert Notice.objects.count() == 5
    assert Delivery.objects.count() == 5
    assert len(mailoutbox) == 2


def test_urgent_fan_out_goes_out_at_once(run_on_commit, mailoutbox, clock):
    clock.to(at(2026, 3, 2, 10, 0))
    ids = many_users(4)
    fan_out(ids, run_on_commit, urgent=True)
    assert len(mailoutbox) == 4


def test_inactive_accounts_are_left_out(run_on_commit):
    ids = many_users(3)
    User.objects.filter(pk=ids[0]).update(is_active=False)
    fan_out(ids, run_on_commit)
    assert Notice.objects.count() == 2


def test_a_batch_takes_the_same_queries_for_10_or_90_people(clock):
    # (SQLite splits an INSERT of more than 999 values, about 99 rows here.)
    clock.to(at(2026, 3, 2, 10, 0))
    ids = many_users(100)

    def batch_queries(recipients) -> int:
        with CaptureQueriesContext(connection) as captured:
            services.notices_send_batch(
                recipient_ids=recipients,
                category="events",
                titles={"vi": "Hội chợ", "en": "Fair"},
                bodies={"vi": "", "en": ""},
                url="",
                dedupe_key=f"events:{len(recipients)}",
                school_id=None,
                urgent=False,
            )
        return len(captured)

    assert batch_queries(ids[:10]) == batch_queries(ids[10:100])


def test_batches_are_queued_only_when_the_transaction_commits(batch_tasks, django_capture_on_commit_callbacks):
    ids = many_users(3)
    with django_capture_on_commit_callbacks() as callbacks:
        services.notice_fan_out(recipient_ids=ids, category="events", title="t", body="", dedupe_key="events:1")
        assert batch_tasks == [] and not Notice.objects.exists()
    assert len(callbacks) == 1


def test_the_e_mails_go_out_in_batches_of_notify_send_batch_size(
    sending_tasks, run_on_commit, mailoutbox, settings, clock
):
    clock.to(at(2026, 3, 2, 10, 0))
    settings.NOTIFY_SEND_BATCH_SIZE = 2
    ids = many_users(5)
    fan_out(ids, run_on_commit, urgent=True)
    assert [len(batch) for batch in sending_tasks] == [2, 2, 1]
    assert len(mailoutbox) == 5
