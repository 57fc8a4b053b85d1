"""Each channel: e-mail (HTML and text, in the person's language), SMS gateways, the HTTP gateway."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils.translation import gettext, gettext_lazy

from notifications import services
from notifications.channels import sms_text
from notifications.models import Delivery, Notice
from notifications.sms import HttpSmsGateway, SmsError
from tests import factories as f
from tests.notifications.conftest import at, prefer, with_phone

pytestmark = pytest.mark.django_db
State = Delivery.State


def tell(user, run_on_commit, **extra):
    arguments = {
        "recipient": user,
        "category": "works",
        # Rendered in the recipient's language (Django's own catalogue knows the weekdays).
        "title": lambda: gettext("Sunday"),
        "body": gettext_lazy("Monday"),
        "url": "/family/",
        "dedupe_key": "works:1",
        **extra,
    }
    return run_on_commit(services.notice_send, **arguments)


@pytest.fixture
def immediate_parent(clock):
    clock.to(at(2026, 3, 2, 10, 0))
    parent = f.UserFactory(email="hoa@example.test")
    prefer(parent, frequency="immediate")
    return parent


def test_the_email_has_html_text_a_deterministic_message_id_and_the_preferences_link(
    immediate_parent, run_on_commit, mailoutbox, settings
):
    settings.SITE_URL = "https://portal.example.org"
    notice = tell(immediate_parent, run_on_commit)
    [message] = mailoutbox
    delivery = notice.deliveries.get()

    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "https://portal.example.org/notifications/preferences/" in message.body
    assert 'href="https://portal.example.org/notifications/preferences/"' in html
    assert 'href="https://portal.example.org/family/"' in html
    assert message.extra_headers["Message-ID"] == f"<notice-{notice.pk}.email.{delivery.pk}@portal.example.org>"
    assert message.message()["Message-ID"] == message.extra_headers["Message-ID"]


def test_vietnamese_by_default(immediate_parent, run_on_commit, mailoutbox):
    notice = tell(immediate_parent, run_on_commit)
    assert (notice.title, notice.body) == ("Chủ nhật", "Thứ 2")
    [message] = mailoutbox
    assert message.subject == "Chủ nhật"
    assert message.extra_headers["Content-Language"] == "vi"
    assert '<html lang="vi">' in message.alternatives[0][0]


def test_english_for_a_person_who_chose_it(immediate_parent, run_on_commit, mailoutbox):
    immediate_parent.language = "en"
    immediate_parent.save()
    notice = tell(immediate_parent, run_on_commit)
    assert (notice.title, notice.body) == ("Sunday", "Monday")
    [message] = mailoutbox
    assert message.extra_headers["Content-Language"] == "en"
    assert '<html lang="en">' in message.alternatives[0][0]
    assert "Change what you receive" in message.body


def test_context_is_filled_in_after_translation(immediate_parent, run_on_commit):
    notice = tell(
        immediate_parent,
        run_on_commit,
        title=gettext_lazy("%(name)s: new work"),
        context={"name": "Nguyễn Minh Khôi"},
    )
    assert notice.title == "Nguyễn Minh Khôi: new work"


def test_sms_through_the_in_memory_gateway(immediate_parent, run_on_commit, sms_outbox):
    with_phone(immediate_parent)
    notice = tell(immediate_parent, run_on_commit, category="pickup", title="Bà ngoại đón bé lúc 16:30", body="")
    assert sms_outbox == [{"to": "+84912345678", "body": "Bà ngoại đón bé lúc 16:30 http://127.0.0.1:8000/family/"}]
    assert notice.deliveries.get(channel="sms").state == State.SENT


def test_sms_through_the_console_in_the_embedded_default(immediate_parent, run_on_commit, settings, capsys):
    settings.SMS_BACKEND = "notifications.sms.ConsoleSmsGateway"
    settings.DEBUG = True  # `make run`
    with_phone(immediate_parent)
    tell(immediate_parent, run_on_commit, category="pickup", title="Bà ngoại đón bé", body="")
    assert "SMS to +84912345678: Bà ngoại đón bé" in capsys.readouterr().out


def test_the_console_prints_no_text_without_debug(immediate_parent, run_on_commit, settings, capsys, caplog):
    settings.SMS_BACKEND = "notifications.sms.ConsoleSmsGateway"
    settings.DEBUG = False
    with_phone(immediate_parent)
    tell(immediate_parent, run_on_commit, category="pickup", title="Bà ngoại đón bé", body="")
    out = capsys.readouterr()
    assert "SMS to +84912345678" in out.out
    assert "Bà ngoại" not in out.out + out.err + caplog.text


def test_no_sms_by_default_except_pickup_and_urgent_announcements(immediate_parent, run_on_commit, sms_outbox):
    with_phone(immediate_parent)
    for n, (category, urgent) in enumerate(
        [("activity", False), ("announcement", False), ("announcement", True), ("pickup", False)]
    ):
        tell(immediate_parent, run_on_commit, category=category, urgent=urgent, title=category, dedupe_key=str(n))
    assert [m["body"].split(":")[0] for m in sms_outbox] == ["announcement", "pickup"]


def test_no_sms_to_an_unverified_number(immediate_parent, run_on_commit, sms_outbox):
    immediate_parent.phone = "+84912345678"
    immediate_parent.save()
    notice = tell(immediate_parent, run_on_commit, category="pickup")
    assert sms_outbox == [] and not notice.deliveries.filter(channel="sms").exists()


def test_a_long_text_message_is_cut_but_keeps_its_link():
    notice = Notice(title="Thông báo", body="rất dài " * 100, url="/family/")
    text = sms_text(notice)
    assert len(text) <= 300 and text.endswith(" http://127.0.0.1:8000/family/")


def test_sign_in_codes_go_through_the_same_gateway(sms_outbox, run_on_commit):
    from accounts.adapter import AccountAdapter

    user = f.UserFactory(phone="+84912345678", phone_verified=False, language="en")
    run_on_commit(AccountAdapter().send_verification_code_sms, user=user, phone=user.phone, code="123456")
    assert sms_outbox == [{"to": "+84912345678", "body": "Your verification code: 123456"}]


# --- The HTTP gateway, against a small server on this machine ------------------------------------


class GatewayStub(BaseHTTPRequestHandler):
    received: list[dict] = []
    status = 200
    delay = 0.0

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        GatewayStub.received.append(
            {
                "auth": self.headers["Authorization"],
                "type": self.headers["Content-Type"],
                **json.loads(self.rfile.read(length)),
            }
        )
        time.sleep(GatewayStub.delay)
        body = b'{"ok": true}' if self.status < 300 else b'{"error": "provider down"}'
        try:
            self.send_response(GatewayStub.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway(monkeypatch):
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    GatewayStub.received, GatewayStub.status, GatewayStub.delay = [], 200, 0.0
    server = ThreadingHTTPServer(("127.0.0.1", 0), GatewayStub)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sms"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_http_gateway_posts_json_with_a_bearer_token(gateway):
    HttpSmsGateway(url=gateway, token="s3cret", timeout=2).send(to="+84912345678", body="Xin chào")
    assert GatewayStub.received == [
        {"auth": "Bearer s3cret", "type": "application/json", "to": "+84912345678", "body": "Xin chào"}
    ]


def test_http_gateway_reports_a_server_error(gateway):
    GatewayStub.status = 500
    with pytest.raises(SmsError) as error:
        HttpSmsGateway(url=gateway, token="t", timeout=2).send(to="+84912345678", body="x")
    assert "SMS gateway answered 500" in str(error.value) and "provider down" in str(error.value)
    assert not error.value.permanent


def test_http_gateway_reports_a_refused_request_as_permanent(gateway):
    GatewayStub.status = 400
    with pytest.raises(SmsError) as error:
        HttpSmsGateway(url=gateway, token="t", timeout=2).send(to="+84912345678", body="x")
    assert error.value.permanent


def test_http_gateway_gives_up_waiting(gateway):
    GatewayStub.delay = 1.0
    started = time.monotonic()
    with pytest.raises(SmsError, match="did not answer within 0.2 s"):
        HttpSmsGateway(url=gateway, token="t", timeout=0.2).send(to="+84912345678", body="x")
    assert time.monotonic() - started < 1.0


def test_http_gateway_settings_and_failures_reach_the_delivery(gateway, settings, immediate_parent, run_on_commit):
    settings.SMS_BACKEND = "notifications.sms.HttpSmsGateway"
    settings.SMS_HTTP_URL, settings.SMS_HTTP_TOKEN = gateway, "from-settings"
    with_phone(immediate_parent)
    GatewayStub.status = 503
    notice = tell(immediate_parent, run_on_commit, category="pickup")

    sms = notice.deliveries.get(channel="sms")
    assert sms.state == State.FAILED and sms.last_error.startswith("SMS gateway answered 503")
    assert GatewayStub.received[0]["auth"] == "Bearer from-settings"


def test_http_gateway_needs_an_http_address():
    with pytest.raises(SmsError):
        HttpSmsGateway(url="file:///etc/passwd", token="t")
