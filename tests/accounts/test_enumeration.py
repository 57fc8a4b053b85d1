"""Whether an account exists is told only to its owner.

Sign-up, password reset and sign-in by code answer a stranger the same for an
address or number that has an account and for one that has none
(ACCOUNT_PREVENT_ENUMERATION, with mandatory e-mail verification). The owner
of an existing address or number is told by e-mail or SMS instead; nothing
goes to an address or number without an account.
"""

import re

import pytest
from django.test import Client

from accounts.models import User
from notifications.models import SmsCount
from tests import factories as f

pytestmark = pytest.mark.django_db

PASSWORD = "m0t-m4t-khau-dai"


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def seen(response, typed: str) -> tuple:
    """What the visitor sees: where they are sent, and the page there, without the tokens and what they typed."""
    page = response.content.decode()
    main = page[page.index("<main") : page.index("</main>")]
    main = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", main)
    main = main.replace(typed, "TYPED")
    return [url for url, _status in response.redirect_chain], response.status_code, main


def visitor():
    client = Client()
    client.cookies["django_language"] = "en"
    return client


def sign_up(client, **data):
    payload = {"full_name": "Người Mới", "email": "", "phone": "", "password1": PASSWORD, "password2": PASSWORD, **data}
    return client.post("/accounts/signup/", payload, follow=True)


def test_sign_up_with_an_e_mail_answers_the_same_whether_or_not_it_has_an_account(mailoutbox, on_commit):
    f.UserFactory(email="hoa@example.test")
    stranger, newcomer = visitor(), visitor()
    with on_commit():
        taken = sign_up(stranger, email="hoa@example.test")
    with on_commit():
        free = sign_up(newcomer, email="moi@example.test")
    assert seen(taken, "hoa@example.test") == seen(free, "moi@example.test")
    assert taken.redirect_chain[-1][0] == "/accounts/confirm-email/"
    assert "already" not in taken.content.decode().lower()
    # Neither is signed in before the address is verified.
    assert "_auth_user_id" not in stranger.session and "_auth_user_id" not in newcomer.session

    assert User.objects.filter(email="hoa@example.test").count() == 1
    assert User.objects.filter(email="moi@example.test").count() == 1
    # The owner is told by e-mail; the new address gets its verification link.
    to = {tuple(m.to): m for m in mailoutbox}
    assert set(to) == {("hoa@example.test",), ("moi@example.test",)}
    assert "/accounts/confirm-email/" not in to[("hoa@example.test",)].body
    assert "/accounts/password/reset/" in to[("hoa@example.test",)].body
    assert "/accounts/confirm-email/" in to[("moi@example.test",)].body


def test_sign_up_with_a_phone_answers_the_same_whether_or_not_it_has_an_account(sms_outbox, on_commit):
    f.UserFactory(email=None, phone="+84912000001", phone_verified=True)
    with on_commit():
        taken = sign_up(visitor(), phone="0912 000 001")
    with on_commit():
        free = sign_up(visitor(), phone="0912 000 002")
    assert seen(taken, "+84912000001") == seen(free, "+84912000002")
    assert taken.redirect_chain[-1][0] == "/accounts/phone/verify/"
    assert User.objects.filter(phone="+84912000001").count() == 1
    texts = {m["to"]: m["body"] for m in sms_outbox}
    assert set(texts) == {"+84912000001", "+84912000002"}
    assert "already" in texts["+84912000001"] or "đã có" in texts["+84912000001"].lower()
    assert re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}", texts["+84912000002"])


def test_the_old_already_exists_message_is_gone_from_the_sign_up_page(client):
    f.UserFactory(phone="+84912000001", phone_verified=True)
    client.cookies["django_language"] = "en"
    response = sign_up(client, phone="0912 000 001")
    assert "An account with this phone number already exists" not in response.content.decode()


def test_a_password_reset_answers_the_same_whether_or_not_the_address_has_an_account(mailoutbox, on_commit):
    f.UserFactory(email="hoa@example.test")
    with on_commit():
        known = visitor().post("/accounts/password/reset/", {"email": "hoa@example.test"}, follow=True)
    with on_commit():
        unknown = visitor().post("/accounts/password/reset/", {"email": "la@example.test"}, follow=True)
    assert seen(known, "hoa@example.test") == seen(unknown, "la@example.test")
    assert known.redirect_chain[-1][0] == "/accounts/password/reset/done/"
    assert [m.to for m in mailoutbox] == [["hoa@example.test"]]


def test_a_sign_in_code_by_phone_answers_the_same_whether_or_not_the_number_has_an_account(sms_outbox, on_commit):
    f.UserFactory(email=None, phone="+84912000001", phone_verified=True)
    with on_commit():
        known = visitor().post("/accounts/login/code/", {"phone": "0912 000 001"}, follow=True)
    with on_commit():
        unknown = visitor().post("/accounts/login/code/", {"phone": "0912 000 002"}, follow=True)
    assert seen(known, "+84912000001") == seen(unknown, "+84912000002")
    assert known.redirect_chain[-1][0] == "/accounts/login/code/confirm/"
    # Only the member gets a text; both requests count alike against the number's budget.
    assert [m["to"] for m in sms_outbox] == ["+84912000001"]
    sent = dict(SmsCount.objects.filter(scope="number").values_list("key", "sent"))
    assert sent == {"+84912000001": 1, "+84912000002": 1}


def test_a_member_who_signed_up_by_phone_signs_in_with_a_code(client, sms_outbox, on_commit):
    user = f.UserFactory(email=None, phone="+84912000001", phone_verified=True)
    with on_commit():
        client.post("/accounts/login/code/", {"phone": "0912 000 001"})
    code = re.search(r"([A-Z0-9]{4}-[A-Z0-9]{4})", sms_outbox[0]["body"]).group(1)
    response = client.post("/accounts/login/code/confirm/", {"code": code})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_sign_up_takes_an_e_mail_or_a_phone_not_both(client):
    client.cookies["django_language"] = "en"
    response = sign_up(client, email="moi@example.test", phone="0912 000 002")
    assert response.status_code == 200
    assert "Enter an e-mail address or a phone number, not both." in response.content.decode()
    assert not User.objects.exists()


def test_a_change_to_another_members_number_tells_its_owner_and_gives_no_code(sms_outbox, on_commit):
    f.UserFactory(email=None, phone="+84912000001", phone_verified=True)
    taker, mover = visitor(), visitor()
    taker.force_login(f.UserFactory(email="taker@example.test"))
    mover.force_login(f.UserFactory(email="mover@example.test"))
    with on_commit():
        taken = taker.post("/accounts/phone/change/", {"phone": "0912 000 001"}, follow=True)
    with on_commit():
        free = mover.post("/accounts/phone/change/", {"phone": "0912 000 002"}, follow=True)
    assert seen(taken, "+84912000001") == seen(free, "+84912000002")
    texts = {m["to"]: m["body"] for m in sms_outbox}
    assert not re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}", texts["+84912000001"])  # the owner is told, no code
    code = re.search(r"([A-Z0-9]{4}-[A-Z0-9]{4})", texts["+84912000002"]).group(1)

    # The code moves the account to the new number.
    assert mover.post("/accounts/phone/verify/", {"code": code}).status_code == 302
    moved = User.objects.get(email="mover@example.test")
    assert (moved.phone, moved.phone_verified) == ("+84912000002", True)
    assert User.objects.get(phone="+84912000001").email is None
