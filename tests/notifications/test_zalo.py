"""Zalo: notices by ZNS where families chose it, SMS where Zalo cannot reach, and never the same thing twice.

The HTTP backend talks to a local server that speaks ZNS's requests, answers
and error codes (notifications.zns_local).
"""

from __future__ import annotations

import datetime
import json
import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notifications import services, zalo
from notifications.models import (
    CHOOSABLE,
    Delivery,
    Notice,
    Preference,
    ZaloAccount,
    ZaloEvent,
    ZaloTemplate,
    ZaloTemplateParam,
    ZaloUnreachable,
    default_channels,
)
from notifications.zns_local import LocalZns
from tests import factories as f
from tests.notifications.conftest import at

pytestmark = pytest.mark.django_db
State = Delivery.State
Source = ZaloTemplateParam.Source
PHONE = "+84912345678"
ZALO_PHONE = "84912345678"


def template(category: str, template_id: str = "100001", approved: bool = True, **params) -> ZaloTemplate:
    """A template with its parameters: name=(source, max_length)."""
    made = ZaloTemplate.objects.create(category=category, template_id=template_id, approved=approved)
    for name, (source, length) in params.items():
        ZaloTemplateParam.objects.create(template=made, name=name, source=source, max_length=length)
    return made


def choose(user, *, zalo=(), sms=None, email=False) -> Preference:
    """The person's channels: Zalo for `zalo`, e-mail off unless asked, SMS as given (else the defaults)."""
    channels = default_channels()
    for category, choice in channels.items():
        choice["email"] = email
        choice["zalo"] = category in zalo
        if sms is not None:
            choice["sms"] = sms.get(category, "off")
    preference, _created = Preference.objects.update_or_create(
        user=user, defaults={"channels": channels, "frequency": "immediate"}
    )
    return preference


@pytest.fixture
def daytime(clock):
    clock.to(at(2026, 3, 2, 10, 0))
    return clock


@pytest.fixture
def zns(settings):
    """The local ZNS, the HTTP backend pointed at it, and the Official Account's refresh token."""
    with LocalZns() as server:
        settings.ZALO_BACKEND = "notifications.zalo.HttpZaloBackend"
        settings.ZALO_API_URL = server.url
        settings.ZALO_OAUTH_URL = server.url
        settings.ZALO_APP_ID = server.app_id
        settings.ZALO_APP_SECRET = server.app_secret
        settings.ZALO_HTTP_TIMEOUT = 2
        _access, refresh = server.issue_tokens()
        ZaloAccount.objects.create(pk=1, refresh_token=refresh)
        yield server


@pytest.fixture
def parent(daytime):
    user = f.UserFactory(email="", phone=PHONE, phone_verified=True, language="vi")
    choose(user, zalo={"announcement", "pickup"}, sms={"announcement": "urgent", "pickup": "all"})
    return user


@pytest.fixture
def announcements():
    return template(
        "announcement",
        "100001",
        kind=(Source.KIND, 30),
        title=(Source.TITLE, 40),
        school=(Source.SCHOOL, 30),
        link=(Source.LINK, 100),
    )


@pytest.fixture
def pickups():
    return template("pickup", "100002", kind=(Source.KIND, 30), child=(Source.CHILD, 20), link=(Source.LINK, 100))


def announce(user, run_on_commit, *, urgent=False, key="a:1", title="Họp phụ huynh cuối năm học 2026", school=None):
    return run_on_commit(
        services.notice_send,
        recipient=user,
        category="announcement",
        title=title,
        body="Kính mời quý phụ huynh dự họp lúc 17:00 thứ Sáu tại hội trường.",
        url="/family/",
        dedupe_key=key,
        school=school,
        urgent=urgent,
    )


def pickup(user, run_on_commit, *, key="p:1"):
    return run_on_commit(
        services.notice_send,
        recipient=user,
        category="pickup",
        title="Khôi: đón muộn",
        body="Bé Khôi Nguyễn Minh bị sốt nhẹ sáng nay, mẹ đón lúc 18:00.",
        url="/family/",
        dedupe_key=key,
        urgent=True,
        child_name="Khôi",
        kind="Đón muộn",
    )


