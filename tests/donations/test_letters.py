"""Thank-you letters: on the school's letterhead, in the donor's language, with a child's drawing only while
the guardians' consent stands, sent through notifications or by e-mail, and the teachers' drawings page."""

from __future__ import annotations

import datetime
import subprocess

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from donations import letters
from donations.models import DonorDisplay, DonorKind, Letter
from notifications.models import Notice
from parents.models import ConsentPurpose
from tests import factories as f
from tests.conftest import requires_binary
from tests.donations.makers_honour import campaign_make, donor_make, received_make

SECRET = "Lê Bí Mật"
NOV = datetime.date(2026, 11, 1)


def pdf_text(content: bytes, tmp_path) -> str:
    pdftotext = requires_binary("pdftotext", "apt-get install poppler-utils")
    path = tmp_path / "letter.pdf"
    path.write_bytes(content)
    return " ".join(
        subprocess.run([pdftotext, str(path), "-"], capture_output=True, text=True, check=True).stdout.split()
    )


def pdf_images(content: bytes, tmp_path) -> int:
    pdfimages = requires_binary("pdfimages", "apt-get install poppler-utils")
    path = tmp_path / "images.pdf"
    path.write_bytes(content)
    listing = subprocess.run([pdfimages, "-list", str(path)], capture_output=True, text=True, check=True).stdout
    return len(listing.splitlines()) - 2


@pytest.fixture
def school(world):
    world.school.address = "12 phố Hàng Bạc, phường Hoàn Kiếm, Hà Nội"
    world.school.phone = "024 3826 1234"
    world.school.save()
    return world.school


@pytest.fixture
def gift(world, school):
    campaign = campaign_make(school=school, title="Góc đọc sách cho bé")
    guardian = donor_make(school=school, name="Nguyễn Thị Hương", kind=DonorKind.GUARDIAN, user=world.parent)
    return received_make(campaign=campaign, donor=guardian, received_on=datetime.date(2026, 11, 4), amount=1_200_000)


def consent(child, guardian, granted=True):
    f.ConsentFactory(child=child, guardian=guardian, purpose=ConsentPurpose.DONOR_LETTER_DRAWINGS, granted=granted)


def drawing(world):
    from tests.activities.makers import photo_make

    return photo_make(school=world.school, by=world.teacher, size=(120, 90))


def test_a_letter_in_vietnamese_on_the_letterhead(world, gift, tmp_path):
    letter = letters.letter_create(donor=gift.donor, by=world.principal, contribution=gift)
    assert letter.language == "vi" and letter.school == world.school
    text = pdf_text(letters.letter_pdf(letter), tmp_path)
    for expected in (
        world.school.name,
        "Địa chỉ: 12 phố Hàng Bạc, phường Hoàn Kiếm, Hà Nội",
        "Điện thoại: 024 3826 1234",
        "Nguyễn Thị Hương",
        "Góc đọc sách cho bé",
        "1.200.000 đ",
        "04/11/2026",
    ):
        assert expected in text


def test_a_donor_who_chose_english_gets_an_english_letter(world, school, tmp_path):
    campaign = campaign_make(school=school)
    company = donor_make(school=school, name="Sunrise Bakery Co.", kind=DonorKind.BUSINESS, language="en")
    gift = received_make(campaign=campaign, donor=company, kind="in_kind", received_on=NOV, items="Lò nướng điện")
    letter = letters.letter_create(donor=company, by=world.principal, contribution=gift)
    assert letter.language == "en"
    text = pdf_text(letters.letter_pdf(letter), tmp_path)
    assert "Phone: 024 3826 1234" in text and "Address:" in text and "Dear Sunrise Bakery Co.," in text
    assert "Điện thoại" not in text and "Lò nướng điện" in text


