"""Sign-in codes, password links and confirmations go through notices like every other message.

They are kept as a notice with a tracked delivery (retried, shown in the
admin), go at once whatever the person's preferences and the hour, go to the
address they are about, and never to an address or number without an account.
"""

import re

import pytest
from django.core import mail

from accounts.models import User
from notifications.models import Delivery, Notice
from notifications.services import account_message_send
from tests import factories as f
from tests.notifications.conftest import at, prefer

pytestmark = pytest.mark.django_db

RESET_LINK = re.compile(r"http://\S+/accounts/password/reset/key/\S+")


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_a_password_link_goes_at_once_even_at_night_and_with_every_e_mail_switched_off(
    client, mailoutbox, clock, on_commit
):
    user = f.UserFactory(email="me@example.test", language="vi")
    prefer(user, email_off=["activity", "feedback", "announcement", "pickup"], frequency="daily")
    clock.to(at(2026, 11, 23, 23, 30))  # quiet hours
    with on_commit():
        response = client.post("/accounts/password/reset/", {"email": "me@example.test"})
    assert response.status_code == 302

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["me@example.test"]
    link = RESET_LINK.search(message.body)
    assert link, message.body
    # In the person's language, with the portal's footer and its preferences link.
    assert "mật khẩu" in message.subject.lower() or "mật khẩu" in message.body.lower()
    assert "/notifications/preferences/" in message.body
    html = message.alternatives[0][0]
    assert f'href="{link.group(0)}"' in html  # the link is clickable in the HTML part

    notice = Notice.objects.get(recipient=user)
    assert notice.category == "account" and notice.read_at is not None  # kept, but rings no bell
    delivery = notice.deliveries.get()
    assert (delivery.channel, delivery.state, delivery.address) == ("email", "sent", "me@example.test")
    assert delivery.attempts == 1


def test_a_new_address_gets_its_confirmation_there(client, mailoutbox, on_commit):
    user = f.UserFactory(email="old@example.test")
    client.force_login(user)
    with on_commit():
        response = client.post("/accounts/email/", {"action_add": "", "email": "new@example.test"})
    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [["new@example.test"]]
    assert "/accounts/confirm-email/" in mailoutbox[0].body
    delivery = Delivery.objects.get(notice__recipient=user)
    assert delivery.address == "new@example.test" and delivery.state == "sent"


def test_a_sign_up_code_goes_by_sms_to_the_number_not_yet_verified(client, sms_outbox, on_commit):
    with on_commit():
        response = client.post(
            "/accounts/signup/",
            {
                "full_name": "Lê Văn Tư",
                "email": "",
                "phone": "0912 345 678",
                "password1": "m0t-m4t-khau-dai",
                "password2": "m0t-m4t-khau-dai",
            },
        )
    assert response.status_code == 302
    user = User.objects.get(phone="+84912345678")
    assert not user.phone_verified
    assert len(sms_outbox) == 1 and sms_outbox[0]["to"] == "+84912345678"
    code = re.fullmatch(r"Mã xác minh của bạn: (\S+)", sms_outbox[0]["body"])
    assert code, sms_outbox[0]["body"]
    delivery = Delivery.objects.get(notice__recipient=user)
    assert (delivery.channel, delivery.state, delivery.address) == ("sms", "sent", "+84912345678")
    # The code from the text message verifies the number.
    response = client.post(response["Location"], {"code": code.group(1)})
    assert response.status_code == 302, response.content.decode()[:2000]
    user.refresh_from_db()
    assert user.phone_verified


def test_a_gateway_failure_is_recorded_on_the_delivery_and_tried_again(settings, client, on_commit):
    settings.SMS_BACKEND = "tests.accounts.test_account_messages.BrokenGateway"
    user = f.UserFactory(email=None, phone="+84912000111", phone_verified=False)
    with on_commit():
        account_message_send(recipient=user, channel="sms", address=user.phone, title="Mã xác minh: 123456")
    delivery = Delivery.objects.get(notice__recipient=user)
    assert delivery.state == "failed" and delivery.attempts == 1
    assert "answered 500" in delivery.last_error
    assert delivery.not_before > delivery.created_at  # waits for its retry


class BrokenGateway:
    def send(self, *, to, body):
        from notifications.sms import SmsError

        raise SmsError("the gateway answered 500")


def test_nothing_goes_to_an_address_without_an_account(mailoutbox, on_commit, client):
    from allauth.account.adapter import get_adapter

    with on_commit():
        get_adapter().send_mail("account/email/unknown_account", "stranger@example.test", {"signup_url": "/"})
        client.post("/accounts/password/reset/", {"email": "stranger@example.test"})
    assert mailoutbox == [] and not Notice.objects.exists()


def test_the_same_dedupe_key_sends_once(mailoutbox, on_commit):
    user = f.UserFactory(email="once@example.test")
    with on_commit():
        first = account_message_send(recipient=user, channel="email", title="Chào", dedupe_key="account:welcome:1")
        again = account_message_send(recipient=user, channel="email", title="Chào", dedupe_key="account:welcome:1")
    assert first is not None and again is None
    assert len(mailoutbox) == 1


def test_account_messages_are_not_a_choice_on_the_preferences_page(client):
    user = f.UserFactory()
    client.force_login(user)
    page = client.get("/notifications/preferences/").content.decode()
    assert "email_account" not in page and "sms_account" not in page
    assert "mã đăng nhập" in page.lower()  # says why
    response = client.post(
        "/notifications/preferences/",
        {
            "email_account": "",
            "sms_account": "off",
            "frequency": "daily",
            "digest_time": "18:00",
            "digest_weekday": "6",
            "quiet_start": "21:00",
            "quiet_end": "06:30",
            "language": "vi",
        },
    )
    assert response.status_code == 200
    assert "Danh mục không hợp lệ: account." in response.content.decode()


def test_the_admin_does_not_show_what_an_account_message_says(admin_client, on_commit):
    user = f.UserFactory(email="me@example.test")
    with on_commit():
        notice = account_message_send(recipient=user, channel="email", title="Mã đăng nhập", body="Mã: 493817")
    page = admin_client.get(f"/admin/notifications/notice/{notice.pk}/change/").content.decode()
    assert "Mã đăng nhập" in page and "493817" not in page
    assert "ẩn" in page
    assert mail.outbox and "493817" in mail.outbox[0].body
