"""The principal's review in the admin, and the accountant's work there, through the admin's own pages.

Campaigns (drafting, the publishing checklist, opening, closing, the settlement), contributions
(recording, filters, search, the actions with their reasons, history) and spending (recording,
approval with the override, rejection). Bad input gets a message and changes nothing. The export:
test_admin_export.py; who may open which page: matrix_admin.py and test_admin_access.py.
"""

from __future__ import annotations

import datetime

import pytest
from django.contrib.admin.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext

from donations import services
from donations.models import (
    Campaign,
    CampaignState,
    Contribution,
    ContributionState,
    LedgerEntry,
    Settlement,
    Spending,
    SpendingEvidence,
    SpendingState,
    TeamMember,
)
from tests.donations import makers

pytestmark = pytest.mark.django_db

CAMPAIGNS = "/admin/donations/campaign/"
CONTRIBUTIONS = "/admin/donations/contribution/"
SPENDING = "/admin/donations/spending/"


@pytest.fixture
def as_user(client, world):
    def login(persona: str):
        client.cookies["django_language"] = "en"
        client.force_login(getattr(world, persona))
        return client

    return login


def _page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []


def _act(client, url, action, objects, **answers):
    data = {"action": action, "_selected_action": [str(obj.pk) for obj in objects], "index": "0", **answers}
    return client.post(url, data, follow=True)


# --- Campaigns


def _plan_form(world, **changes) -> dict:
    return {
        "school": str(world.school.pk),
        "title": "Trang phục biểu diễn",
        "purpose": "Các lớp cần trang phục cho ngày hội.",
        "beneficiaries": "Tất cả các lớp.",
        "use_plan": "Mua 20 bộ trang phục.",
        "uses": ["activities"],
        "target_amount": "5000000",
        "comment_days": "15",
        "collect_from": "",
        "collect_until": "",
        "wishes-TOTAL_FORMS": "1",
        "wishes-INITIAL_FORMS": "0",
        "wishes-0-name": "Bộ trang phục",
        "wishes-0-quantity": "20",
        "wishes-0-is_equipment": "",
        "wishes-0-position": "0",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "_save": "Save",
        **changes,
    }


def test_the_accountant_drafts_a_campaign_with_its_wish_list_and_sees_what_keeps_it_from_publishing(as_user, world):
    client = as_user("accountant")
    form = client.get(CAMPAIGNS + "add/")
    page = _page(form)
    assert "Staff pay" not in page  # the forbidden uses are not even offered
    response = client.post(
        CAMPAIGNS + "add/",
        _plan_form(world, use_plan="Mỗi phụ huynh đóng 200.000 đồng để mua trang phục."),
        follow=True,
    )
    campaign = Campaign.objects.get(title="Trang phục biểu diễn")
    assert campaign.state == CampaignState.DRAFT and campaign.created_by == world.accountant
    assert campaign.uses == ["activities"]
    assert [(w.name, w.quantity) for w in campaign.wishes.all()] == [("Bộ trang phục", 20)]
    assert any("sets an amount for families" in message for message in _messages(response))
    change = _page(client.get(f"{CAMPAIGNS}{campaign.pk}/change/"))
    assert "sets an amount for families" in change
    # Only the principal publishes, opens, closes and settles.
    assert client.get(CAMPAIGNS).context["action_form"] is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"uses": ["staff_pay"]}, "uses"),
        ({"target_amount": "0"}, "target_amount"),
        ({"target_amount": "10000000001"}, "target_amount"),
        ({"comment_days": "10"}, "comment_days"),
        ({"collect_from": "10/01/2027", "collect_until": "01/01/2027"}, "collect_until"),
    ],
)
def test_a_bad_plan_is_refused_with_a_message(as_user, world, changes, field):
    client = as_user("principal")
    response = client.post(CAMPAIGNS + "add/", _plan_form(world, **changes))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert field in errors and "Constraint" not in str(errors)
    assert not Campaign.objects.exists()


