"""A donor's own page: their contributions at every school, receipts as PDF, letters, cancelling a
pledge and choosing how they are shown; and the invitation that gives a business its page."""

from __future__ import annotations

import datetime
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from donations import services
from donations.models import ContributionState, DonorInvitation, Letter
from donations.services_invitations import donor_invite, invitation_url
from tests import factories as f
from tests.conftest import requires_binary
from tests.donations import campaign_makers as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def gifts(world):
    """The parent gave at Sao Mai (as a guardian) and at Hoa Sen (as a person the school invited)."""
    here = make.campaign(world.school, title="Lò nướng cho bếp ăn")
    there = make.campaign(world.other_school, title="Sân chơi Hoa Sen")
    mine = make.guardian_donor(world.school, world.parent)
    elsewhere = make.donor(world.other_school, user=world.parent, name="Trần Thị Hoa", kind="person")
    pledged = services.contribution_pledge(campaign=here, donor=mine, by=world.parent, kind="cash", amount=300_000)
    cash = services.contribution_pledge(campaign=there, donor=elsewhere, by=world.parent, kind="cash", amount=750_000)
    received = services.contribution_receive(contribution=cash, by=world.other_principal)
    return {"pledged": pledged, "received": received, "mine": mine, "elsewhere": elsewhere}


def test_the_page_lists_every_contribution_of_the_person(world, client, gifts):
    theirs = make.guardian_donor(world.school, world.other_parent)
    make.contribution(make.campaign(world.school, title="Chiến dịch khác"), theirs, amount=999_000)
    client.force_login(world.parent)
    html = client.get("/donations/mine/").content.decode()
    assert "Lò nướng cho bếp ăn" in html and "Sân chơi Hoa Sen" in html
    assert "300.000" in html and "750.000" in html
    assert gifts["received"].receipt_label in html
    assert f"/donations/mine/{gifts['received'].pk}/receipt.pdf" in html
    assert "999.000" not in html and "Chiến dịch khác" not in html


def test_the_receipt_is_a_pdf_in_vietnamese_for_its_donor_only(world, client, gifts, tmp_path):
    pdftotext = requires_binary("pdftotext", "apt-get install poppler-utils")
    url = f"/donations/mine/{gifts['received'].pk}/receipt.pdf"
    for persona in ("other_parent", "other_principal", "teacher"):
        client.force_login(getattr(world, persona))
        assert client.get(url).status_code == 404
    client.force_login(world.parent)
    assert client.get(f"/donations/mine/{gifts['pledged'].pk}/receipt.pdf").status_code == 404  # not received yet
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "receipt.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Hoa Sen" in text and "Sân chơi Hoa Sen" in text and "Trần Thị Hoa" in text
    assert "750.000" in text and gifts["received"].receipt_label in text


def test_a_donor_cancels_their_own_pledge_only(world, client, gifts):
    url = f"/donations/mine/{gifts['pledged'].pk}/cancel/"
    client.force_login(world.other_parent)
    assert client.post(url, {"reason": ""}).status_code == 404
    client.force_login(world.parent)
    assert client.post(url, {"reason": "Đổi ý"}).status_code == 302
    gifts["pledged"].refresh_from_db()
    assert gifts["pledged"].state == ContributionState.CANCELLED
    # A received gift is not cancelled from here.
    client.post(f"/donations/mine/{gifts['received'].pk}/cancel/", {"reason": ""})
    gifts["received"].refresh_from_db()
    assert gifts["received"].state == ContributionState.RECEIVED


def test_a_donor_changes_how_they_are_shown(world, client, gifts):
    donor = gifts["mine"]
    url = f"/donations/mine/donors/{donor.pk}/display/"
    client.force_login(world.other_parent)
    assert client.post(url, {f"d{donor.pk}-display": "name", f"d{donor.pk}-language": "vi"}).status_code == 404
    client.force_login(world.parent)
    data = {f"d{donor.pk}-display": "chosen", f"d{donor.pk}-display_name": "Mẹ bé Khôi", f"d{donor.pk}-language": "en"}
    assert client.post(url, data).status_code == 302
    donor.refresh_from_db()
    assert (donor.public_name, donor.language) == ("Mẹ bé Khôi", "en")
    client.post(url, {f"d{donor.pk}-display": "chosen", f"d{donor.pk}-display_name": "", f"d{donor.pk}-language": "vi"})
    donor.refresh_from_db()
    assert donor.public_name == "Mẹ bé Khôi"