# --- Which channel ---------------------------------------------------------------------------------


def test_an_announcement_goes_by_zalo_instead_of_sms_with_its_title_cut_and_the_link(
    parent, zns, announcements, run_on_commit, sms_outbox, settings
):
    settings.SITE_URL = "https://portal.example.org"
    school = f.SchoolFactory(name="Trường Mầm non Sao Mai")
    notice = announce(parent, run_on_commit, urgent=True, school=school)

    [delivery] = notice.deliveries.all()
    assert delivery.channel == "zalo" and delivery.state == State.SENT
    [message] = zns.sent
    assert message["phone"] == ZALO_PHONE and message["template_id"] == "100001"
    assert message["tracking_id"] == str(delivery.pk)
    assert delivery.external_id == message["msg_id"]
    data = message["template_data"]
    assert data["kind"] == "Thông báo của nhà trường"
    assert data["title"] == "Họp phụ huynh cuối năm học 2026" and len(data["title"]) <= 40
    assert data["school"] == "Trường Mầm non Sao Mai"
    assert data["link"] == f"https://portal.example.org/notifications/{notice.pk}/"
    # The body stays in the portal, and no text message went.
    assert "hội trường" not in json.dumps(data, ensure_ascii=False)
    assert sms_outbox == []


def test_a_long_title_is_cut_to_the_parameters_length(parent, zns, announcements, run_on_commit):
    announce(parent, run_on_commit, title="Thông báo " + "rất dài " * 20)
    value = zns.sent[0]["template_data"]["title"]
    assert len(value) == 40 and value.endswith("…")


def test_a_pickup_notice_says_only_the_kind_and_the_childs_given_name(parent, zns, pickups, run_on_commit):
    pickup(parent, run_on_commit)
    data = zns.sent[0]["template_data"]
    assert data["kind"] == "Đón muộn" and data["child"] == "Khôi"
    assert "Nguyễn" not in json.dumps(data, ensure_ascii=False)
    assert "sốt" not in json.dumps(data, ensure_ascii=False)


def test_a_title_parameter_on_another_category_gets_the_kind_not_the_title(parent, zns, run_on_commit):
    template("pickup", "100002", title=(Source.TITLE, 60))
    pickup(parent, run_on_commit)
    assert zns.sent[0]["template_data"]["title"] == "Đón muộn"


def test_a_category_without_an_approved_template_goes_by_sms(parent, zns, run_on_commit, sms_outbox):
    template("announcement", approved=False, title=(Source.TITLE, 40))
    notice = announce(parent, run_on_commit, urgent=True)
    assert [d.channel for d in notice.deliveries.all()] == ["sms"]
    assert len(sms_outbox) == 1 and zns.sent == []


def test_zalo_needs_a_verified_number(parent, zns, announcements, run_on_commit, sms_outbox):
    parent.phone_verified = False
    parent.save()
    notice = announce(parent, run_on_commit, urgent=True)
    assert list(notice.deliveries.all()) == [] and zns.sent == []


def test_without_zalo_chosen_it_is_sms_as_before(parent, zns, announcements, run_on_commit, sms_outbox):
    choose(parent, sms={"announcement": "urgent"})
    notice = announce(parent, run_on_commit, urgent=True)
    assert [d.channel for d in notice.deliveries.all()] == ["sms"] and zns.sent == []


def test_quiet_hours_hold_zalo_like_sms(parent, zns, announcements, run_on_commit, clock):
    clock.to(at(2026, 3, 2, 22, 30))
    notice = announce(parent, run_on_commit)
    delivery = notice.deliveries.get()
    assert delivery.state == State.QUEUED and zns.sent == []
    assert timezone.localtime(delivery.not_before).time() == datetime.time(6, 30)