def test_a_letter_for_a_period_thanks_for_the_donors_own_gifts_only(world, gift, tmp_path):
    other = donor_make(school=world.school, name=SECRET, email="bimat@example.test")
    received_make(campaign=gift.campaign, donor=other, received_on=datetime.date(2026, 11, 5), amount=3_333_000)
    received_make(campaign=gift.campaign, donor=gift.donor, kind="work", received_on=datetime.date(2026, 11, 20))
    received_make(campaign=gift.campaign, donor=gift.donor, received_on=datetime.date(2026, 12, 2), amount=4_444_000)
    letter = letters.letter_create(
        donor=gift.donor, by=world.principal, period_from=NOV, period_until=datetime.date(2026, 11, 30)
    )
    text = pdf_text(letters.letter_pdf(letter), tmp_path)
    assert "1.200.000 đ" in text and "Dựng sân khấu" not in text  # the work is shown by its hours
    assert SECRET not in text and "3.333.000" not in text and "bimat@example.test" not in text
    assert "4.444.000" not in text


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"period_from": datetime.date(2026, 11, 30), "period_until": NOV},
        {"period_from": datetime.date(2026, 1, 1), "period_until": datetime.date(2026, 1, 31)},
    ],
)
def test_letters_for_nothing_are_refused(world, gift, kwargs):
    with pytest.raises(ValidationError):
        letters.letter_create(donor=gift.donor, by=world.principal, **kwargs)
    assert not Letter.objects.exists()


def test_a_letter_thanks_only_for_a_received_gift_of_its_donor(world, gift):
    other = donor_make(school=world.school, name=SECRET)
    with pytest.raises(ValidationError):
        letters.letter_create(donor=other, by=world.principal, contribution=gift)
    gift.state = "pledged"
    gift.save()
    with pytest.raises(ValidationError):
        letters.letter_create(donor=gift.donor, by=world.principal, contribution=gift)


def test_the_drawing_is_printed_only_while_the_consent_stands(world, gift, tmp_path):
    picture = drawing(world)
    with pytest.raises(ValidationError):
        letters.letter_create(
            donor=gift.donor, by=world.principal, contribution=gift, drawing=picture, drawing_child=world.child
        )
    consent(world.child, world.parent)
    letter = letters.letter_create(donor=gift.donor, by=world.principal, contribution=gift)
    letters.letter_attach_drawing(letter=letter, by=world.teacher, child=world.child, drawing=picture)
    letter.refresh_from_db()
    content = letters.letter_pdf(letter)
    assert pdf_images(content, tmp_path) == 1
    assert world.child.full_name not in pdf_text(content, tmp_path)
    consent(world.child, world.parent, granted=False)
    assert pdf_images(letters.letter_pdf(letter), tmp_path) == 0


def test_a_teacher_attaches_drawings_of_their_own_class_only(world, gift):
    picture = drawing(world)
    consent(world.child, world.parent)
    consent(world.other_class_child, world.other_parent)
    letter = letters.letter_create(donor=gift.donor, by=world.principal, contribution=gift)
    with pytest.raises(ValidationError):
        letters.letter_attach_drawing(letter=letter, by=world.teacher, child=world.other_class_child, drawing=picture)
    with pytest.raises(ValidationError):  # a photo the other teacher cannot see
        letters.letter_attach_drawing(
            letter=letter, by=world.other_teacher, child=world.other_class_child, drawing=picture
        )
    letters.letter_attach_drawing(letter=letter, by=world.teacher, child=world.child, drawing=picture)


def test_a_letter_goes_to_the_donors_account(world, gift):
    letter = letters.letter_create(donor=gift.donor, by=world.principal, contribution=gift)
    letters.letter_send(letter=letter, by=world.principal)
    notice = Notice.objects.get(recipient=world.parent)
    assert notice.url == f"/donations/letters/{letter.pk}.pdf" and notice.category == "honour_roll"
    letter.refresh_from_db()
    gift.refresh_from_db()
    assert letter.sent_at and gift.thanked_at
    with pytest.raises(ValidationError):
        letters.letter_send(letter=letter, by=world.principal)
    assert Notice.objects.filter(recipient=world.parent).count() == 1


