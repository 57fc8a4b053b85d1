"""The public campaign pages: the plan with the voluntary statement, progress, the school's account
and a VietQR code without an amount; drafts for the school's managers only; comments on a plan."""

from __future__ import annotations

import re

import pytest

from coordination.lib.vietqr import parse
from donations import services
from donations.models import CampaignState, Comment, DonorDisplay
from donations.views_campaigns import transfer_payload
from tests.donations import campaign_makers as make
from tests.pages import page_queries

pytestmark = pytest.mark.django_db


def page(client, campaign):
    return client.get(f"/schools/{campaign.school.slug}/campaigns/{campaign.pk}/")


def received(campaign, donor, amount, by):
    pledged = services.contribution_pledge(campaign=campaign, donor=donor, by=by, kind="cash", amount=amount)
    return services.contribution_receive(contribution=pledged, by=by)


def test_an_open_campaign_shows_its_plan_statement_progress_and_account(world, client):
    make.account(world.school)
    campaign = make.campaign(world.school, wishes=(("Lò nướng", 1), ("Bộ khuôn bánh", 10)))
    received(campaign, make.donor(world.school), 5_000_000, world.accountant)
    response = page(client, campaign)
    assert response.status_code == 200
    html = response.content.decode()
    assert str(services.VOLUNTARY_STATEMENT) in html
    assert campaign.purpose in html and campaign.use_plan in html and campaign.beneficiaries in html
    assert "5.000.000" in html and "20.000.000" in html  # received against the target
    assert 'max="20000000" value="5000000"' in html
    assert "Bộ khuôn bánh" in html
    assert "0011001932418" in html and "VietinBank" in html
    assert "<svg" in html and 'class="qr"' in html


def test_the_qr_code_carries_the_campaigns_reference_and_no_amount(world):
    account = make.account(world.school)
    campaign = make.campaign(world.school)
    fields = parse(transfer_payload(account, services.campaign_reference(campaign)))
    assert "54" not in fields  # no amount: the giver types it
    assert fields["01"] == "11"  # a static code
    assert services.campaign_reference(campaign) in fields["62"]
    assert "970415" in fields["38"] and "0011001932418" in fields["38"]


def test_a_school_without_an_account_says_so(world, client):
    html = page(client, make.campaign(world.school)).content.decode()
    assert "<svg" not in html.split('id="give"')[1]


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 404),
        ("parent", 404),
        ("teacher", 404),
        ("other_principal", 404),
        ("principal", 200),
        ("vice_principal", 200),
        ("accountant", 200),
    ],
)
def test_a_draft_is_seen_by_the_schools_managers_only(world, client, persona, status):
    draft = make.campaign(world.school, state=CampaignState.DRAFT, title="Bản nháp chưa công bố")
    if persona != "anonymous":
        client.force_login(getattr(world, persona))
    assert page(client, draft).status_code == status
    listed = client.get(f"/schools/{world.school.slug}/campaigns/").content.decode()
    assert ("Bản nháp chưa công bố" in listed) == (status == 200)


def test_the_list_shows_the_campaigns_open_or_published_for_comment(world, client):
    make.campaign(world.school, title="Đang mở")
    make.campaign(world.school, title="Đang lấy ý kiến", state=CampaignState.COMMENT)
    make.campaign(world.school, title="Đã quyết toán", state=CampaignState.SETTLED)
    make.campaign(world.other_school, title="Trường khác")
    html = client.get(f"/schools/{world.school.slug}/campaigns/").content.decode()
    assert "Đang mở" in html and "Đang lấy ý kiến" in html
    assert "Đã quyết toán" not in html and "Trường khác" not in html
    assert client.get("/schools/no-such-school/campaigns/").status_code == 404


def test_a_campaign_of_another_school_is_not_found_under_this_one(world, client):
    campaign = make.campaign(world.other_school)
    assert client.get(f"/schools/{world.school.slug}/campaigns/{campaign.pk}/").status_code == 404


# --- No pressure: totals only, nobody's gift, nobody who did not give


@pytest.mark.parametrize("persona", ["anonymous", "teacher", "other_teacher", "parent", "principal"])
def test_the_page_shows_totals_and_never_a_family_or_who_did_not_give(world, client, persona):
    make.account(world.school)
    campaign = make.campaign(world.school)
    giver = make.guardian_donor(world.school, world.parent, display=DonorDisplay.NAME)
    received(campaign, giver, 1_234_000, world.accountant)
    received(campaign, make.donor(world.school), 2_000_000, world.accountant)
    if persona != "anonymous":
        client.force_login(getattr(world, persona))
    html = page(client, campaign).content.decode()
    html += client.get(f"/schools/{world.school.slug}/campaigns/").content.decode()
    assert "3.234.000" in html
    for private in ("1.234.000", "2.000.000", world.parent.full_name, "Bánh Mì Vàng", world.other_parent.full_name):
        assert private not in html, private
    for child in world.SAO_MAI_CHILDREN:
        assert child not in html


# --- Comments on a plan published for comment


def comment_url(campaign):
    return f"/schools/{campaign.school.slug}/campaigns/{campaign.pk}/comments/"


@pytest.mark.parametrize("persona", ["parent", "teacher", "principal"])
def test_families_and_staff_comment_while_published_for_comment(world, client, persona):
    campaign = make.campaign(world.school, state=CampaignState.COMMENT)
    client.force_login(getattr(world, persona))
    response = client.post(comment_url(campaign), {"body": "Lò nướng có an toàn cho trẻ không?"})
    assert response.status_code == 302
    assert Comment.objects.get(campaign=campaign).body == "Lò nướng có an toàn cho trẻ không?"
    assert "Lò nướng có an toàn cho trẻ không?" in page(client, campaign).content.decode()


