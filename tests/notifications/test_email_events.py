"""A provider's reports after it took an e-mail (bounces, rejections, failures) are recorded on the delivery."""

from __future__ import annotations

import base64
import datetime
import json

import pytest
from anymail.signals import AnymailTrackingEvent, tracking
from django.utils import timezone

from notifications import services
from notifications.models import Delivery
from tests import factories as f
from tests.notifications.conftest import at, prefer

pytestmark = pytest.mark.django_db
State = Delivery.State
SECRET = "provider:s3cret-webhook-pass"


def sent_notice(run_on_commit, mailoutbox, email="hoa@example.test"):
    parent = f.UserFactory(email=email)
    prefer(parent, frequency="immediate")
    notice = run_on_commit(
        services.notice_send,
        recipient=parent,
        category="announcement",
        title="Nghỉ học thứ Sáu",
        body="",
        dedupe_key="closure",
    )
    delivery = notice.deliveries.get()
    assert delivery.state == State.SENT
    return delivery, mailoutbox[-1]


def report(event_type, message, **fields):
    """What anymail makes of a provider's webhook call, sent the way anymail sends it."""
    event = AnymailTrackingEvent(event_type=event_type, metadata=dict(message.metadata), **fields)
    tracking.send(sender=object, event=event, esp_name="Postmark")


def test_every_notice_e_mail_names_its_delivery_for_the_provider(clock, run_on_commit, mailoutbox):
    clock.to(at(2026, 3, 2, 10, 0))
    delivery, message = sent_notice(run_on_commit, mailoutbox)
    assert message.metadata == {"delivery": str(delivery.pk)}


def test_a_bounce_gives_the_delivery_up_with_the_reason(clock, run_on_commit, mailoutbox):
    clock.to(at(2026, 3, 2, 10, 0))
    delivery, message = sent_notice(run_on_commit, mailoutbox)

    report(
        "bounced",
        message,
        recipient="hoa@example.test",
        description="The mailbox does not exist.",
        mta_response="550 5.1.1 user unknown",
    )

    delivery.refresh_from_db()
    assert delivery.state == State.GIVEN_UP
    assert "bounced" in delivery.last_error and "550 5.1.1 user unknown" in delivery.last_error
    # The admin's retry can still send it once the family has fixed the address.


def test_a_failure_at_the_provider_is_tried_again_then_given_up(clock, run_on_commit, mailoutbox, settings):
    settings.NOTIFY_MAX_ATTEMPTS = 2
    clock.to(at(2026, 3, 2, 10, 0))
    delivery, message = sent_notice(run_on_commit, mailoutbox)

    report("failed", message, description="Template rendering failed")
    delivery.refresh_from_db()
    assert delivery.state == State.FAILED and delivery.sent_at is None
    assert delivery.not_before == timezone.now() + datetime.timedelta(seconds=settings.NOTIFY_RETRY_BASE_SECONDS)

    clock.shift(seconds=settings.NOTIFY_RETRY_BASE_SECONDS + settings.NOTIFY_SWEEP_GRACE_SECONDS)
    run_on_commit(services.deliveries_sweep)
    delivery.refresh_from_db()
    assert delivery.state == State.SENT and delivery.attempts == 2 and len(mailoutbox) == 2

    report("failed", mailoutbox[-1], description="Template rendering failed")
    delivery.refresh_from_db()
    assert delivery.state == State.GIVEN_UP  # no attempts left


def test_a_delay_is_only_noted(clock, run_on_commit, mailoutbox):
    clock.to(at(2026, 3, 2, 10, 0))
    delivery, message = sent_notice(run_on_commit, mailoutbox)
    report("deferred", message, mta_response="451 4.2.0 greylisted")
    delivery.refresh_from_db()
    assert delivery.state == State.SENT and "greylisted" in delivery.last_error


@pytest.mark.parametrize(
    "metadata",
    [{}, {"delivery": "not a number"}, {"delivery": "999999"}],
)
def test_reports_about_no_delivery_of_ours_change_nothing(clock, run_on_commit, mailoutbox, metadata):
    clock.to(at(2026, 3, 2, 10, 0))
    delivery, _message = sent_notice(run_on_commit, mailoutbox)
    tracking.send(sender=object, event=AnymailTrackingEvent(event_type="bounced", metadata=metadata), esp_name="x")
    delivery.refresh_from_db()
    assert delivery.state == State.SENT and delivery.last_error == ""


def test_a_report_naming_another_recipient_changes_nothing(clock, run_on_commit, mailoutbox):
    clock.to(at(2026, 3, 2, 10, 0))
    delivery, message = sent_notice(run_on_commit, mailoutbox)
    report("bounced", message, recipient="someone.else@example.test")
    delivery.refresh_from_db()
    assert delivery.state == State.SENT


# --- Through the provider's webhook, as Postmark calls it --------------------------------------------


@pytest.fixture
def webhook(settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}
    settings.ROOT_URLCONF = "tests.notifications.urls_with_webhooks"


def postmark_bounce(delivery_pk: int, *, email="hoa@example.test") -> dict:
    return {
        "RecordType": "Bounce",
        "Type": "HardBounce",
        "ID": 4323372036854775807,
        "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
        "Email": email,
        "BouncedAt": "2026-03-02T10:05:00Z",
        "Description": "The server was unable to deliver your message (ex: unknown user, mailbox not found).",
        "Details": "smtp;550 5.1.1 The email account that you tried to reach does not exist.",
        "Metadata": {"delivery": str(delivery_pk)},
    }


def test_the_provider_s_webhook_records_a_bounce(webhook, client, clock, run_on_commit, mailoutbox):
    clock.to(at(2026, 3, 2, 10, 0))
    delivery, _message = sent_notice(run_on_commit, mailoutbox)
    credentials = base64.b64encode(SECRET.encode()).decode()

    response = client.post(
        "/email/events/postmark/tracking/",
        json.dumps(postmark_bounce(delivery.pk)),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Basic {credentials}",
    )

    assert response.status_code == 200
    delivery.refresh_from_db()
    assert delivery.state == State.GIVEN_UP and "does not exist" in delivery.last_error


def test_the_webhook_refuses_a_caller_without_the_secret(webhook, client, clock, run_on_commit, mailoutbox):
    clock.to(at(2026, 3, 2, 10, 0))
    delivery, _message = sent_notice(run_on_commit, mailoutbox)
    wrong = base64.b64encode(b"provider:guess").decode()
    for headers in ({}, {"HTTP_AUTHORIZATION": f"Basic {wrong}"}):
        response = client.post(
            "/email/events/postmark/tracking/",
            json.dumps(postmark_bounce(delivery.pk)),
            content_type="application/json",
            **headers,
        )
        assert response.status_code == 400
    delivery.refresh_from_db()
    assert delivery.state == State.SENT


def test_without_a_secret_there_are_no_webhooks(client):
    response = client.post("/email/events/postmark/tracking/", "{}", content_type="application/json")
    assert response.status_code == 404