def test_a_donor_without_an_account_gets_an_email_and_without_either_a_printed_letter(
    world, school, django_capture_on_commit_callbacks
):
    campaign = campaign_make(school=school)
    by_mail = donor_make(school=school, name="Công ty Sao Việt", email="thanks@saoviet.test")
    gift = received_make(campaign=campaign, donor=by_mail, received_on=NOV)
    with django_capture_on_commit_callbacks(execute=True):
        letter = letters.letter_send_for_contribution(contribution=gift, by=world.principal)
    assert letter.sent_at and len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["thanks@saoviet.test"] and message.attachments[0][2] == "application/pdf"
    nowhere = donor_make(school=school, name="Bà Tư")
    gift = received_make(campaign=campaign, donor=nowhere, received_on=NOV)
    with pytest.raises(ValidationError):
        letters.letter_send_for_contribution(contribution=gift, by=world.principal)
    assert Letter.objects.get(donor=nowhere).sent_at is None


def test_the_letter_pdf_is_for_the_donor_and_the_schools_managers(client, world, gift):
    letter = letters.letter_create(donor=gift.donor, by=world.principal, contribution=gift)
    url = f"/donations/letters/{letter.pk}.pdf"
    client.force_login(world.parent)
    assert client.get(url).status_code == 404  # not sent yet: a teacher may still add a drawing
    letters.letter_send(letter=letter, by=world.principal)
    for persona, status in (
        ("parent", 200),
        ("principal", 200),
        ("accountant", 200),
        ("teacher", 404),
        ("other_parent", 404),
        ("other_principal", 404),
    ):
        client.force_login(world.persona(persona))
        response = client.get(url)
        assert response.status_code == status, persona
        if status == 200:
            assert response["Content-Type"] == "application/pdf" and "no-store" in response["Cache-Control"]


def test_the_teachers_page_shows_public_names_and_no_amounts(client, world, gift):
    anonymous = donor_make(school=world.school, name=SECRET, display=DonorDisplay.ANONYMOUS, email="bimat@example.test")
    big = received_make(campaign=gift.campaign, donor=anonymous, received_on=NOV, amount=7_654_000)
    letters.letter_create(donor=anonymous, by=world.principal, contribution=big)
    letters.letter_create(donor=gift.donor, by=world.principal, contribution=gift)
    client.force_login(world.teacher)
    page = client.get("/donations/drawings/").content.decode()
    assert "Ẩn danh" in page
    for hidden in (SECRET, "Nguyễn Thị Hương", "7.654.000", "7654000", "1.200.000", "1200000", "bimat@example.test"):
        assert hidden not in page


def test_a_teacher_chooses_a_consented_child_and_a_photo_they_see(client, world, gift):
    picture = drawing(world)
    consent(world.child, world.parent)
    lan = f.ChildFactory(classroom=world.classroom, full_name="Trần Ngọc Lan")  # no consent
    letter = letters.letter_create(donor=gift.donor, by=world.principal, contribution=gift)
    client.force_login(world.teacher)
    url = f"/donations/drawings/{letter.pk}/"
    page = client.get(url).content.decode()
    assert world.child.full_name in page and lan.full_name not in page and "1.200.000" not in page
    response = client.post(url, {"child": lan.pk, "drawing": str(picture.pk)})
    assert response.status_code == 200
    letter.refresh_from_db()
    assert letter.drawing is None
    response = client.post(url, {"child": world.child.pk, "drawing": str(picture.pk)})
    assert response.status_code == 302
    letter.refresh_from_db()
    assert (letter.drawing, letter.drawing_child) == (picture, world.child)
    letters.letter_send(letter=letter, by=world.principal)
    assert client.get(url).status_code == 404


def test_the_admin_sends_a_letter(client, world, gift):
    client.force_login(world.principal)
    response = client.post("/admin/donations/letter/add/", {"donor": gift.donor.pk, "contribution": gift.pk})
    assert response.status_code == 302, response.content.decode()[:3000]
    letter = Letter.objects.get()
    assert letter.school == world.school and letter.created_by == world.principal
    client.post("/admin/donations/letter/", {"action": "send", "_selected_action": [letter.pk]})
    letter.refresh_from_db()
    assert letter.sent_at is not None


def test_a_teachers_home_leads_to_the_letters_waiting_for_a_drawing(client, world, gift):
    client.force_login(world.teacher)
    assert "/donations/drawings/" not in client.get("/teacher/").content.decode()
    letters.letter_create(donor=gift.donor, by=world.principal, contribution=gift)
    assert "/donations/drawings/" in client.get("/teacher/").content.decode()
