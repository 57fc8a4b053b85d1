"""The asset register: received equipment enters it with the donor's credit, as the donor chose to be shown."""

from __future__ import annotations

import csv
import io

import pytest

from donations import services
from donations.models import Asset, DonorDisplay
from tests.donations import makers


@pytest.fixture
def campaign(world):
    return makers.opened(world)


def oven(world, campaign, *, donor=None, wish_name="Lò nướng"):
    wish = campaign.wishes.get(name=wish_name)
    pledged = services.contribution_pledge(
        campaign=campaign,
        donor=donor or makers.donor(world, name="Công ty TNHH Điện máy Hồng Phúc", display=DonorDisplay.NAME),
        by=world.accountant,
        kind="in_kind",
        wish=wish,
        items="Lò nướng điện Sanaky 50 lít",
        quantity=1,
        estimated_value=3_450_000,
        condition="Mới",
    )
    return services.contribution_receive(contribution=pledged, by=world.principal)


def test_received_equipment_enters_the_register_with_the_donors_credit(world, campaign):
    gift = oven(world, campaign)
    asset = Asset.objects.get()
    assert (asset.school, asset.contribution, asset.name, asset.quantity, asset.value) == (
        world.school,
        gift,
        "Lò nướng điện Sanaky 50 lít",
        1,
        3_450_000,
    )
    assert asset.acquired_on == gift.received_on and asset.condition == "Mới"
    assert asset.credit == "Công ty TNHH Điện máy Hồng Phúc"


def test_a_pledge_not_yet_received_and_goods_that_are_not_equipment_stay_out(world, campaign):
    campaign.wishes.filter(name="Bộ dao thớt").update(is_equipment=False)
    services.contribution_pledge(
        campaign=campaign, donor=makers.donor(world), by=world.accountant, kind="in_kind", items="Tủ", quantity=1
    )
    oven(world, campaign, wish_name="Bộ dao thớt")
    services.contribution_record(
        campaign=campaign, donor=makers.donor(world), by=world.accountant, kind="work", hours=4, work_description="Sơn"
    )
    assert not Asset.objects.exists()


def test_an_anonymous_donor_is_credited_as_anonymous(client, world, campaign):
    oven(world, campaign, donor=makers.donor(world, name="Ông Lê Văn Kín"))
    assert Asset.objects.get().credit == ""
    client.force_login(world.principal)
    page = client.get("/admin/donations/asset/").content.decode()
    assert "Lò nướng điện Sanaky 50 lít" in page and "Ông Lê Văn Kín" not in page


def test_a_donor_who_becomes_anonymous_later_is_anonymous_in_the_register(client, world, campaign):
    gift = oven(world, campaign)
    gift.donor.display = DonorDisplay.ANONYMOUS
    gift.donor.save()
    client.force_login(world.principal)
    page = client.get("/admin/donations/asset/").content.decode()
    assert "Hồng Phúc" not in page
    exported = client.get("/admin/donations/asset/export/").content.decode("utf-8-sig")
    assert "Hồng Phúc" not in exported


def read_csv(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_register_exports_as_filtered(client, world, campaign):
    oven(world, campaign)
    Asset.objects.create(
        school=world.school, name="Bàn học mầm non", quantity=10, value=5_000_000, acquired_on="2025-08-20"
    )
    Asset.objects.create(school=world.other_school, name="Xích đu Hoa Sen", value=1, acquired_on="2025-08-20")
    client.force_login(world.principal)
    everything = read_csv(client.get("/admin/donations/asset/export/"))
    names = [row[0] for row in everything[1:]]
    assert sorted(names) == ["Bàn học mầm non", "Lò nướng điện Sanaky 50 lít"]
    donated = read_csv(client.get("/admin/donations/asset/export/?donated=yes"))
    assert len(donated) == 2
    row = donated[1]
    assert row[:3] == ["Lò nướng điện Sanaky 50 lít", "1", "3450000"]
    assert "Công ty TNHH Điện máy Hồng Phúc" in row and campaign.title in row
    searched = read_csv(client.get("/admin/donations/asset/export/?q=bàn"))
    assert [row[0] for row in searched[1:]] == ["Bàn học mầm non"]
    # The changelist links to the export with its own filters.
    page = client.get("/admin/donations/asset/?donated=yes").content.decode()
    assert "/admin/donations/asset/export/?donated=yes" in page


def test_another_schools_principal_exports_only_their_own(client, world, campaign):
    oven(world, campaign)
    client.force_login(world.other_principal)
    assert read_csv(client.get("/admin/donations/asset/export/"))[1:] == []


def test_the_accountant_keeps_the_register(client, world, campaign):
    oven(world, campaign)
    client.force_login(world.accountant)
    assert "Lò nướng điện Sanaky 50 lít" in client.get("/admin/donations/asset/").content.decode()
    assert len(read_csv(client.get("/admin/donations/asset/export/"))) == 2
    # The accountant sees the donations pages only: no children in the admin.
    assert client.get("/admin/schools/child/").status_code == 403
