"""In the admin, a principal sees their school's notices and deliveries (read-only) and can retry dead ones."""

import pytest

from notifications.models import Delivery, Notice
from tests import factories as f
from tests.notifications.conftest import at

pytestmark = pytest.mark.django_db
State = Delivery.State


def dead_delivery(recipient, school, title="Họp phụ huynh", error="SMTPRecipientsRefused: 550 no such user"):
    notice = Notice.objects.create(
        recipient=recipient, school=school, category="announcement", title=title, dedupe_key=title
    )
    return Delivery.objects.create(notice=notice, channel="email", state=State.GIVEN_UP, attempts=5, last_error=error)


def test_a_principal_sees_the_dead_deliveries_of_their_school_with_the_error(world, client):
    dead_delivery(world.parent, world.school)
    dead_delivery(world.parent, world.other_school, title="Của trường khác")
    dead_delivery(world.parent, None, title="Việc riêng của tài khoản")
    client.force_login(world.principal)

    page = client.get("/admin/notifications/delivery/?state__exact=given_up").content.decode()
    assert "Họp phụ huynh" in page and "550 no such user" in page
    assert "Của trường khác" not in page and "Việc riêng của tài khoản" not in page

    notices = client.get("/admin/notifications/notice/").content.decode()
    assert "Họp phụ huynh" in notices and "Của trường khác" not in notices


def test_nothing_is_edited_by_hand(world, client):
    delivery = dead_delivery(world.parent, world.school)
    client.force_login(world.principal)
    assert client.get("/admin/notifications/delivery/add/").status_code == 403
    page = client.get(f"/admin/notifications/delivery/{delivery.pk}/change/")
    assert page.status_code == 200 and 'name="state"' not in page.content.decode()
    assert client.post(f"/admin/notifications/delivery/{delivery.pk}/delete/", {"post": "yes"}).status_code == 403


def test_retry_queues_dead_deliveries_again(world, client, clock, django_capture_on_commit_callbacks, mailoutbox):
    clock.to(at(2026, 3, 2, 10, 0))
    delivery = dead_delivery(world.parent, world.school)
    sent = Delivery.objects.create(notice=delivery.notice, channel="sms", state=State.SENT, attempts=1)
    client.force_login(world.principal)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/notifications/delivery/", {"action": "retry", "_selected_action": [delivery.pk, sent.pk]}
        )
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.state == State.SENT and delivery.attempts == 1
    assert len(mailoutbox) == 1
    assert Delivery.objects.get(pk=sent.pk).attempts == 1  # a sent one is left alone


def test_another_schools_principal_cannot_retry(world, client):
    delivery = dead_delivery(world.parent, world.school)
    client.force_login(world.other_principal)
    client.post("/admin/notifications/delivery/", {"action": "retry", "_selected_action": [delivery.pk]})
    delivery.refresh_from_db()
    assert delivery.state == State.GIVEN_UP


def test_a_superuser_sees_everything(world, client):
    dead_delivery(world.parent, None, title="Việc riêng của tài khoản")
    client.force_login(f.UserFactory(is_staff=True, is_superuser=True))
    assert "Việc riêng của tài khoản" in client.get("/admin/notifications/delivery/").content.decode()