def test_a_published_plans_page_shows_its_uses_and_cannot_be_rewritten(as_user, world):
    campaign = makers.published(world)
    page = as_user("accountant").get(f"{CAMPAIGNS}{campaign.pk}/change/")
    assert "Teaching and learning equipment, Facilities" in _page(page)
    assert not page.context["adminform"].form.fields


def test_the_principal_publishes_after_confirming_the_whole_checklist(as_user, world):
    makers.board_member(world)
    campaign = makers.draft(world)
    client = as_user("principal")

    asked = client.post(CAMPAIGNS, {"action": "publish", "_selected_action": [campaign.pk], "index": "0"})
    page = _page(asked)
    assert "Giving is voluntary" in page and "No amount is set for families" in page
    assert campaign.title in page

    partly = _act(client, CAMPAIGNS, "publish", [campaign], apply="1", voluntary="on", no_amount="on")
    assert any("Confirm every point of the checklist" in m for m in _messages(partly))
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.DRAFT

    done = _act(client, CAMPAIGNS, "publish", [campaign], apply="1", voluntary="on", no_amount="on", allowed_uses="on")
    assert any("1 plan published for comment" in m for m in _messages(done))
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.COMMENT and campaign.published_by == world.principal
    assert LogEntry.objects.filter(object_id=str(campaign.pk), user=world.principal).exists()
    # A published plan is no longer edited.
    assert "adminform" in client.get(f"{CAMPAIGNS}{campaign.pk}/change/").context
    assert not client.get(f"{CAMPAIGNS}{campaign.pk}/change/").context["adminform"].form.fields


def test_the_accountant_cannot_run_the_principals_actions(as_user, world):
    makers.board_member(world)
    campaign = makers.draft(world)
    client = as_user("accountant")
    response = _act(client, CAMPAIGNS, "publish", [campaign], apply="1", voluntary="on", no_amount="on")
    assert response.status_code == 200
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.DRAFT


def test_opening_too_early_closing_and_preparing_the_settlement(as_user, world):
    campaign = makers.published(world)
    client = as_user("principal")
    early = _act(client, CAMPAIGNS, "open_campaigns", [campaign])
    assert any(campaign.title in m for m in _messages(early))
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.COMMENT

    campaign = makers.opened(world, title="Sân chơi")
    makers.cash(world, campaign)
    closed = _act(client, CAMPAIGNS, "close_campaigns", [campaign])
    assert any("1 campaign closed" in m for m in _messages(closed))
    asked = client.post(CAMPAIGNS, {"action": "prepare_settlement", "_selected_action": [campaign.pk], "index": "0"})
    assert "summary" in asked.context["form"].fields
    _act(client, CAMPAIGNS, "prepare_settlement", [campaign], apply="1", summary="Đã mua lò nướng cho bếp.")
    settlement = Settlement.objects.get(campaign=campaign)
    assert settlement.summary == "Đã mua lò nướng cho bếp."
    page = _page(client.get(f"/admin/donations/settlement/{settlement.pk}/change/"))
    assert "Đã mua lò nướng cho bếp." in page


def test_the_principal_answers_a_comment_on_the_campaigns_page(as_user, world):
    campaign = makers.published(world)
    comment = services.comment_add(campaign=campaign, by=world.parent, body="Lò nướng loại nào ạ?")
    client = as_user("accountant")
    assert (
        "answer"
        not in client.get(f"{CAMPAIGNS}{campaign.pk}/change/")
        .context["inline_admin_formsets"][1]
        .formset.empty_form.fields
    )
    client = as_user("principal")
    page = client.get(f"{CAMPAIGNS}{campaign.pk}/change/")
    assert "Lò nướng loại nào ạ?" in _page(page)
    data = {
        "wishes-TOTAL_FORMS": "0",
        "wishes-INITIAL_FORMS": "0",
        "comments-TOTAL_FORMS": "1",
        "comments-INITIAL_FORMS": "1",
        "comments-0-id": str(comment.pk),
        "comments-0-campaign": str(campaign.pk),
        "comments-0-answer": "Lò điện 60 lít.",
        "_save": "Save",
    }
    response = client.post(f"{CAMPAIGNS}{campaign.pk}/change/", data)
    assert response.status_code == 302, response.context and response.context["errors"]
    comment.refresh_from_db()
    assert comment.answer == "Lò điện 60 lít." and comment.answered_by == world.principal


