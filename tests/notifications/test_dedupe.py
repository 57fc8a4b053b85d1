"""A notice reaches a person once per dedupe key, however often it is sent."""

import pytest
from django.db import IntegrityError

from notifications import services
from notifications.models import Delivery, Notice
from tests import factories as f
from tests.notifications.conftest import at, prefer

pytestmark = pytest.mark.django_db


def send(user, key="activity:1", **extra):
    return services.notice_send(
        recipient=user,
        category=extra.pop("category", "activity"),
        title="Hoạt động mới: nặn đất sét",
        body="Cô Lan gửi một hoạt động mới.",
        url="/family/",
        dedupe_key=key,
        **extra,
    )


def test_the_same_key_twice_makes_one_notice_and_one_email(run_on_commit, mailoutbox, clock):
    clock.to(at(2026, 3, 2, 10, 0))  # outside the default quiet hours, whatever the time of the run
    parent = f.UserFactory()
    prefer(parent, frequency="immediate")

    first = run_on_commit(send, parent)
    second = run_on_commit(send, parent)

    assert first is not None and second is None
    assert Notice.objects.filter(recipient=parent).count() == 1
    assert Delivery.objects.filter(notice=first).count() == 1
    assert len(mailoutbox) == 1


def test_the_same_key_for_two_people_reaches_both(run_on_commit):
    one, two = f.UserFactory(), f.UserFactory()
    assert run_on_commit(send, one) and run_on_commit(send, two)
    assert Notice.objects.filter(dedupe_key="activity:1").count() == 2


def test_a_different_key_is_a_new_notice(run_on_commit):
    parent = f.UserFactory()
    run_on_commit(send, parent, key="activity:1")
    run_on_commit(send, parent, key="activity:2")
    assert Notice.objects.filter(recipient=parent).count() == 2


def test_a_sender_that_loses_a_race_gets_none(monkeypatch):
    """Another sender commits the same key between our check and our insert."""
    parent = f.UserFactory()
    original = services._preference_ensure

    def meanwhile(*, user):
        Notice.objects.create(recipient=user, category="activity", title="x", dedupe_key="activity:1")
        return original(user=user)

    monkeypatch.setattr(services, "_preference_ensure", meanwhile)
    assert send(parent) is None
    assert Notice.objects.filter(recipient=parent).count() == 1
    assert not Delivery.objects.exists()


def test_the_database_refuses_a_duplicate_key():
    parent = f.UserFactory()
    Notice.objects.create(recipient=parent, category="activity", title="x", dedupe_key="k")
    with pytest.raises(IntegrityError):
        Notice.objects.create(recipient=parent, category="activity", title="y", dedupe_key="k")


@pytest.mark.parametrize(
    "wrong",
    [
        {"category": "gossip"},
        {"dedupe_key": ""},
        {"url": "https://elsewhere.example/"},
        {"url": "//elsewhere.example/x"},
        {"url": "javascript:alert(1)"},
    ],
)
def test_impossible_notices_are_refused(wrong):
    parent = f.UserFactory()
    arguments = {"category": "activity", "title": "t", "body": "", "dedupe_key": "k", **wrong}
    with pytest.raises(ValueError):
        services.notice_send(recipient=parent, **arguments)
    assert not Notice.objects.exists()


def test_a_link_to_the_site_itself_is_allowed(settings):
    settings.SITE_URL = "https://portal.example.org"
    parent = f.UserFactory()
    notice = services.notice_send(
        recipient=parent,
        category="activity",
        title="t",
        body="",
        url="https://portal.example.org/family/",
        dedupe_key="k",
    )
    assert notice.absolute_url == "https://portal.example.org/family/"


def test_an_inactive_account_gets_nothing():
    parent = f.UserFactory(is_active=False)
    assert send(parent) is None
    assert not Notice.objects.exists()