def test_a_fan_out_plans_zalo_in_a_fixed_number_of_queries(daytime, announcements):
    users = [f.UserFactory(email="", phone=f"+8491234{i:04d}", phone_verified=True) for i in range(30)]
    for user in users[::2]:
        choose(user, zalo={"announcement"}, sms={"announcement": "all"})
    for user in users[1::2]:
        choose(user, sms={"announcement": "all"})

    def batch(ids, key):
        return services.notices_send_batch(
            recipient_ids=ids,
            category="announcement",
            titles={"vi": "Họp", "en": "Meeting"},
            bodies={"vi": "", "en": ""},
            url="",
            dedupe_key=key,
            school_id=None,
            urgent=False,
        )

    with CaptureQueriesContext(connection) as few:
        batch([u.pk for u in users[:2]], "fan:1")
    with CaptureQueriesContext(connection) as many:
        batch([u.pk for u in users], "fan:2")
    assert len(many) == len(few)
    channels = sorted(Delivery.objects.filter(notice__dedupe_key="fan:2").values_list("channel", flat=True))
    assert channels == ["sms"] * 15 + ["zalo"] * 15


# --- Fallbacks -------------------------------------------------------------------------------------


def test_no_zalo_account_falls_back_to_sms_marks_the_number_and_later_notices_go_by_sms(
    parent, zns, pickups, run_on_commit, sms_outbox
):
    zns.no_account.add(ZALO_PHONE)
    notice = pickup(parent, run_on_commit)

    by_zalo = notice.deliveries.get(channel="zalo")
    assert by_zalo.state == State.GIVEN_UP and "-118" in by_zalo.last_error
    by_sms = notice.deliveries.get(channel="sms")
    assert by_sms.fallback and by_sms.state == State.SENT
    [text] = sms_outbox
    assert text["to"] == PHONE
    preference = Preference.objects.get(user=parent)
    assert preference.zalo_unreachable_phone == PHONE
    assert preference.zalo_unreachable_reason == ZaloUnreachable.NO_ACCOUNT

    second = pickup(parent, run_on_commit, key="p:2")
    assert [d.channel for d in second.deliveries.all()] == ["sms"]
    assert len(zns.sent) == 0 and len(sms_outbox) == 2


def test_a_family_that_blocked_the_official_account_is_marked_and_gets_sms(
    parent, zns, pickups, run_on_commit, sms_outbox
):
    zns.blocked.add(ZALO_PHONE)
    pickup(parent, run_on_commit)
    assert Preference.objects.get(user=parent).zalo_unreachable_reason == ZaloUnreachable.BLOCKED
    assert len(sms_outbox) == 1


def test_no_fallback_where_the_family_chose_no_sms_for_such_notices(
    parent, zns, announcements, run_on_commit, sms_outbox
):
    zns.no_account.add(ZALO_PHONE)
    notice = announce(parent, run_on_commit, urgent=False)  # SMS "only when urgent"
    assert notice.deliveries.get(channel="zalo").state == State.GIVEN_UP
    assert not notice.deliveries.filter(channel="sms").exists() and sms_outbox == []
    assert Notice.objects.filter(pk=notice.pk).exists()  # still in the portal


def test_a_template_zalo_has_not_approved_is_switched_off_with_the_reason_and_falls_back(
    parent, zns, run_on_commit, sms_outbox
):
    made = template("pickup", "100009", child=(Source.CHILD, 20))
    zns.known_templates.add("100009")
    notice = pickup(parent, run_on_commit)

    made.refresh_from_db()
    assert made.approved is False and "-131" in made.last_error
    assert notice.deliveries.get(channel="zalo").state == State.GIVEN_UP
    assert len(sms_outbox) == 1
    assert [d.channel for d in pickup(parent, run_on_commit, key="p:2").deliveries.all()] == ["sms"]


def test_a_quota_exceeded_is_retried_later_but_an_urgent_notice_falls_back_at_once(
    parent, zns, announcements, pickups, run_on_commit, sms_outbox
):
    zns.daily_quota = 0
    notice = announce(parent, run_on_commit)
    delivery = notice.deliveries.get()
    assert delivery.state == State.FAILED and "-144" in delivery.last_error and sms_outbox == []

    urgent = pickup(parent, run_on_commit)
    assert urgent.deliveries.get(channel="zalo").state == State.GIVEN_UP
    assert urgent.deliveries.get(channel="sms").fallback and len(sms_outbox) == 1


