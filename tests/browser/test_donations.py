"""A whole gift in a real browser: a parent pledges an oven, the principal receives it in the admin,
it is on the month's honour-roll draft and the transparency board, and the parents' board co-signs
the campaign's settlement."""

from __future__ import annotations

import re

from django.conf import settings
from django.test import Client
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from donations import services
from donations.models import Contribution, ContributionState, HonourRoll
from tests.donations import makers


def vi(text: str) -> str:
    with translation.override("vi"):
        return translation.gettext(text)


def sign_in(page: Page, live_server, user) -> None:
    page.context.clear_cookies()
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def test_an_oven_from_pledge_to_settlement(page: Page, live_server, world):
    makers.bank_account(world)
    campaign = makers.opened(world, wishes=(("Lò nướng", 1, True),))
    oven = campaign.wishes.get()

    # The parent pledges the oven on the campaign's page, and is shown as anonymous by default.
    sign_in(page, live_server, world.parent)
    page.goto(f"/schools/sao-mai/campaigns/{campaign.pk}/pledge/")
    page.locator("input[name=kind][value=in_kind]").check()
    page.locator("select[name=wish]").select_option(str(oven.pk))
    page.locator("input[name=quantity]").fill("1")
    page.locator("input[name=estimated_value]").fill("12.000.000")
    page.locator("main form button[type=submit]").click()
    pledge = Contribution.objects.get(campaign=campaign)
    assert (pledge.state, pledge.kind, pledge.wish, pledge.estimated_value) == ("pledged", "in_kind", oven, 12_000_000)
    assert pledge.donor.user == world.parent and pledge.donor.display == "anonymous"

    # The principal receives it in the admin, with the action on the contributions' list.
    sign_in(page, live_server, world.principal)
    page.goto("/admin/donations/contribution/")
    page.locator(f"input[name=_selected_action][value='{pledge.pk}']").check()
    page.locator("select[name=action]").select_option("receive")
    page.locator("button[name=index], input[name=index]").first.click()
    expect(page.locator(".messagelist")).to_be_visible()
    pledge.refresh_from_db()
    assert pledge.state == ContributionState.RECEIVED and pledge.received_by == world.principal

    # The principal drafts this month's honour roll in the admin: the oven is on it, anonymously.
    page.goto("/admin/donations/honourroll/add/")
    school = page.locator("select[name=school]")
    if school.count():
        school.select_option(str(world.school.pk))
    page.locator("select[name=period]").select_option("month")
    page.locator("input[name=starts_on]").fill(timezone.localdate().strftime("%d/%m/%Y"))
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist")).to_be_visible()
    roll = HonourRoll.objects.get(school=world.school)
    line = roll.lines.get()
    assert line.donor == pledge.donor and "Lò nướng" in line.gift and roll.published_at is None
    expect(page.locator("#content")).to_contain_text("Lò nướng")
    expect(page.locator("#content")).not_to_contain_text(world.parent.full_name)

    # Anyone sees it on the transparency board, without the parent's name.
    page.context.clear_cookies()
    page.goto(f"/schools/sao-mai/transparency/campaigns/{campaign.pk}/")
    main = page.locator("main")
    expect(main).to_contain_text("Lò nướng")
    expect(main).to_contain_text(vi("Anonymous"))
    expect(main).not_to_contain_text(world.parent.full_name)

    # The campaign closes and the principal prepares the settlement; the board member co-signs it.
    services.campaign_close(campaign=campaign, by=world.principal)
    services.settlement_prepare(campaign=campaign, by=world.principal, summary="Bếp đã có lò nướng mới.")
    sign_in(page, live_server, world.other_parent)
    page.goto(f"/schools/sao-mai/transparency/campaigns/{campaign.pk}/settlement/")
    page.locator("input[name=confirm]").check()
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text(world.other_parent.full_name)
    campaign.refresh_from_db()
    assert campaign.state == "settled"
    expect(page).to_have_url(re.compile(r"/transparency/"))