@pytest.mark.parametrize("persona", ["foreign_parent", "former_parent", "officer", "other_principal"])
def test_others_are_told_they_cannot_comment(world, client, persona):
    campaign = make.campaign(world.school, state=CampaignState.COMMENT)
    client.force_login(getattr(world, persona))
    response = client.post(comment_url(campaign), {"body": "Ý kiến"})
    assert response.status_code == 403
    assert 'role="alert"' in response.content.decode()
    assert not Comment.objects.exists()


def test_an_open_campaign_takes_no_more_comments(world, client):
    campaign = make.campaign(world.school)
    client.force_login(world.parent)
    response = client.post(comment_url(campaign), {"body": "Muộn rồi"})
    assert response.status_code in (302, 400)
    assert not Comment.objects.exists()


def test_the_principal_answers_on_the_page(world, client):
    campaign = make.campaign(world.school, state=CampaignState.COMMENT)
    comment = services.comment_add(campaign=campaign, by=world.parent, body="Bao giờ mua?")
    for persona in ("teacher", "parent", "accountant"):
        client.force_login(getattr(world, persona))
        client.post(f"/donations/comments/{comment.pk}/answer/", {"answer": "Không được"})
    comment.refresh_from_db()
    assert comment.answer == ""
    client.force_login(world.principal)
    assert 'name="answer"' in page(client, campaign).content.decode()
    response = client.post(f"/donations/comments/{comment.pk}/answer/", {"answer": "Tháng 1 năm sau."})
    assert response.status_code == 302
    client.logout()
    html = page(client, campaign).content.decode()
    assert "Bao giờ mua?" in html and "Tháng 1 năm sau." in html
    assert world.parent.full_name not in html  # a comment does not name the family


# --- Queries


def _queries(client, url) -> int:
    """A page opened a second time: the school of the address is in the cache by then."""
    return page_queries(client, url)


@pytest.mark.parametrize("persona", ["anonymous", "parent", "principal"])
def test_the_campaign_page_runs_a_fixed_number_of_queries(world, client, persona):
    make.account(world.school)
    one = make.campaign(world.school, state=CampaignState.COMMENT, wishes=(("Lò nướng", 1),))
    many = make.campaign(world.school, state=CampaignState.COMMENT, wishes=[(f"Món {n}", n + 1) for n in range(8)])
    for campaign, count in ((one, 1), (many, 6)):
        for n in range(count):
            Comment.objects.create(campaign=campaign, author=world.parent, body=f"Ý kiến {n}", answer="Cảm ơn")
    if persona != "anonymous":
        client.force_login(getattr(world, persona))
    url = "/schools/{}/campaigns/{}/"
    assert _queries(client, url.format(world.school.slug, one.pk)) == _queries(
        client, url.format(world.school.slug, many.pk)
    )
    html = client.get(url.format(world.school.slug, many.pk)).content.decode()
    assert len(re.findall(r'id="comment-\d+"', html)) == 6


def test_each_wish_shows_what_was_received_against_what_is_needed(world, client):
    campaign = make.campaign(world.school, wishes=(("Lò nướng", 1), ("Bộ khuôn bánh", 10)))
    moulds = campaign.wishes.get(name="Bộ khuôn bánh")
    gift = services.contribution_pledge(
        campaign=campaign, donor=make.donor(world.school), by=world.accountant, kind="in_kind", wish=moulds, quantity=3
    )
    services.contribution_receive(contribution=gift, by=world.accountant)
    html = page(client, campaign).content.decode()
    assert re.search(r"<td>Bộ khuôn bánh</td><td>3</td><td>10</td>", html)
    assert re.search(r"<td>Lò nướng</td><td>0</td><td>1</td>", html)


@pytest.mark.parametrize("persona", ["anonymous", "parent", "accountant"])
def test_an_open_campaign_page_runs_a_fixed_number_of_queries(world, client, persona):
    make.account(world.school)
    one = make.campaign(world.school, wishes=(("Lò nướng", 1),))
    many = make.campaign(world.school, wishes=[(f"Món {n}", n + 1) for n in range(8)])
    for campaign, count in ((one, 1), (many, 7)):
        wishes = list(campaign.wishes.all())
        for n in range(count):
            donor = make.donor(world.school, name=f"Nhà hảo tâm {campaign.pk}-{n}")
            cash = services.contribution_pledge(
                campaign=campaign, donor=donor, by=world.accountant, kind="cash", amount=100_000
            )
            services.contribution_receive(contribution=cash, by=world.accountant)
            goods = services.contribution_pledge(
                campaign=campaign, donor=donor, by=world.accountant, kind="in_kind", wish=wishes[n % len(wishes)]
            )
            services.contribution_receive(contribution=goods, by=world.accountant)
    if persona != "anonymous":
        client.force_login(getattr(world, persona))
    url = "/schools/{}/campaigns/{}/"
    assert _queries(client, url.format(world.school.slug, one.pk)) == _queries(
        client, url.format(world.school.slug, many.pk)
    )
    assert "700.000" in client.get(url.format(world.school.slug, many.pk)).content.decode()


def test_families_find_their_schools_campaigns_from_their_home(world, client):
    client.force_login(world.parent)
    assert f'href="/schools/{world.school.slug}/campaigns/"' in client.get("/family/").content.decode()