def test_the_admins_retry_leaves_alone_a_zalo_message_an_sms_replaced(
    parent, zns, pickups, announcements, run_on_commit, sms_outbox
):
    zns.no_account.add(ZALO_PHONE)
    replaced = pickup(parent, run_on_commit).deliveries.get(channel="zalo")
    zns.no_account.clear()
    Preference.objects.filter(user=parent).update(zalo_unreachable_phone="")
    zns.daily_quota = 0
    waiting = announce(parent, run_on_commit, key="a:9").deliveries.get()
    Delivery.objects.filter(pk=waiting.pk).update(state=State.GIVEN_UP)
    admin = f.UserFactory(is_superuser=True)
    count = services.deliveries_retry(deliveries=Delivery.objects.filter(channel="zalo"), by=admin)
    assert count == 1
    assert Delivery.objects.get(pk=replaced.pk).state == State.GIVEN_UP
    assert Delivery.objects.get(pk=waiting.pk).state != State.GIVEN_UP


def test_the_fallback_is_made_once_whatever_happens_twice(parent, zns, pickups, run_on_commit, sms_outbox):
    zns.no_account.add(ZALO_PHONE)
    notice = pickup(parent, run_on_commit)
    by_zalo = notice.deliveries.get(channel="zalo")
    run_on_commit(services.zalo_fallback, delivery=by_zalo)
    assert notice.deliveries.filter(channel="sms").count() == 1 and len(sms_outbox) == 1


# --- Tokens ----------------------------------------------------------------------------------------


def test_the_first_message_renews_the_tokens_and_stores_them(parent, zns, announcements, run_on_commit):
    announce(parent, run_on_commit)
    account = ZaloAccount.objects.get()
    assert account.access_token and account.access_expires_at > timezone.now() + datetime.timedelta(hours=24)
    assert [r["outcome"] for r in zns.token_requests] == [0]
    announce(parent, run_on_commit, key="a:2")
    assert len(zns.token_requests) == 1 and len(zns.sent) == 2


def test_an_expired_token_is_renewed_once_and_the_message_goes(parent, zns, announcements, run_on_commit):
    announce(parent, run_on_commit)
    zns.expire_access_tokens()
    notice = announce(parent, run_on_commit, key="a:2")
    assert notice.deliveries.get().state == State.SENT
    assert len(zns.token_requests) == 2 and len(zns.sent) == 2


def test_a_spent_refresh_token_is_recorded_for_the_superuser_and_the_message_waits(
    parent, zns, announcements, run_on_commit, caplog
):
    account = ZaloAccount.objects.get()
    account.refresh_token = "spent-already"
    account.save()
    notice = announce(parent, run_on_commit)
    assert notice.deliveries.get().state == State.FAILED
    account.refresh_from_db()
    assert "-14014" in account.last_error
    # A batch asks once, not once per message.
    others = [f.UserFactory(email="", phone=f"+8491200{i:04d}", phone_verified=True) for i in range(3)]
    for other in others:
        choose(other, zalo={"announcement"})
    for i, other in enumerate(others):
        announce(other, lambda fn, **kw: fn(**kw), key=f"b:{i}")  # queued, not sent yet
    waiting = list(Delivery.objects.filter(notice__recipient__in=others).values_list("pk", flat=True))
    services.deliveries_send(delivery_ids=waiting)
    assert len(zns.token_requests) == 2
    assert set(Delivery.objects.filter(pk__in=waiting).values_list("state", flat=True)) == {State.FAILED}
    # Tokens are never logged.
    assert "spent-already" not in caplog.text


@pytest.mark.django_db(transaction=True)
def test_two_workers_renewing_at_once_spend_the_refresh_token_once(zns, settings):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    zns.refresh_delay = 0.3
    results, errors = [], []

    def worker():
        try:
            results.append(zalo.access_token(zalo.zalo_backend()))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert errors == []
    assert len(zns.token_requests) == 1
    assert len(set(results)) == 1 and results[0] == ZaloAccount.objects.get().access_token


# --- Exactly once ----------------------------------------------------------------------------------


