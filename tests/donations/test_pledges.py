"""A family pledges cash, goods or work on an open campaign: any amount they choose, never a suggested
one; bad input is refused with a clear message and saves nothing; follow-ups go only to pledgers."""

from __future__ import annotations

import datetime
import html
import re

import pytest
import time_machine
from django.utils import translation

from coordination.lib.vietqr import parse, vietqr_payload
from donations import services
from donations.models import CampaignState, Contribution, Donor, DonorDisplay
from notifications.models import Notice
from notifications.reminders import Job, reminder_job_run
from tests.donations import campaign_makers as make
from tests.notifications.conftest import at

pytestmark = pytest.mark.django_db


def pledge_url(campaign):
    return f"/schools/{campaign.school.slug}/campaigns/{campaign.pk}/pledge/"


def cash(amount, **more):
    return {"kind": "cash", "amount": amount, "display": "anonymous", "language": "vi", **more}


@pytest.fixture
def campaign(world):
    make.account(world.school)
    return make.campaign(world.school, wishes=(("Lò nướng", 1), ("Bộ khuôn bánh", 10)))


def test_a_guardian_pledges_the_amount_they_choose_and_gets_a_qr_with_their_reference(world, client, campaign):
    client.force_login(world.parent)
    response = client.post(pledge_url(campaign), cash("350.000"))
    assert response.status_code == 302
    contribution = Contribution.objects.get()
    assert (contribution.kind, contribution.amount, contribution.state) == ("cash", 350_000, "pledged")
    donor = contribution.donor
    assert (donor.user, donor.kind, donor.display) == (world.parent, "guardian", DonorDisplay.ANONYMOUS)
    page = client.get(response["Location"])
    html = page.content.decode()
    assert contribution.payment_reference in html and "<svg" in html
    # The code the page draws: the school's account, the pledge's reference under tag 62, no amount.
    payload = vietqr_payload(bin="970415", account="0011001932418", message=contribution.payment_reference)
    fields = parse(payload)
    assert "54" not in fields and contribution.payment_reference in fields["62"]


def test_the_form_suggests_no_amount(world, client, campaign):
    client.force_login(world.parent)
    html = client.get(pledge_url(campaign)).content.decode()
    amount_input = re.search(r"<input[^>]*name=\"amount\"[^>]*>", html).group(0)
    assert "value=" not in amount_input and "min=" not in amount_input and "placeholder" not in amount_input
    assert not re.search(r"<button[^>]*>[^<]*\d{3}", html)  # no preset amount buttons
    assert str(services.VOLUNTARY_STATEMENT) in html


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("-50000", "An amount cannot be negative."),
        ("0", "An amount must be more than zero."),
        ("1,5", "Write a whole number of đồng, without decimals."),
        ("150000.5", "Write a whole number of đồng, without decimals."),
        ("10000000001", "An amount over 10 billion đồng is surely a typing mistake."),
        ("nhiều", "Write the amount in digits, for example 200000."),
        ("", "Write the amount you chose."),
    ],
)
def test_a_bad_amount_is_refused_clearly_and_saves_nothing(world, client, campaign, amount, words):
    client.force_login(world.parent)
    response = client.post(pledge_url(campaign), cash(amount))
    assert response.status_code == 400
    # In the family's language: Vietnamese.
    with translation.override("vi"):
        assert html.escape(translation.gettext(words)) in response.content.decode()
    assert not Contribution.objects.exists() and not Donor.objects.exists()


@pytest.mark.parametrize("state", [CampaignState.COMMENT, CampaignState.CLOSED, CampaignState.SETTLED])
def test_a_campaign_that_is_not_open_takes_no_pledge(world, client, state):
    campaign = make.campaign(world.school, state=state)
    client.force_login(world.parent)
    response = client.post(pledge_url(campaign), cash("100000"))
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not Contribution.objects.exists() and not Donor.objects.exists()


def test_goods_from_the_wish_list_and_work(world, client, campaign):
    client.force_login(world.parent)
    wish = campaign.wishes.get(name="Bộ khuôn bánh")
    goods = {"kind": "in_kind", "wish": wish.pk, "quantity": "3", "condition": "Mới", "display": "anonymous"}
    assert client.post(pledge_url(campaign), {**goods, "language": "vi"}).status_code == 302
    work = {"kind": "work", "hours": "4", "work_description": "Dựng sân khấu", "display": "anonymous"}
    assert client.post(pledge_url(campaign), {**work, "language": "vi"}).status_code == 302
    given = {c.kind: c for c in Contribution.objects.all()}
    assert (given["in_kind"].wish, given["in_kind"].quantity, given["in_kind"].condition) == (wish, 3, "Mới")
    assert given["in_kind"].estimated_value is None
    assert (given["work"].hours, given["work"].work_description) == (4, "Dựng sân khấu")
    assert Donor.objects.count() == 1