# --- Contributions


def _gift_form(campaign, donor, **changes) -> dict:
    return {
        "campaign": str(campaign.pk),
        "donor": str(donor.pk),
        "kind": "cash",
        "amount": "500000",
        "wish": "",
        "items": "",
        "quantity": "",
        "estimated_value": "",
        "condition": "",
        "hours": "",
        "work_description": "",
        "note": "",
        "received_date": "",
        "bank_transfer": "",
        "_save": "Save",
        **changes,
    }


def test_the_accountant_records_a_gift_received_with_its_receipt_number(as_user, world):
    campaign = makers.opened(world)
    donor = makers.donor(world)
    client = as_user("accountant")
    response = client.post(CONTRIBUTIONS + "add/", _gift_form(campaign, donor, received_now="on"))
    assert response.status_code == 302
    contribution = Contribution.objects.get()
    assert contribution.state == ContributionState.RECEIVED and contribution.receipt_number == 1
    assert contribution.amount == 500_000 and contribution.received_by == world.accountant
    assert LogEntry.objects.filter(object_id=str(contribution.pk), action_flag=1).exists()
    # A pledge of goods.
    client.post(
        CONTRIBUTIONS + "add/",
        _gift_form(
            campaign, donor, kind="in_kind", amount="", items="Nồi inox", quantity="3", estimated_value="900000"
        ),
    )
    assert Contribution.objects.get(kind="in_kind").state == ContributionState.PLEDGED


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"amount": "0"}, None),
        ({"amount": "-5000"}, None),
        ({"amount": "10000000001"}, None),
        ({"amount": "12.5"}, None),
        ({"kind": "work", "amount": "", "hours": "3", "work_description": ""}, "Say what work you give."),
    ],
)
def test_bad_gifts_are_refused_with_a_message_and_nothing_is_saved(as_user, world, changes, message):
    campaign = makers.opened(world)
    donor = makers.donor(world)
    client = as_user("principal")
    response = client.post(CONTRIBUTIONS + "add/", _gift_form(campaign, donor, received_now="on", **changes))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors
    if message:
        assert message in str(errors)
    assert not Contribution.objects.exists() and not LedgerEntry.objects.exists()


def test_a_campaign_that_is_not_open_refuses_contributions(as_user, world):
    campaign = makers.published(world)
    client = as_user("accountant")
    response = client.post(CONTRIBUTIONS + "add/", _gift_form(campaign, makers.donor(world)))
    assert response.status_code == 200
    assert "not open for contributions" in str(response.context["adminform"].form.errors)
    assert not Contribution.objects.exists()


def test_receiving_a_pledge_gives_the_receipt_and_receiving_twice_changes_nothing(as_user, world):
    campaign = makers.opened(world)
    pledge = makers.cash(world, campaign, received=False)
    client = as_user("accountant")
    response = _act(client, CONTRIBUTIONS, "receive", [pledge])
    assert any("1 contribution received" in m for m in _messages(response))
    pledge.refresh_from_db()
    assert pledge.state == ContributionState.RECEIVED and pledge.receipt_label
    entries = LedgerEntry.objects.count()

    again = _act(client, CONTRIBUTIONS, "receive", [pledge])
    assert any("already received" in m for m in _messages(again))
    assert LedgerEntry.objects.count() == entries
    assert Contribution.objects.get(pk=pledge.pk).receipt_number == pledge.receipt_number