def test_a_dropped_connection_leaves_the_message_unclear_and_it_is_never_sent_again(
    parent, zns, announcements, run_on_commit, clock, sms_outbox
):
    zns.drop_next()
    notice = announce(parent, run_on_commit)
    delivery = notice.deliveries.get()
    assert delivery.state == State.UNCLEAR and "no clear answer" in delivery.last_error
    assert zns.count_for(str(delivery.pk)) == 1

    services.delivery_send(delivery_id=delivery.pk)
    clock.shift(hours=2)
    run_on_commit(services.deliveries_sweep)
    services.delivery_send(delivery_id=delivery.pk)
    assert zns.count_for(str(delivery.pk)) == 1
    assert Delivery.objects.get(pk=delivery.pk).state == State.UNCLEAR and sms_outbox == []


def test_a_timeout_after_zalo_took_the_message_is_unclear_too(parent, zns, announcements, run_on_commit, settings):
    settings.ZALO_HTTP_TIMEOUT = 0.3
    zns.delay_next(1.0)
    notice = announce(parent, run_on_commit)
    assert notice.deliveries.get().state == State.UNCLEAR
    assert len(zns.sent) == 1


def test_a_refused_connection_sent_nothing_and_is_retried(parent, announcements, run_on_commit, settings):
    settings.ZALO_BACKEND = "notifications.zalo.HttpZaloBackend"
    settings.ZALO_API_URL = settings.ZALO_OAUTH_URL = "http://127.0.0.1:9"  # nothing listens there
    ZaloAccount.objects.create(pk=1, access_token="t", access_expires_at=timezone.now() + datetime.timedelta(days=1))
    notice = announce(parent, run_on_commit)
    delivery = notice.deliveries.get()
    assert delivery.state == State.FAILED and "could not be reached" in delivery.last_error


def test_a_worker_killed_while_sending_by_zalo_leaves_it_unclear_not_sent_again(
    parent, zns, announcements, run_on_commit, clock
):
    notice = run_on_commit(
        services.notice_send,
        recipient=parent,
        category="announcement",
        title="Họp",
        body="",
        dedupe_key="a:killed",
    )
    delivery = notice.deliveries.get()
    Delivery.objects.filter(pk=delivery.pk).update(state=State.SENT)  # (the eager send happened; pretend not)
    Delivery.objects.filter(pk=delivery.pk).update(state=State.SENDING, claimed_at=timezone.now(), sent_at=None)
    clock.shift(minutes=10)
    assert services.delivery_claim(delivery_id=delivery.pk) is None
    services.deliveries_sweep()
    delivery.refresh_from_db()
    assert delivery.state == State.UNCLEAR and "may have the message" in delivery.last_error
    assert len(zns.sent) == 1


# --- Reports: the webhook and the status query -----------------------------------------------------


@pytest.fixture
def webhook(settings):
    settings.ZALO_OA_SECRET_KEY = "oa-secret"
    settings.ROOT_URLCONF = "tests.notifications.urls_with_zalo"


def call_webhook(client, payload: dict, *, signature: str | None = None):
    raw = json.dumps(payload).encode()
    header = signature if signature is not None else zalo.signature_for(raw, timestamp=str(payload["timestamp"]))
    return client.post("/zalo/webhook/", raw, content_type="application/json", HTTP_X_ZEVENT_SIGNATURE=header)


def event(name: str, delivery: Delivery, *, at_ms: int = 1772420400000) -> dict:
    return {
        "app_id": "local-app",
        "event_name": name,
        "timestamp": str(at_ms),
        "message": {"msg_id": delivery.external_id, "tracking_id": str(delivery.pk), "delivery_time": str(at_ms)},
    }


def test_the_webhook_records_delivered_and_read(parent, zns, announcements, run_on_commit, webhook, client):
    delivery = announce(parent, run_on_commit).deliveries.get()
    assert call_webhook(client, event("user_received_message", delivery)).status_code == 200
    assert call_webhook(client, event("user_seen_message", delivery)).status_code == 200
    delivery.refresh_from_db()
    assert delivery.delivered_at == datetime.datetime(2026, 3, 2, 3, 0, tzinfo=datetime.UTC)
    assert delivery.seen_at is not None
    assert list(ZaloEvent.objects.values_list("outcome", "signature_valid")) == [("read", True), ("delivered", True)]


