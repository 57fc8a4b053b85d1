"""Text messages cannot be pumped: budgets per kind of message, enforced before sending.

Texts that anyone can cause without being a verified member (sign-up and
phone-verification codes, sign-in codes, "this number already has an
account") have three budgets: per number per day, per IP address per hour,
and all together per day. Notices to members have their own per-person daily
limit, and are never held back by the others. A refused text gets a clear
message on the page the person was on, is counted, and the superuser sees the
counts in the admin. The counting holds when several processes count at once.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from accounts.models import User
from notifications import services
from notifications.budgets import Kind, SmsBudgetExceeded, sms_budget_take, sms_counts_purge
from notifications.models import Delivery, SmsCount
from tests import factories as f
from tests.conftest import requires_postgres
from tests.notifications.conftest import at, prefer, with_phone

State = Delivery.State

TOO_MANY_FOR_NUMBER = "Too many text messages have been sent to this number today."
TOO_MANY_FROM_NETWORK = "Too many text messages have been asked for from your network in the last hour."
DAILY_CAP_REACHED = "The portal has sent as many sign-up and sign-in text messages as it may today."


@pytest.fixture(autouse=True)
def _morning(clock, settings):
    clock.to(at(2026, 3, 2, 10, 0))
    # allauth's own per-minute limits would answer first; these tests are about the budgets.
    settings.ACCOUNT_RATE_LIMITS = False


def signup(client, phone, *, ip="10.0.0.1", **extra):
    client.cookies["django_language"] = "en"
    return client.post(
        "/accounts/signup/",
        {
            "full_name": "Phụ Huynh Mới",
            "email": "",
            "phone": phone,
            "password1": "m0t-m4t-khau-dai",
            "password2": "m0t-m4t-khau-dai",
        },
        REMOTE_ADDR=ip,
        **extra,
    )


def count(**lookup) -> SmsCount:
    return SmsCount.objects.get(**lookup)


@pytest.mark.django_db
def test_a_number_gets_its_daily_texts_then_a_clear_refusal_counted_for_the_superuser(
    client, sms_outbox, settings, django_capture_on_commit_callbacks, admin_client
):
    settings.SMS_ACCOUNT_PER_NUMBER_DAY = 2
    with django_capture_on_commit_callbacks(execute=True):
        assert signup(client, "0912 345 678").status_code == 302  # a new account: a code
        client.logout()
        assert signup(client, "0912 345 678").status_code == 302  # the same number again: "already exists"
        client.logout()
        refused = signup(client, "0912 345 678")
    assert refused.status_code == 200
    assert TOO_MANY_FOR_NUMBER in refused.content.decode()
    assert User.objects.filter(phone="+84912345678").count() == 1
    assert len(sms_outbox) == 2 and {m["to"] for m in sms_outbox} == {"+84912345678"}

    row = count(kind="account", scope="number", key="+84912345678")
    assert (row.sent, row.refused) == (2, 1)
    page = admin_client.get("/admin/notifications/smscount/?refused=yes").content.decode()
    assert "+84912345678" in page


@pytest.mark.django_db
def test_one_network_gets_its_hourly_texts_and_another_network_is_not_held_back(client, sms_outbox, settings):
    settings.SMS_ACCOUNT_PER_IP_HOUR = 2
    assert signup(client, "0912 000 001", ip="10.0.0.1").status_code == 302
    client.logout()
    assert signup(client, "0912 000 002", ip="10.0.0.1").status_code == 302
    client.logout()
    refused = signup(client, "0912 000 003", ip="10.0.0.1")
    assert refused.status_code == 200 and TOO_MANY_FROM_NETWORK in refused.content.decode()
    assert not User.objects.filter(phone="+84912000003").exists()
    assert signup(client, "0912 000 003", ip="10.0.0.2").status_code == 302
    assert (count(scope="ip", key="10.0.0.1").sent, count(scope="ip", key="10.0.0.1").refused) == (2, 1)


@pytest.mark.django_db
def test_the_default_lets_a_parents_meeting_sign_up_on_the_schools_wi_fi():
    for n in range(100):  # a hundred families, one Wi-Fi, within the hour
        sms_budget_take(kind=Kind.ACCOUNT, number=f"+8491200{n:04d}", ip="10.0.0.1")
    assert count(scope="ip", key="10.0.0.1").sent == 100


@pytest.mark.django_db
def test_the_daily_cap_holds_all_sign_up_texts_together(
    client, sms_outbox, settings, django_capture_on_commit_callbacks
):
    settings.SMS_ACCOUNT_PER_DAY = 2
    with django_capture_on_commit_callbacks(execute=True):
        for n, ip in [(1, "10.0.0.1"), (2, "10.0.0.2")]:
            assert signup(client, f"0912 000 00{n}", ip=ip).status_code == 302
            client.logout()
        refused = signup(client, "0912 000 003", ip="10.0.0.3")
    assert refused.status_code == 200 and DAILY_CAP_REACHED in refused.content.decode()
    assert len(sms_outbox) == 2
    row = count(kind="account", scope="all")
    assert (row.sent, row.refused) == (2, 1)


@pytest.mark.django_db
def test_a_refused_code_at_sign_in_says_so_on_the_verification_page(client, sms_outbox, settings):
    """A member signing in with an unverified number is sent a code: over budget, the page says why."""
    settings.SMS_ACCOUNT_PER_NUMBER_DAY = 1
    user = f.UserFactory(email="me@example.test", phone="+84912000009", phone_verified=False)
    sms_budget_take(kind=Kind.ACCOUNT, number=user.phone)
    client.cookies["django_language"] = "en"
    response = client.post("/accounts/login/", {"login": "me@example.test", "password": f.PASSWORD}, follow=True)
    page = response.content.decode()
    assert response.request["PATH_INFO"] == "/accounts/phone/verify/"
    assert TOO_MANY_FOR_NUMBER in page
    assert [str(m) for m in response.context["messages"]] == [
        TOO_MANY_FOR_NUMBER + " Try again tomorrow, or use an e-mail address instead."
    ]
    assert sms_outbox == []
    assert count(scope="number", key=user.phone).refused == 1


@pytest.mark.django_db
def test_a_sign_in_code_over_budget_is_refused_on_the_code_page(
    client, sms_outbox, settings, django_capture_on_commit_callbacks
):
    settings.SMS_ACCOUNT_PER_NUMBER_DAY = 1
    f.UserFactory(phone="+84912000010", phone_verified=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/accounts/login/code/", {"phone": "0912 000 010"}).status_code == 302
        client.logout()  # a fresh visitor (another code request would go on with the first)
        client.cookies["django_language"] = "en"
        refused = client.post("/accounts/login/code/", {"phone": "0912 000 010"})
    assert refused.status_code == 200 and TOO_MANY_FOR_NUMBER in refused.content.decode()
    assert len(sms_outbox) == 1


def pickup_notice(user, n, run_on_commit):
    return run_on_commit(
        services.notice_send,
        recipient=user,
        category="pickup",
        title=f"Bà ngoại đón bé lần {n}",
        body="",
        dedupe_key=f"pickup:{n}",
    )


@pytest.mark.django_db
def test_a_members_notice_goes_by_sms_when_the_sign_up_budgets_are_spent(run_on_commit, sms_outbox, settings):
    settings.SMS_ACCOUNT_PER_DAY = 1
    settings.SMS_ACCOUNT_PER_NUMBER_DAY = 1
    parent = with_phone(f.UserFactory(), "+84912000020")
    sms_budget_take(kind=Kind.ACCOUNT, number="+84912000020", ip="10.0.0.1")
    with pytest.raises(SmsBudgetExceeded):
        sms_budget_take(kind=Kind.ACCOUNT, number="+84912000021")

    notice = pickup_notice(parent, 1, run_on_commit)
    assert notice.deliveries.get(channel="sms").state == State.SENT
    assert sms_outbox[-1]["to"] == "+84912000020"


@pytest.mark.django_db
def test_a_member_gets_at_most_their_daily_texts_the_rest_stays_in_the_portal(
    run_on_commit, sms_outbox, settings, clock
):
    settings.SMS_NOTICE_PER_PERSON_DAY = 2
    parent = with_phone(f.UserFactory(), "+84912000030")
    prefer(parent, frequency="immediate")
    notices = [pickup_notice(parent, n, run_on_commit) for n in range(3)]
    states = [n.deliveries.get(channel="sms").state for n in notices]
    assert states == [State.SENT, State.SENT, State.GIVEN_UP]
    refused = notices[2].deliveries.get(channel="sms")
    assert "SMS_NOTICE_PER_PERSON_DAY" in refused.last_error
    assert notices[2].deliveries.get(channel="email").state == State.SENT  # the e-mail still goes
    assert len(sms_outbox) == 2
    row = count(kind="notice", scope="person", key=str(parent.pk))
    assert (row.sent, row.refused) == (2, 1)

    clock.shift(days=1)  # a new day, a new budget
    assert pickup_notice(parent, 3, run_on_commit).deliveries.get(channel="sms").state == State.SENT


@pytest.mark.django_db
def test_a_refusal_by_one_budget_takes_nothing_from_the_others(settings):
    settings.SMS_ACCOUNT_PER_IP_HOUR = 1
    sms_budget_take(kind=Kind.ACCOUNT, number="+84912000040", ip="10.0.0.9")
    with pytest.raises(SmsBudgetExceeded) as refused:
        sms_budget_take(kind=Kind.ACCOUNT, number="+84912000041", ip="10.0.0.9")
    assert refused.value.scope == "ip"
    assert not SmsCount.objects.filter(scope="number", key="+84912000041", sent__gt=0).exists()
    assert count(scope="all").sent == 1


@pytest.mark.django_db
def test_old_counts_are_purged(settings, clock):
    settings.SMS_COUNTS_KEEP_DAYS = 30
    sms_budget_take(kind=Kind.ACCOUNT, number="+84912000050")
    clock.shift(days=31)
    sms_budget_take(kind=Kind.ACCOUNT, number="+84912000050")
    assert sms_counts_purge() == 2  # the number's and the day's of a month ago
    assert count(scope="number", key="+84912000050").sent == 1


def _take_in_threads(n: int, **budget) -> list[bool]:
    barrier = threading.Barrier(n)
    results: list[bool] = [False] * n

    def one(i: int) -> None:
        try:
            barrier.wait()
            sms_budget_take(**budget)
            results[i] = True
        except SmsBudgetExceeded:
            results[i] = False
        finally:
            connection.close()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.django_db(transaction=True)
def test_counting_holds_when_many_processes_count_at_once(settings):
    requires_postgres()
    settings.SMS_ACCOUNT_PER_NUMBER_DAY = 5
    settings.SMS_NOTICE_PER_PERSON_DAY = 3
    results = _take_in_threads(12, kind=Kind.ACCOUNT, number="+84912000060", ip="10.0.0.1")
    assert sum(results) == 5
    row = count(kind="account", scope="number", key="+84912000060")
    assert (row.sent, row.refused) == (5, 7)
    assert count(kind="account", scope="all").sent == 5  # the refused took nothing from the day's cap

    results = _take_in_threads(8, kind=Kind.NOTICE, person_id=42)
    assert sum(results) == 3
    row = count(kind="notice", scope="person", key="42")
    assert (row.sent, row.refused) == (3, 5)
