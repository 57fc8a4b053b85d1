"""Only mobile numbers of the accepted countries are taken, wherever a phone number is typed.

A stranger who signs up with a premium-rate or far-away number makes the
portal pay for every text to it: such numbers are refused with a clear
message at sign-up, at a change of number, in the staff form, for pick-up
persons (the family's form and the admin), in the admin's user form and for
sign-in codes. Viet Nam's numbers are accepted by default; other countries
only when PHONE_ALLOWED_REGIONS lists them.
"""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from accounts.models import User
from coordination.lib.phone import display_phone, normalize_phone
from schools.models import PickupPerson, StaffMembership
from tests import factories as f

pytestmark = pytest.mark.django_db

PREMIUM = "+882 16 1234 5678"  # an "international network": premium rate, no country
BRITISH = "+44 7400 123456"  # a valid mobile, of another country
FOREIGN_MESSAGE = "Phone numbers from this country are not accepted. Accepted country codes: +84."


def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0912 345 678", "+84912345678"),
        ("0912.345.678", "+84912345678"),
        ("(091) 234-5678", "+84912345678"),
        ("+84 912 345 678", "+84912345678"),
        ("0084 912 345 678", "+84912345678"),
        ("032 123 4567", "+84321234567"),
    ],
)
def test_vietnamese_mobiles_typed_any_way_are_stored_in_one_form(raw, expected):
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (PREMIUM, FOREIGN_MESSAGE),
        (BRITISH, FOREIGN_MESSAGE),
        ("+1 202 555 0143", FOREIGN_MESSAGE),
        ("1900 1234", "This is not a mobile number"),  # Vietnamese premium rate
        ("0225 3870 123", "This is not a mobile number"),  # a landline
        ("09-12", "Enter a valid phone number"),
        ("không có số", "Enter a valid phone number"),
    ],
)
def test_premium_foreign_and_landline_numbers_are_refused_with_the_reason(raw, message):
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        normalize_phone(raw)
    with translation.override("en"):
        assert message in " ".join(refused.value.messages)


def test_another_country_is_accepted_once_the_setting_lists_it(settings):
    settings.PHONE_ALLOWED_REGIONS = ["VN", "GB"]
    assert normalize_phone(BRITISH) == "+447400123456"
    assert normalize_phone("0912 345 678") == "+84912345678"  # still read as Vietnamese
    with pytest.raises(ValidationError):
        normalize_phone(PREMIUM)
    assert display_phone("+447400123456") == "+44 7400 123456"
    assert display_phone("+84912345678") == "0912 345 678"


def signup(client, phone):
    return english(client).post(
        "/accounts/signup/",
        {
            "full_name": "Người Lạ",
            "email": "",
            "phone": phone,
            "password1": "m0t-m4t-khau-dai",
            "password2": "m0t-m4t-khau-dai",
        },
    )


def test_sign_up_with_a_premium_number_is_refused_and_texts_nobody(client, sms_outbox, settings):
    response = signup(client, PREMIUM)
    assert response.status_code == 200
    assert FOREIGN_MESSAGE in response.content.decode()
    assert not User.objects.exists()
    assert sms_outbox == []


def test_sign_up_with_an_allowed_foreign_number_is_taken(
    client, sms_outbox, settings, django_capture_on_commit_callbacks
):
    settings.PHONE_ALLOWED_REGIONS = ["VN", "GB"]
    with django_capture_on_commit_callbacks(execute=True):
        response = signup(client, BRITISH)
    assert response.status_code == 302
    assert User.objects.get().phone == "+447400123456"
    assert [m["to"] for m in sms_outbox] == ["+447400123456"]


def test_a_change_of_number_to_a_foreign_one_is_refused(client, sms_outbox):
    user = f.UserFactory(phone="+84912000001", phone_verified=True)
    english(client).force_login(user)
    response = client.post("/accounts/phone/change/", {"phone": BRITISH})
    assert response.status_code == 200
    assert FOREIGN_MESSAGE in response.content.decode()
    user.refresh_from_db()
    assert (user.phone, user.phone_verified) == ("+84912000001", True)
    assert sms_outbox == []


def test_a_sign_in_code_to_a_premium_number_is_refused(client, sms_outbox):
    response = english(client).post("/accounts/login/code/", {"phone": PREMIUM})
    assert response.status_code == 200
    assert FOREIGN_MESSAGE in response.content.decode()
    assert sms_outbox == []


def test_the_staff_form_refuses_a_foreign_number(world, client):
    english(client).force_login(world.principal)
    response = client.post(
        "/schools/sao-mai/manage/staff/",
        {"full_name": "Cô Mới", "email": "moi@example.test", "phone": PREMIUM, "role": "nurse"},
    )
    assert response.status_code == 200
    assert FOREIGN_MESSAGE in response.content.decode()
    assert not StaffMembership.objects.filter(user__email="moi@example.test").exists()


def test_a_familys_pick_up_person_with_a_foreign_number_is_refused(world, client):
    english(client).force_login(world.parent)
    response = client.post(
        f"/children/{world.child.pk}/pickup/",
        {"full_name": "Ông Lạ", "relationship": "Chú", "phone": PREMIUM, "can_pick_up": "on"},
    )
    assert response.status_code == 200
    assert FOREIGN_MESSAGE in response.content.decode()
    assert not PickupPerson.objects.exists()


def test_a_pick_up_person_changed_in_the_admin_keeps_a_vietnamese_mobile(world, client):
    person = f.PickupPersonFactory(child=world.child)
    before = person.phone
    english(client).force_login(world.principal)
    data = {
        "school": world.school.pk,
        "child": world.child.pk,
        "full_name": person.full_name,
        "relationship": person.relationship,
        "phone": PREMIUM,
        "id_number": "",
        "can_pick_up": "on",
        "added_by": world.parent.pk,
    }
    response = client.post(f"/admin/schools/pickupperson/{person.pk}/change/", data)
    assert response.status_code == 200
    assert FOREIGN_MESSAGE in response.content.decode()
    person.refresh_from_db()
    assert person.phone == before

    response = client.post(f"/admin/schools/pickupperson/{person.pk}/change/", {**data, "phone": "0987 654 321"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.phone == "+84987654321"


def test_the_admins_user_form_refuses_a_premium_number(client):
    admin = f.UserFactory(is_staff=True, is_superuser=True)
    user = f.UserFactory(email="me@example.test")
    english(client).force_login(admin)
    data = {
        "email": user.email,
        "phone": PREMIUM,
        "full_name": user.full_name,
        "language": "vi",
        "is_active": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "01/12/2026",
        "date_joined_1": "08:00:00",
    }
    response = client.post(f"/admin/accounts/user/{user.pk}/change/", data)
    assert response.status_code == 200
    assert FOREIGN_MESSAGE in response.content.decode()
    user.refresh_from_db()
    assert user.phone is None