def test_a_webhook_call_with_a_bad_signature_changes_nothing_and_is_kept(
    parent, zns, announcements, run_on_commit, webhook, client
):
    delivery = announce(parent, run_on_commit).deliveries.get()
    response = call_webhook(client, event("user_received_message", delivery), signature="mac=" + "0" * 64)
    assert response.status_code == 403
    unsigned = call_webhook(client, event("user_received_message", delivery), signature="")
    assert unsigned.status_code == 403
    delivery.refresh_from_db()
    assert delivery.delivered_at is None
    assert set(ZaloEvent.objects.values_list("signature_valid", "outcome")) == {(False, "refused: bad signature")}


def test_the_webhook_is_not_served_without_the_secret(client):
    assert client.post("/zalo/webhook/", "{}", content_type="application/json").status_code == 404


def test_a_delivered_report_settles_an_unclear_message(parent, zns, announcements, run_on_commit, webhook, client):
    zns.drop_next()
    delivery = announce(parent, run_on_commit).deliveries.get()
    assert delivery.state == State.UNCLEAR
    payload = event("user_received_message", delivery)
    payload["message"]["msg_id"] = zns.sent[0]["msg_id"]
    call_webhook(client, payload)
    delivery.refresh_from_db()
    assert delivery.state == State.SENT and delivery.delivered_at is not None


def test_a_not_delivered_report_falls_back(parent, zns, pickups, run_on_commit, webhook, client, sms_outbox):
    delivery = pickup(parent, run_on_commit).deliveries.get(channel="zalo")
    with_django_commit = run_on_commit(call_webhook, client, event("user_not_received_message", delivery))
    assert with_django_commit.status_code == 200
    assert Delivery.objects.get(pk=delivery.pk).state == State.GIVEN_UP
    assert len(sms_outbox) == 1


def test_with_the_webhook_an_urgent_message_without_a_delivered_report_goes_by_sms_in_time(
    parent, zns, pickups, run_on_commit, webhook, clock, sms_outbox
):
    notice = pickup(parent, run_on_commit)
    clock.shift(seconds=200)
    run_on_commit(services.deliveries_sweep)
    assert sms_outbox == []
    clock.shift(seconds=200)
    run_on_commit(services.deliveries_sweep)
    assert notice.deliveries.get(channel="sms").fallback and len(sms_outbox) == 1
    run_on_commit(services.deliveries_sweep)
    assert len(sms_outbox) == 1


def test_a_delivered_report_in_time_means_no_sms(
    parent, zns, pickups, run_on_commit, webhook, client, clock, sms_outbox
):
    delivery = pickup(parent, run_on_commit).deliveries.get(channel="zalo")
    call_webhook(client, event("user_received_message", delivery))
    clock.shift(minutes=30)
    run_on_commit(services.deliveries_sweep)
    assert sms_outbox == []


def test_without_the_webhook_there_is_no_timed_fallback(parent, zns, pickups, run_on_commit, clock, sms_outbox):
    notice = pickup(parent, run_on_commit)
    zns.set_status(zns.sent[0]["msg_id"], 0)
    clock.shift(hours=2)
    run_on_commit(services.deliveries_sweep)
    assert sms_outbox == [] and not notice.deliveries.filter(channel="sms").exists()


def test_the_status_query_settles_delivered_and_not_delivered(
    parent, zns, announcements, pickups, run_on_commit, clock, sms_outbox
):
    delivered = announce(parent, run_on_commit).deliveries.get()
    lost = pickup(parent, run_on_commit).deliveries.get(channel="zalo")
    zns.set_status(lost.external_id, -1)
    clock.shift(minutes=20)
    run_on_commit(services.deliveries_sweep)
    delivered.refresh_from_db()
    lost.refresh_from_db()
    assert delivered.delivered_at is not None and delivered.state == State.SENT
    assert lost.state == State.GIVEN_UP and len(sms_outbox) == 1
    # Asked once per ZALO_STATUS_AFTER_SECONDS, not at every sweep.
    asked = len(zns.status_queries)
    run_on_commit(services.deliveries_sweep)
    assert len(zns.status_queries) == asked