def test_cancelling_asks_for_a_reason_and_records_it_in_the_history(as_user, world):
    campaign = makers.opened(world)
    pledge = makers.cash(world, campaign, received=False)
    client = as_user("accountant")
    asked = client.post(CONTRIBUTIONS, {"action": "cancel", "_selected_action": [pledge.pk], "index": "0"})
    assert "reason" in asked.context["form"].fields
    empty = client.post(
        CONTRIBUTIONS, {"action": "cancel", "_selected_action": [pledge.pk], "index": "0", "apply": "1", "reason": ""}
    )
    assert empty.context["form"].errors
    assert Contribution.objects.get(pk=pledge.pk).state == ContributionState.PLEDGED

    _act(client, CONTRIBUTIONS, "cancel", [pledge], apply="1", reason="Gia đình đổi ý.")
    pledge.refresh_from_db()
    assert pledge.state == ContributionState.CANCELLED and pledge.end_reason == "Gia đình đổi ý."
    history = _page(client.get(f"{CONTRIBUTIONS}{pledge.pk}/history/"))
    assert "Cancelled: Gia đình đổi ý." in history
    change = _page(client.get(f"{CONTRIBUTIONS}{pledge.pk}/change/"))
    assert "cancelled" in change and "Gia đình đổi ý." in change  # the contribution's own events, inline


def test_the_principal_reverses_a_receipt_and_a_reversal_cannot_be_reversed(as_user, world):
    campaign = makers.opened(world)
    received = makers.cash(world, campaign)
    accountant = as_user("accountant")
    assert "reverse" not in dict(accountant.get(CONTRIBUTIONS).context["action_form"].fields["action"].choices)
    _act(accountant, CONTRIBUTIONS, "reverse", [received], apply="1", reason="Nhập nhầm.")
    assert Contribution.objects.get(pk=received.pk).state == ContributionState.RECEIVED

    client = as_user("principal")
    _act(client, CONTRIBUTIONS, "reverse", [received], apply="1", reason="Chuyển khoản bị hoàn lại.")
    received.refresh_from_db()
    assert received.state == ContributionState.REVERSED
    assert LedgerEntry.objects.filter(kind="reversal").count() == 1

    again = _act(client, CONTRIBUTIONS, "reverse", [received], apply="1", reason="Lần nữa.")
    assert any("a reversal cannot be reversed" in m for m in _messages(again))
    assert LedgerEntry.objects.filter(kind="reversal").count() == 1
    assert Contribution.objects.get(pk=received.pk).end_reason == "Chuyển khoản bị hoàn lại."


def test_filters_search_and_dates(as_user, world):
    campaign = makers.opened(world)
    other = makers.opened(world, title="Sân chơi mới")
    cash = makers.cash(world, campaign, who=makers.donor(world, name="Công ty Hoa Mai"))
    goods = services.contribution_pledge(
        campaign=other,
        donor=makers.donor(world, name="Bà Lê Thị Cúc"),
        by=world.accountant,
        kind="in_kind",
        items="Bàn",
    )
    makers.cash(world, makers.opened(world, title="Hoa Sen riêng"), who=makers.donor(world, name="Hoa Mai 2"))
    Contribution.objects.filter(pk=goods.pk).update(pledged_at=datetime.datetime(2026, 1, 10, 3, tzinfo=datetime.UTC))
    client = as_user("vice_principal")

    def listed(**params) -> set[int]:
        response = client.get(CONTRIBUTIONS, params)
        assert response.status_code == 200
        return {row.pk for row in response.context["cl"].result_list}

    assert {cash.pk, goods.pk} <= listed()
    assert listed(campaign__id__exact=other.pk) == {goods.pk}
    assert cash.pk in listed(kind__exact="cash") and goods.pk not in listed(kind__exact="cash")
    assert listed(state__exact="pledged") == {goods.pk}
    assert listed(month="2026-01") == {goods.pk}
    this_month = f"{cash.received_on:%Y-%m}"
    assert cash.pk in listed(month=this_month) and goods.pk not in listed(month=this_month)
    assert listed(q="Cúc") == {goods.pk}
    assert listed(pledged_at__year="2026", pledged_at__month="1") == {goods.pk}
    page = _page(client.get(CONTRIBUTIONS))
    assert f"{cash.received_on:%m/%Y}" in page  # the months in which the school's campaigns took gifts
    assert cash.receipt_label in page and "Anonymous" in page


