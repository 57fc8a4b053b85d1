"""Handover records in the admin: made for gifts of goods, their PDF downloaded by the school's managers only."""

from __future__ import annotations

import pytest

from donations import services
from donations.models import Handover
from tests.donations import makers
from tests.donations.test_handover_pdf import pdf_text


@pytest.fixture
def goods(world):
    campaign = makers.opened(world)
    return services.contribution_pledge(
        campaign=campaign,
        donor=makers.donor(world, name="Công ty TNHH Điện máy Hồng Phúc"),
        by=world.accountant,
        kind="in_kind",
        items="Lò nướng điện Sanaky 50 lít",
        quantity=1,
        estimated_value=3_450_000,
        condition="Mới",
    )


def test_the_principal_records_a_handover_and_downloads_it(client, world, goods, tmp_path):
    client.force_login(world.principal)
    form = client.get(f"/admin/donations/handover/add/?contribution={goods.pk}")
    assert form.status_code == 200
    initial = form.context["adminform"].form.initial
    assert initial["giver_name"] == "Công ty TNHH Điện máy Hồng Phúc"
    assert initial["receiver_name"] == world.principal.full_name
    response = client.post(
        "/admin/donations/handover/add/",
        {
            "contribution": goods.pk,
            "handed_over_on": makers.today().isoformat(),
            "giver_name": "Trần Quốc Hưng",
            "receiver_name": "Phạm Thị Thu Hằng",
            "receiver_title": "Hiệu trưởng",
            "notes": "",
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    handover = Handover.objects.get()
    change = client.get(f"/admin/donations/handover/{handover.pk}/change/").content.decode()
    assert f"/admin/donations/handover/{handover.pk}/pdf/" in change
    pdf = client.get(f"/admin/donations/handover/{handover.pk}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert "attachment" in pdf["Content-Disposition"]
    text = pdf_text(pdf.content, tmp_path)
    assert "Lò nướng điện Sanaky 50 lít" in text and "Trần Quốc Hưng" in text and "Phạm Thị Thu Hằng" in text


def test_a_handover_is_for_goods_only(client, world, goods):
    cash = makers.cash(world, goods.campaign, 100_000, received=False)
    client.force_login(world.principal)
    form = client.get("/admin/donations/handover/add/").context["adminform"].form
    choices = list(form.fields["contribution"].queryset)
    assert goods in choices and cash not in choices
    response = client.post(
        "/admin/donations/handover/add/",
        {
            "contribution": cash.pk,
            "handed_over_on": makers.today().isoformat(),
            "giver_name": "A",
            "receiver_name": "B",
            "_save": "Save",
        },
    )
    assert response.status_code == 200 and not Handover.objects.exists()


def test_the_accountant_prints_the_record(client, world, goods):
    handover = Handover.objects.create(
        contribution=goods,
        handed_over_on=makers.today(),
        giver_name="Trần Quốc Hưng",
        receiver_name="Phạm Thị Thu Hằng",
    )
    client.force_login(world.accountant)
    response = client.get(f"/admin/donations/handover/{handover.pk}/pdf/")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_another_school_gets_no_pdf(client, world, goods):
    handover = Handover.objects.create(
        contribution=goods,
        handed_over_on=makers.today(),
        giver_name="Trần Quốc Hưng",
        receiver_name="Phạm Thị Thu Hằng",
    )
    client.force_login(world.other_principal)
    response = client.get(f"/admin/donations/handover/{handover.pk}/pdf/")
    assert response.status_code == 302 and response["Location"] == "/admin/"
    client.force_login(world.teacher)
    assert client.get(f"/admin/donations/handover/{handover.pk}/pdf/")["Location"].startswith("/admin/login/")


def test_a_gift_of_goods_leads_to_its_handover_record(client, world, goods):
    client.force_login(world.principal)
    page = client.get(f"/admin/donations/contribution/{goods.pk}/change/").content.decode()
    assert f"/admin/donations/handover/add/?contribution={goods.pk}" in page
    handover = Handover.objects.create(
        contribution=goods, handed_over_on=makers.today(), giver_name="Trần Quốc Hưng", receiver_name="Hiệu trưởng"
    )
    page = client.get(f"/admin/donations/contribution/{goods.pk}/change/").content.decode()
    assert f"/admin/donations/handover/{handover.pk}/pdf/" in page
    cash = makers.cash(world, goods.campaign, 100_000)
    page = client.get(f"/admin/donations/contribution/{cash.pk}/change/").content.decode()
    assert "handover/add/?contribution=" not in page