# --- The console backend, the pages ---------------------------------------------------------------


def test_the_console_backend_prints_and_answers_no_account_for_the_listed_numbers(
    parent, announcements, run_on_commit, settings, capsys, sms_outbox
):
    settings.ZALO_BACKEND = "notifications.zalo.ConsoleZaloBackend"
    announce(parent, run_on_commit)
    assert "Zalo to 84912345678 (template 100001)" in capsys.readouterr().out
    settings.ZALO_CONSOLE_NO_ACCOUNT = ["0912 345 678"]
    announce(parent, run_on_commit, key="a:2", urgent=True)
    assert "no Zalo account" in capsys.readouterr().out
    assert len(sms_outbox) == 1


def settings_form(*, sms: str, **fields) -> dict:
    """What the notification settings page posts: the usual times, SMS `sms` for all, and `fields`."""
    form = {
        "frequency": "immediate",
        "digest_time": "18:00",
        "digest_weekday": "6",
        "quiet_start": "21:00",
        "quiet_end": "06:30",
        "language": "vi",
        **{f"sms_{category}": sms for category in CHOOSABLE},
    }
    return {**form, **fields}


def test_the_preferences_page_offers_zalo_only_where_a_template_is_approved(parent, announcements, client):
    client.force_login(parent)
    page = client.get("/notifications/preferences/").content.decode()
    assert 'name="zalo_announcement"' in page and 'name="zalo_pickup"' not in page


def test_choosing_zalo_is_saved_and_refused_without_a_verified_number(parent, announcements, client):
    choose(parent, sms={"announcement": "urgent"})
    client.force_login(parent)
    form = settings_form(zalo_announcement="on", sms="off")
    response = client.post("/notifications/preferences/", form)
    assert response.status_code == 302, response.context["form"].errors
    assert Preference.objects.get(user=parent).choice_for("announcement")["zalo"] is True

    parent.phone_verified = False
    parent.save()
    choose(parent)
    response = client.post("/notifications/preferences/", form)
    assert response.status_code == 200
    assert "Zalo" in response.content.decode()
    assert Preference.objects.get(user=parent).choice_for("announcement")["zalo"] is False


def test_the_family_can_ask_to_try_zalo_again(parent, zns, pickups, announcements, run_on_commit, client):
    zns.no_account.add(ZALO_PHONE)
    pickup(parent, run_on_commit)
    client.force_login(parent)
    page = client.get("/notifications/preferences/").content.decode()
    assert 'name="zalo_try_again"' in page
    form = settings_form(zalo_announcement="on", zalo_pickup="on", zalo_try_again="on", sms="all")
    assert client.post("/notifications/preferences/", form).status_code == 302
    assert Preference.objects.get(user=parent).zalo_unreachable_phone == ""
    zns.no_account.clear()
    notice = pickup(parent, run_on_commit, key="p:2")
    assert notice.deliveries.get().channel == "zalo"


def test_the_notice_page_is_its_recipients_alone_and_opening_it_reads_it(
    parent, zns, announcements, run_on_commit, client
):
    notice = announce(parent, run_on_commit)
    client.force_login(f.UserFactory())
    assert client.get(f"/notifications/{notice.pk}/").status_code == 404
    client.force_login(parent)
    page = client.get(f"/notifications/{notice.pk}/")
    assert page.status_code == 200 and "hội trường" in page.content.decode()
    assert Notice.objects.get(pk=notice.pk).read_at is not None


def test_the_link_parameter_too_short_for_the_link_gives_up_with_the_reason(parent, zns, run_on_commit, sms_outbox):
    template("pickup", "100002", link=(Source.LINK, 10))
    notice = pickup(parent, run_on_commit)
    by_zalo = notice.deliveries.get(channel="zalo")
    assert by_zalo.state == State.GIVEN_UP and "longer than the parameter" in by_zalo.last_error
    assert "longer than the parameter" in ZaloTemplate.objects.get().last_error
    assert len(sms_outbox) == 1 and zns.sent == []