def test_the_changelist_runs_the_same_queries_for_1_and_30_contributions(as_user, world):
    campaign = makers.opened(world)
    makers.cash(world, campaign)
    client = as_user("principal")
    client.get(CONTRIBUTIONS)  # warm up (content types, sessions)
    params = {"kind__exact": "cash", "state__exact": "received"}

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(CONTRIBUTIONS, params)
        assert response.status_code == 200
        return len(queries)

    one = count()
    for index in range(29):
        makers.cash(world, campaign, who=makers.donor(world, name=f"Nhà hảo tâm {index}"))
    assert len(client.get(CONTRIBUTIONS, params).context["cl"].result_list) == 30
    assert count() == one


def _provide(monkeypatch, module_name: str, **functions) -> None:
    """Stand in for another part's functions (letters, invitations): the admin only calls them."""
    import importlib
    import sys
    import types

    try:
        module = importlib.import_module(module_name)
    except ImportError:
        module = types.ModuleType(module_name)
        monkeypatch.setitem(sys.modules, module_name, module)
    for name, function in functions.items():
        monkeypatch.setattr(module, name, function, raising=False)


def test_the_thank_you_letter_action_sends_a_letter(as_user, world, monkeypatch):
    sent = []
    _provide(
        monkeypatch,
        "donations.letters",
        letter_send_for_contribution=lambda *, contribution, by: sent.append((contribution.pk, by)),
    )
    received = makers.cash(world, makers.opened(world))
    client = as_user("accountant")
    response = _act(client, CONTRIBUTIONS, "send_letter", [received])
    assert sent == [(received.pk, world.accountant)]
    assert any("1 thank-you letter sent" in m for m in _messages(response))
    assert "Thank-you letter sent." in _page(client.get(f"{CONTRIBUTIONS}{received.pk}/history/"))


def test_the_accountant_invites_a_donor_to_their_page_and_is_shown_the_link(as_user, world, monkeypatch):
    from donations.models import DonorInvitation

    def invite(*, donor, by):
        return DonorInvitation.objects.create(
            donor=donor, created_by=by, token="tok123", expires_at=datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC)
        )

    _provide(
        monkeypatch,
        "donations.services_invitations",
        donor_invite=invite,
        invitation_url=lambda invitation: f"/donors/join/{invitation.token}/",
    )
    donor = makers.donor(world)
    client = as_user("accountant")
    response = _act(client, "/admin/donations/donor/", "invite", [donor])
    assert any("http://testserver/donors/join/tok123/" in m for m in _messages(response))
    assert DonorInvitation.objects.get().created_by == world.accountant


# --- Spending


def _spending_form(campaign, **changes) -> dict:
    return {
        "campaign": str(campaign.pk),
        "use": "equipment",
        "description": "Lò nướng điện 60 lít",
        "amount": "400000",
        "spent_on": makers.today().strftime("%d/%m/%Y"),
        "_save": "Save",
        **changes,
    }


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"use": "staff_pay"}, "Sponsorship may never pay staff"),
        ({"use": "security"}, "security"),
        ({"description": "Tiền thưởng cho cô giáo"}, "Sponsorship may never pay staff"),
        ({"use": "activities"}, "This is outside the campaign"),
    ],
)
def test_forbidden_spending_is_refused_with_the_reason(as_user, world, changes, message):
    campaign = makers.opened(world)
    client = as_user("accountant")
    response = client.post(SPENDING + "add/", _spending_form(campaign, **changes))
    assert response.status_code == 200
    assert message in _page(response)
    assert not Spending.objects.exists()