def test_goods_need_a_quantity_and_work_needs_hours(world, client, campaign):
    client.force_login(world.parent)
    response = client.post(
        pledge_url(campaign), {"kind": "in_kind", "items": "Ghế", "display": "anonymous", "language": "vi"}
    )
    assert response.status_code == 400
    response = client.post(
        pledge_url(campaign),
        {"kind": "work", "hours": "-2", "work_description": "x", "display": "anonymous", "language": "vi"},
    )
    assert response.status_code == 400
    assert not Contribution.objects.exists()


def test_the_display_choice_and_language_are_the_donors(world, client, campaign):
    client.force_login(world.parent)
    data = cash("200000", display="chosen", display_name="Gia đình bé Khôi", language="en")
    assert client.post(pledge_url(campaign), data).status_code == 302
    donor = Donor.objects.get()
    assert (donor.display, donor.public_name, donor.language) == ("chosen", "Gia đình bé Khôi", "en")
    response = client.post(pledge_url(campaign), cash("100000", display="chosen", display_name=" "))
    assert response.status_code == 400 and Contribution.objects.count() == 1


@pytest.mark.parametrize("persona", ["teacher", "foreign_parent", "former_parent", "officer", "family_viewer"])
def test_only_the_schools_families_and_invited_donors_pledge(world, client, campaign, persona):
    client.force_login(getattr(world, persona))
    assert client.post(pledge_url(campaign), cash("100000")).status_code == 403
    assert not Contribution.objects.exists()


def test_an_invited_donor_pledges_with_their_record(world, client, campaign):
    business = make.donor(world.school, user=world.officer)
    client.force_login(world.officer)
    assert client.post(pledge_url(campaign), cash("5000000")).status_code == 302
    assert Contribution.objects.get().donor == business


# --- Follow-ups: at most two, a week apart, only to whoever pledged


def _reminders(user):
    return Notice.objects.filter(recipient=user, dedupe_key__startswith="reminder:pledge-follow-ups:")


@pytest.fixture
def days():
    """Travel to 10:00 in Hà Nội on a Monday; `days.next()` moves a day on."""
    traveller = time_machine.travel(at(2026, 12, 7, 10, 0), tick=False)
    shifter = traveller.start()

    class Days:
        def next(self):
            shifter.shift(datetime.timedelta(days=1))

    yield Days()
    traveller.stop()


def _run():
    reminder_job_run(job=Job.PLEDGE_FOLLOW_UPS)


def test_a_pledger_gets_at_most_two_reminders_a_week_apart(world, campaign, days):
    donor = make.guardian_donor(world.school, world.parent)
    pledged = services.contribution_pledge(campaign=campaign, donor=donor, by=world.parent, kind="cash", amount=300_000)
    counts = []
    for _day in range(40):
        _run()
        _run()
        counts.append(_reminders(world.parent).count())
        days.next()
    # The first a week after the pledge, the second a week later, then never again.
    assert counts[6] == 0 and counts[7] == 1 and counts[13] == 1 and counts[14] == 2 and counts[-1] == 2
    sent = list(_reminders(world.parent).order_by("created_at"))
    assert all(n.category == "pledges" for n in sent)
    assert all(f"pledge:{pledged.pk}#" in n.dedupe_key for n in sent)
    assert not _reminders(world.other_parent).exists() and not _reminders(world.teacher).exists()


def test_nobody_who_did_not_pledge_is_reminded(world, campaign, days):
    make.contribution(campaign, make.donor(world.school))  # a business without an account pledged
    for _day in range(15):
        _run()
        days.next()
    assert not Notice.objects.filter(dedupe_key__startswith="reminder:pledge-follow-ups:").exists()


@pytest.mark.parametrize("ending", ["receive", "cancel"])
def test_a_received_or_cancelled_pledge_stops_the_reminders(world, campaign, days, ending):
    donor = make.guardian_donor(world.school, world.parent)
    pledged = services.contribution_pledge(campaign=campaign, donor=donor, by=world.parent, kind="cash", amount=300_000)
    for _day in range(8):
        _run()
        days.next()
    assert _reminders(world.parent).count() == 1
    if ending == "receive":
        services.contribution_receive(contribution=pledged, by=world.accountant)
    else:
        services.contribution_cancel(contribution=pledged, by=world.parent, reason="Đổi ý")
    for _day in range(15):
        _run()
        days.next()
    assert _reminders(world.parent).count() == 1
