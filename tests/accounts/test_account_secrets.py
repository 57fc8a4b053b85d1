"""Sign-in codes and password links belong to the person they are for, and to nobody else.

They never show in the admin, never reach the logs outside DEBUG=1 (the
console backends of `make run` still print them, so that the demo works), and
are kept only until sent: then the text is erased, and the notice and its
delivery stay, with their title, for counting and for the admin.
"""

import re

import pytest

from accounts.console import ConsoleEmailBackend
from accounts.models import User
from accounts.sms import ConsoleSmsBackend
from notifications import services
from notifications.models import Delivery, Notice
from tests import factories as f

pytestmark = pytest.mark.django_db

CODE = re.compile(r": (\S+)$")
RESET_LINK = re.compile(r"http://\S+/accounts/password/reset/key/\S+")


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def sign_up_by_phone(client, phone="0912 345 678"):
    return client.post(
        "/accounts/signup/",
        {
            "full_name": "Lê Văn Tư",
            "email": "",
            "phone": phone,
            "password1": "m0t-m4t-khau-dai",
            "password2": "m0t-m4t-khau-dai",
        },
    )


def stored_text() -> str:
    """Everything the notices and deliveries hold, as one string."""
    rows = [*Notice.objects.values_list("title", "body", "url", "dedupe_key")]
    rows += [*Delivery.objects.values_list("address", "last_error")]
    return " ".join(str(value) for row in rows for value in row)


def test_a_code_is_erased_once_sent_and_the_row_stays(client, sms_outbox, on_commit):
    with on_commit():
        assert sign_up_by_phone(client).status_code == 302
    code = CODE.search(sms_outbox[0]["body"]).group(1)
    notice = Notice.objects.get(recipient__phone="+84912345678")
    delivery = notice.deliveries.get()
    assert delivery.state == "sent" and delivery.channel == "sms"
    assert notice.body == "" and notice.title  # what it was about stays
    assert code not in stored_text()
    # The erased code still verifies the number: it lives in the person's session, not in the notice.
    response = client.post("/accounts/phone/verify/", {"code": code})
    assert response.status_code == 302
    assert User.objects.get(phone="+84912345678").phone_verified


def test_a_password_link_is_erased_once_sent(client, mailoutbox, on_commit):
    f.UserFactory(email="me@example.test")
    with on_commit():
        client.post("/accounts/password/reset/", {"email": "me@example.test"})
    link = RESET_LINK.search(mailoutbox[0].body).group(0)
    notice = Notice.objects.get(recipient__email="me@example.test")
    assert notice.deliveries.get().state == "sent"
    assert notice.body == ""
    assert link.split("/key/")[1] not in stored_text()


class EchoingGateway:
    """A gateway that refuses the text and repeats it in its error, as some do."""

    def send(self, *, to, body):
        from notifications.sms import SmsError

        raise SmsError(f"gateway answered 500: could not deliver {body!r}")


ADMIN_PAGES = [
    "/admin/notifications/notice/",
    "/admin/notifications/notice/{notice}/change/",
    "/admin/notifications/delivery/",
    "/admin/notifications/delivery/?state__exact=failed",
    "/admin/notifications/delivery/{delivery}/change/",
    "/admin/notifications/notice/?q={phone}",
]


def test_a_code_waiting_to_be_sent_shows_nowhere_in_the_admin(client, settings, sms_outbox, on_commit, admin_client):
    settings.SMS_BACKEND = "tests.accounts.test_account_secrets.EchoingGateway"
    with on_commit():
        assert sign_up_by_phone(client).status_code == 302
    notice = Notice.objects.get(recipient__phone="+84912345678")
    delivery = notice.deliveries.get()
    assert delivery.state == "failed"  # kept for the retry...
    code = CODE.search(notice.body).group(1)
    assert code not in delivery.last_error  # ...but not in the error the gateway echoed
    assert "[…]" in delivery.last_error

    for page in ADMIN_PAGES:
        url = page.format(notice=notice.pk, delivery=delivery.pk, phone="84912345678")
        response = admin_client.get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        assert code not in content, url
    assert notice.title in admin_client.get(f"/admin/notifications/notice/{notice.pk}/change/").content.decode()