def test_the_accountant_records_and_the_principal_approves_with_the_override_beyond_the_balance(as_user, world):
    campaign = makers.opened(world)
    makers.cash(world, campaign, amount=300_000)
    client = as_user("accountant")
    assert client.post(SPENDING + "add/", _spending_form(campaign)).status_code == 302
    spending = Spending.objects.get()
    assert spending.state == SpendingState.RECORDED and spending.recorded_by == world.accountant
    assert client.get(SPENDING).context["action_form"] is None  # approving and rejecting are the principal's

    client = as_user("principal")
    refused = _act(client, SPENDING, "approve", [spending], apply="1")
    assert any("more than the campaign's balance" in m for m in _messages(refused))
    no_reason = client.post(
        SPENDING, {"action": "approve", "_selected_action": [spending.pk], "index": "0", "apply": "1", "override": "on"}
    )
    assert "over_balance_reason" in no_reason.context["form"].errors
    assert Spending.objects.get().state == SpendingState.RECORDED
    assert not LedgerEntry.objects.filter(kind="spending").exists()

    _act(
        client,
        SPENDING,
        "approve",
        [spending],
        apply="1",
        override="on",
        over_balance_reason="Bếp cần gấp, quỹ bù sau.",
    )
    spending.refresh_from_db()
    assert spending.state == SpendingState.APPROVED and spending.over_balance_reason == "Bếp cần gấp, quỹ bù sau."
    assert LedgerEntry.objects.filter(kind="spending", spending=spending).count() == 1
    history = _page(client.get(f"{SPENDING}{spending.pk}/history/"))
    assert "Approved beyond the balance: Bếp cần gấp, quỹ bù sau." in history


def test_the_principal_rejects_with_a_reason_and_only_approved_spending_reaches_the_ledger(as_user, world):
    campaign = makers.opened(world)
    makers.cash(world, campaign, amount=1_000_000)
    spending = services.spending_record(
        campaign=campaign,
        by=world.accountant,
        use="equipment",
        description="Nồi",
        amount=200_000,
        spent_on=makers.today(),
    )
    client = as_user("principal")
    _act(client, SPENDING, "reject", [spending], apply="1", reason="Không có hoá đơn.")
    spending.refresh_from_db()
    assert spending.state == SpendingState.REJECTED and spending.rejection_reason == "Không có hoá đơn."
    assert not LedgerEntry.objects.filter(kind="spending").exists()


def test_only_the_principal_marks_evidence_as_holding_personal_data(as_user, world):
    from tests.activities.makers import photo_make

    campaign = makers.opened(world)
    makers.cash(world, campaign, amount=1_000_000)
    spending = services.spending_record(
        campaign=campaign,
        by=world.accountant,
        use="equipment",
        description="Nồi",
        amount=200_000,
        spent_on=makers.today(),
    )
    photo = photo_make(school=world.school, by=world.principal)
    url = f"{SPENDING}{spending.pk}/change/"
    data = {
        "evidence-TOTAL_FORMS": "1",
        "evidence-INITIAL_FORMS": "0",
        "evidence-0-media": str(photo.pk),
        "evidence-0-caption": "Hoá đơn",
        "evidence-0-personal": "on",
        "_save": "Save",
    }
    accountant = as_user("accountant")
    assert "personal" not in accountant.get(url).context["inline_admin_formsets"][0].formset.empty_form.fields
    assert accountant.post(url, data).status_code == 302
    evidence = SpendingEvidence.objects.get()
    assert evidence.personal is False

    principal = as_user("principal")
    data.update(
        {"evidence-INITIAL_FORMS": "1", "evidence-0-id": str(evidence.pk), "evidence-0-spending": str(spending.pk)}
    )
    assert principal.post(url, data).status_code == 302
    evidence.refresh_from_db()
    assert evidence.personal is True


# --- The team, the ledger


def test_the_team_shows_who_sits_on_the_parents_board_and_only_the_principal_names_it(as_user, world):
    makers.board_member(world)
    TeamMember.objects.create(school=world.school, user=world.teacher)
    client = as_user("principal")
    response = client.get("/admin/donations/teammember/")
    rows = {row.user_id: row for row in response.context["cl"].result_list}
    page = _page(response)
    assert world.other_parent.pk in rows and world.teacher.pk in rows
    assert page.count('alt="True"') == 1 and page.count('alt="False"') == 1
    assert as_user("accountant").get("/admin/donations/teammember/add/").status_code == 403