def test_letters_are_listed(world, client, gifts):
    letter = Letter.objects.create(school=world.other_school, donor=gifts["elsewhere"], contribution=gifts["received"])
    client.force_login(world.parent)
    section = client.get("/donations/mine/").content.decode().split('id="letters-title"')[1]
    assert "Sân chơi Hoa Sen" not in section  # not sent yet: still with the school
    Letter.objects.filter(pk=letter.pk).update(sent_at=timezone.now())
    section = client.get("/donations/mine/").content.decode().split('id="letters-title"')[1]
    assert "Hoa Sen" in section and "Sân chơi Hoa Sen" in section


def test_the_menu_offers_the_page_to_donors_only(world, client, gifts):
    client.force_login(world.parent)
    assert 'href="/donations/mine/"' in client.get("/notifications/").content.decode()
    client.force_login(world.other_parent)
    assert 'href="/donations/mine/"' not in client.get("/notifications/").content.decode()


def test_a_teacher_sees_nothing_of_the_families(world, client, gifts):
    client.force_login(world.teacher)
    html = client.get("/donations/mine/").content.decode()
    assert "300.000" not in html and "750.000" not in html and world.parent.full_name not in html


def _queries(client, url) -> int:
    client.get(url)  # the person's cached values in place
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_page_runs_a_fixed_number_of_queries(world, client, gifts):
    client.force_login(world.parent)
    one = _queries(client, "/donations/mine/")
    campaign = make.campaign(world.school, title="Thêm nữa")
    for n in range(6):
        c = services.contribution_pledge(
            campaign=campaign, donor=gifts["mine"], by=world.parent, kind="cash", amount=100_000 + n
        )
        Letter.objects.create(school=world.school, donor=gifts["mine"], contribution=c)
    third = make.donor(f.SchoolFactory(name="Hướng Dương"), user=world.parent, name="Thêm", kind="person")
    make.contribution(make.campaign(third.school, title="Trường thứ ba"), third, amount=80_000)
    assert _queries(client, "/donations/mine/") == one
    assert "Trường thứ ba" in client.get("/donations/mine/").content.decode()


# --- Invitations for donors who are not guardians


@pytest.fixture
def business(world):
    return make.donor(world.school, name="Công ty TNHH Bánh Mì Vàng")


def test_an_invitation_lasts_14_days_and_links_the_donor_to_the_account(world, client, business):
    invitation = donor_invite(donor=business, by=world.accountant)
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=14)
    url = invitation_url(invitation)
    assert url.endswith(f"/donations/invitations/{invitation.token}/")
    path = url.split("//", 1)[1].split("/", 1)[1]
    anonymous = client.get(f"/{path}")
    assert anonymous.status_code == 200 and "/accounts/signup/?next=" in anonymous.content.decode()
    assert "Bánh Mì Vàng" not in anonymous.content.decode()  # nothing before signing in
    client.force_login(world.officer)
    assert "Bánh Mì Vàng" in client.get(f"/{path}").content.decode()
    assert client.post(f"/{path}").status_code == 302
    business.refresh_from_db()
    assert business.user == world.officer
    assert client.get(f"/{path}").status_code == 410  # used
    client.force_login(world.teacher)
    response = client.post(f"/{path}")
    assert response.status_code == 410 and 'role="alert"' in response.content.decode()
    business.refresh_from_db()
    assert business.user == world.officer


def test_expired_and_unknown_invitations_are_explained(world, client, business):
    invitation = donor_invite(donor=business, by=world.accountant)
    DonorInvitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    client.force_login(world.officer)
    response = client.post(f"/donations/invitations/{invitation.token}/")
    assert response.status_code == 410 and 'role="alert"' in response.content.decode()
    response = client.get("/donations/invitations/not-a-token/")
    assert response.status_code == 404 and 'role="alert"' in response.content.decode()
    business.refresh_from_db()
    assert business.user is None


def test_a_guardian_needs_no_invitation(world, gifts):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        donor_invite(donor=gifts["mine"], by=world.accountant)