def test_a_given_up_code_is_erased_and_not_sent_again_by_the_admins_retry(
    settings, on_commit, admin_client, sms_outbox
):
    settings.SMS_BACKEND = "tests.accounts.test_account_secrets.EchoingGateway"
    settings.NOTIFY_MAX_ATTEMPTS = 1
    user = f.UserFactory(email=None, phone="+84912000111")
    with on_commit():
        services.account_message_send(
            recipient=user, channel="sms", address=user.phone, title="Mã xác minh", body="Mã xác minh của bạn: 493817"
        )
    delivery = Delivery.objects.get(notice__recipient=user)
    assert delivery.state == "given_up"
    assert delivery.notice.body == "" and "493817" not in stored_text()

    settings.SMS_BACKEND = "notifications.sms.LocmemSmsGateway"
    with on_commit():
        admin_client.post("/admin/notifications/delivery/", {"action": "retry", "_selected_action": [delivery.pk]})
    delivery.refresh_from_db()
    assert delivery.state == "given_up" and sms_outbox == []


def test_the_sweep_erases_what_a_dead_worker_left(settings):
    user = f.UserFactory(email="me@example.test")
    notice = Notice.objects.create(
        recipient=user,
        category="account",
        title="Đặt lại mật khẩu",
        body="http://x/reset/key/abc",
        dedupe_key="account:1",
    )
    Delivery.objects.create(notice=notice, channel="email", state="sent")
    services.deliveries_sweep()
    notice.refresh_from_db()
    assert notice.body == "" and notice.title == "Đặt lại mật khẩu"


class RecordingConsoleSms(ConsoleSmsBackend):
    """The console gateway, remembering what it was given (so that the test knows the code to look for)."""

    given: list[str] = []

    def send(self, *, to, body):
        self.given.append(body)
        super().send(to=to, body=body)


class RecordingConsoleEmail(ConsoleEmailBackend):
    given: list[str] = []

    def write_message(self, message):
        self.given.append(message.body)
        super().write_message(message)


@pytest.fixture
def consoles(settings):
    settings.SMS_BACKEND = "tests.accounts.test_account_secrets.RecordingConsoleSms"
    settings.EMAIL_BACKEND = "tests.accounts.test_account_secrets.RecordingConsoleEmail"
    RecordingConsoleSms.given.clear()
    RecordingConsoleEmail.given.clear()
    yield
    RecordingConsoleSms.given.clear()
    RecordingConsoleEmail.given.clear()


def sign_up_everywhere(client, on_commit) -> tuple[str, str]:
    """A sign-up by phone and a password reset; returns the code and the link they sent."""
    with on_commit():
        assert sign_up_by_phone(client).status_code == 302
        client.logout()
        f.UserFactory(email="me@example.test")
        client.post("/accounts/password/reset/", {"email": "me@example.test"})
    code = CODE.search(RecordingConsoleSms.given[0]).group(1)
    link = RESET_LINK.search(RecordingConsoleEmail.given[0]).group(0)
    return code, link


def test_no_code_or_link_in_the_logs_without_debug(client, settings, on_commit, capsys, caplog, consoles):
    settings.DEBUG = False
    code, link = sign_up_everywhere(client, on_commit)
    out = capsys.readouterr()
    logs = out.out + out.err + caplog.text
    assert "SMS to +84912345678" in logs and "E-mail to me@example.test" in logs
    assert code not in logs
    assert link.split("/key/")[1] not in logs and "/accounts/password/reset/key/" not in logs


def test_the_demo_prints_codes_and_links_in_its_terminal(client, settings, on_commit, capsys, consoles):
    settings.DEBUG = True  # `make run`
    code, link = sign_up_everywhere(client, on_commit)
    out = capsys.readouterr().out
    assert "SMS to +84912345678: " in out and code in out
    assert "/accounts/password/reset/key/" in out