def test_nobody_edits_the_ledger_not_even_a_superuser(as_user, world):
    entry = makers.cash(world, makers.opened(world)).ledger.get()
    client = as_user("superuser")
    assert client.get("/admin/donations/ledgerentry/add/").status_code == 403
    assert client.get(f"/admin/donations/ledgerentry/{entry.pk}/delete/").status_code == 403
    view = client.get(f"/admin/donations/ledgerentry/{entry.pk}/change/")
    assert view.status_code == 200 and not view.context["adminform"].form.fields
    assert client.post(f"/admin/donations/ledgerentry/{entry.pk}/change/", {"amount": "1"}).status_code == 403
    assert entry.hash in _page(as_user("accountant").get(f"/admin/donations/ledgerentry/{entry.pk}/change/"))


def test_an_objects_page_offers_the_actions_the_person_may_run_as_buttons(as_user, world):
    received = makers.cash(world, makers.opened(world))
    pledge = makers.cash(world, received.campaign, received=False)
    accountant = as_user("accountant")
    buttons = dict(accountant.get(f"{CONTRIBUTIONS}{pledge.pk}/change/").context["object_actions"])
    assert set(buttons) == {"receive", "cancel"}  # what a pledge can become
    buttons = dict(accountant.get(f"{CONTRIBUTIONS}{received.pk}/change/").context["object_actions"])
    assert set(buttons) == {"send_letter"}  # reversing is the principal's
    principal = as_user("principal")
    page = _page(principal.get(f"{CONTRIBUTIONS}{received.pk}/change/"))
    assert 'name="action" value="reverse"' in page
    # The button posts the list's action for this object: here, the reason is asked for first.
    asked = principal.post(CONTRIBUTIONS, {"action": "reverse", "_selected_action": [received.pk], "index": "0"})
    assert "reason" in asked.context["form"].fields


def test_the_principal_reverses_approved_spending_once(as_user, world):
    campaign = makers.opened(world)
    makers.cash(world, campaign, amount=1_000_000)
    spending = services.spending_record(
        campaign=campaign,
        by=world.accountant,
        use="equipment",
        description="Nồi",
        amount=200_000,
        spent_on=makers.today(),
    )
    services.spending_approve(spending=spending, by=world.principal)
    client = as_user("principal")
    _act(client, SPENDING, "reverse", [spending], apply="1", reason="Trả lại hàng.")
    assert Spending.objects.get(pk=spending.pk).state == "reversed"
    again = _act(client, SPENDING, "reverse", [spending], apply="1", reason="Lần nữa.")
    assert any("a reversal cannot be reversed" in m for m in _messages(again))
    assert LedgerEntry.objects.filter(kind="reversal").count() == 1


def test_evidence_is_chosen_among_the_managers_files_never_a_teachers_photo(as_user, world):
    from tests.activities.makers import photo_make

    campaign = makers.opened(world)
    received = makers.cash(world, campaign)
    invoice = photo_make(school=world.school, by=world.accountant)
    teachers = photo_make(school=world.school, by=world.teacher)
    page = as_user("principal").get(f"{CONTRIBUTIONS}{received.pk}/change/")
    offered = page.context["inline_admin_formsets"][0].formset.empty_form.fields["media"].queryset
    assert invoice in offered and teachers not in offered


def test_the_donor_is_searched_among_the_schools_donors_only(as_user, world):
    from donations.models import Donor

    makers.donor(world, name="Công ty Hoa Mai")
    Donor.objects.create(school=world.other_school, kind="business", name="Công ty Hoa Mai Hoa Sen")
    client = as_user("accountant")
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "donations", "model_name": "contribution", "field_name": "donor", "term": "Hoa Mai"},
    )
    assert response.status_code == 200
    assert [row["text"] for row in response.json()["results"]] == ["Công ty Hoa Mai"]
    teacher = as_user("teacher")
    assert (
        teacher.get("/admin/autocomplete/", {"app_label": "donations", "model_name": "contribution"}).status_code == 302
    )
