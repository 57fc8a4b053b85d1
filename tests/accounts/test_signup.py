import pytest

from accounts.models import User
from accounts.sms import LocmemSmsBackend
from tests import factories as f

pytestmark = pytest.mark.django_db


def signup(client, **data):
    payload = {
        "full_name": "Trần Thị Mới",
        "email": "",
        "phone": "",
        "password1": "m0t-m4t-khau-dai",
        "password2": "m0t-m4t-khau-dai",
        **data,
    }
    client.cookies["django_language"] = "en"
    return client.post("/accounts/signup/", payload)


def test_sign_up_by_email_sends_a_verification_mail(client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = signup(client, email="Moi@Example.test")
    assert response.status_code == 302
    user = User.objects.get(email="moi@example.test")
    assert user.full_name == "Trần Thị Mới"
    assert len(mailoutbox) == 1 and "/accounts/confirm-email/" in mailoutbox[0].body


def test_sign_up_by_phone_sends_a_code_by_sms(client, django_capture_on_commit_callbacks):
    LocmemSmsBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = signup(client, phone="0912 345 678")
    assert response.status_code == 302
    user = User.objects.get(phone="+84912345678")
    assert user.email is None and not user.phone_verified
    assert LocmemSmsBackend.outbox and LocmemSmsBackend.outbox[-1]["to"] == "+84912345678"


def test_malformed_phone_is_refused_clearly(client):
    response = signup(client, phone="09-12")
    assert response.status_code == 200
    assert "Enter a valid phone number" in response.content.decode()
    assert not User.objects.exists()


def test_email_or_phone_is_required(client):
    response = signup(client)
    assert response.status_code == 200
    assert "Enter an e-mail address or a phone number." in response.content.decode()
    assert not User.objects.exists()


def test_login_by_phone(client):
    user = f.UserFactory(phone="+84912000009", phone_verified=True)
    response = client.post("/accounts/login/", {"login": "0912 000 009", "password": f.PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0912345678", "+84912345678"),
        ("+84 912 345 678", "+84912345678"),
        ("84912345678", "+84912345678"),
        ("0912.345.678", "+84912345678"),
    ],
)
def test_phone_numbers_are_stored_in_one_form(raw, expected):
    from coordination.lib.phone import normalize_phone

    assert normalize_phone(raw) == expected


def test_a_new_staff_member_who_chose_a_password_from_the_welcome_signs_in_at_once(
    world, client, mailoutbox, django_capture_on_commit_callbacks
):
    """The welcome link came to their address: with verification mandatory, it counts as verified."""
    import re

    client.force_login(world.principal)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/schools/sao-mai/manage/staff/",
            {"full_name": "Đỗ Thị Mới", "email": "moi@example.test", "phone": "", "role": "nurse"},
        )
    client.logout()
    link = re.search(r"http://\S+(/accounts/password/reset/key/\S+)", mailoutbox[-1].body).group(1)
    form = client.get(link, follow=True)
    client.post(form.redirect_chain[-1][0], {"password1": "m0t-m4t-khau-dai", "password2": "m0t-m4t-khau-dai"})
    response = client.post("/accounts/login/", {"login": "moi@example.test", "password": "m0t-m4t-khau-dai"})
    assert response.status_code == 302 and response["Location"] != "/accounts/confirm-email/"
    assert client.session["_auth_user_id"] == str(User.objects.get(email="moi@example.test").pk)


def test_a_person_who_signed_up_by_phone_signs_in_by_phone_without_an_e_mail(client):
    user = f.UserFactory(email=None, phone="+84912000019", phone_verified=True)
    response = client.post("/accounts/login/", {"login": "0912 000 019", "password": f.PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(user.pk)


def test_signing_in_by_an_unverified_e_mail_waits_for_its_link(client, mailoutbox, django_capture_on_commit_callbacks):
    f.UserFactory(email="chua@example.test", verified=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/login/", {"login": "chua@example.test", "password": f.PASSWORD})
    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session
    assert "/accounts/confirm-email/" in mailoutbox[-1].body
