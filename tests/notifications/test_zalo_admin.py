"""Zalo in the admin: the Official Account's tokens (never shown), the templates and their parameters, the reports.

All of it is the superuser's; a principal neither sees it listed nor opens it.
"""

from __future__ import annotations

import pytest
from django.contrib.admin.models import LogEntry
from django.utils import timezone

from notifications.models import ZaloAccount, ZaloEvent, ZaloTemplate, ZaloTemplateParam

pytestmark = pytest.mark.django_db
ACCOUNT = "/admin/notifications/zaloaccount/"
TEMPLATES = "/admin/notifications/zalotemplate/"
ACCESS, REFRESH, PASTED = "acc-5e3f9b2c71d04a8e", "ref-0b7d1c94e2a34f56", "ref-new-8c2e4f6a0d1b3957"


def in_english(user):
    user.language = "en"
    user.save(update_fields=["language"])
    return user


@pytest.fixture
def account():
    return ZaloAccount.objects.create(
        pk=1,
        access_token=ACCESS,
        access_expires_at=timezone.now() + timezone.timedelta(hours=20),
        refresh_token=REFRESH,
        refreshed_at=timezone.now(),
        last_error="-124: access token expired",
        last_error_at=timezone.now(),
    )


@pytest.fixture
def superuser(world, client):
    client.force_login(in_english(world.superuser))
    return world.superuser


# --- The account


def test_the_account_page_never_shows_a_token(client, superuser, account):
    response = client.get(ACCOUNT, follow=True)
    assert response.redirect_chain[-1][0] == f"{ACCOUNT}1/change/"
    page = response.content.decode()
    assert "Access token present" in page and "-124: access token expired" in page
    assert 'type="password"' in page
    for token in (ACCESS, REFRESH):
        assert token not in page
        assert token not in client.get(f"{ACCOUNT}1/history/").content.decode()


def test_a_pasted_refresh_token_replaces_the_old_and_the_access_token(client, superuser, account):
    response = client.post(f"{ACCOUNT}1/change/", {"new_refresh_token": f"  {PASTED}\n"})

    assert response.status_code == 302
    account.refresh_from_db()
    assert account.refresh_token == PASTED
    assert (account.access_token, account.access_expires_at) == ("", None)
    assert (account.last_error, account.last_error_at) == ("", None)
    entry = LogEntry.objects.get(object_id="1")
    assert entry.user == superuser
    assert PASTED not in entry.change_message and PASTED not in entry.object_repr
    assert "New refresh token" in entry.get_change_message()
    history = client.get(f"{ACCOUNT}1/history/").content.decode()
    assert PASTED not in history and REFRESH not in history
    assert PASTED not in client.get(f"{ACCOUNT}1/change/").content.decode()


def test_saving_without_a_token_keeps_the_tokens(client, superuser, account):
    client.post(f"{ACCOUNT}1/change/", {"new_refresh_token": ""})

    account.refresh_from_db()
    assert (account.access_token, account.refresh_token) == (ACCESS, REFRESH)


def test_a_token_with_spaces_inside_is_refused(client, superuser, account):
    response = client.post(f"{ACCOUNT}1/change/", {"new_refresh_token": "ref new"})

    assert response.status_code == 200
    assert "A refresh token has no spaces or line breaks" in response.content.decode()
    account.refresh_from_db()
    assert account.refresh_token == REFRESH


def test_the_first_token_makes_the_one_account(client, superuser):
    assert client.get(ACCOUNT)["Location"] == f"{ACCOUNT}add/"

    client.post(f"{ACCOUNT}add/", {"new_refresh_token": PASTED})

    account = ZaloAccount.objects.get()
    assert (account.pk, account.refresh_token, account.access_token) == (1, PASTED, "")
    assert client.get(f"{ACCOUNT}add/").status_code == 403  # there is one already
    assert client.post(f"{ACCOUNT}1/delete/", {"post": "yes"}).status_code == 403


# --- Templates

FORMSET = "params"


def template_data(category="announcement", params=(), **fields) -> dict:
    data = {
        "category": category,
        "template_id": "301234",
        "approved": "on",
        f"{FORMSET}-TOTAL_FORMS": str(len(params)),
        f"{FORMSET}-INITIAL_FORMS": "0",
        f"{FORMSET}-MIN_NUM_FORMS": "0",
        f"{FORMSET}-MAX_NUM_FORMS": "1000",
        **fields,
    }
    for index, (name, source, max_length) in enumerate(params):
        data |= {
            f"{FORMSET}-{index}-name": name,
            f"{FORMSET}-{index}-source": source,
            f"{FORMSET}-{index}-max_length": str(max_length),
        }
    return data


def test_a_template_with_its_parameters_is_saved(client, superuser):
    params = [("school_name", "school", 60), ("title", "title", 100), ("link", "link", 200)]

    response = client.post(f"{TEMPLATES}add/", template_data(params=params))

    assert response.status_code == 302
    template = ZaloTemplate.objects.get()
    assert list(template.params.values_list("name", "source", "max_length")) == params
    listing = client.get(TEMPLATES).content.decode()
    assert "School announcements" in listing and "301234" in listing


@pytest.mark.parametrize(
    ("category", "params", "message"),
    [
        (
            "announcement",
            [("school_name", "school", 300), ("link", "link", 200)],
            "This template&#x27;s parameters may take 500 characters together; Zalo takes at most 400 in one message.",
        ),
        (
            "pickup",
            [("child_name", "child", 20), ("title", "title", 100)],
            "Only the template for school announcements may be filled with the notice&#x27;s title.",
        ),
        (
            "announcement",
            [("tên bé", "child", 20)],
            "Write the parameter&#x27;s name as in the template on Zalo: letters, digits and underscores only.",
        ),
        (
            "announcement",
            [("link", "link", 100), ("link", "school", 50)],
            "Each parameter needs a name of its own; used more than once: link.",
        ),
        (
            "announcement",
            [("link", "link", 401)],
            "A parameter takes from 1 to 400 characters: Zalo takes at most 400 in one message.",
        ),
        ("announcement", [("link", "link", 0)], "A parameter takes from 1 to 400 characters"),
    ],
)
def test_a_template_zalo_would_refuse_is_not_saved(client, superuser, category, params, message):
    response = client.post(f"{TEMPLATES}add/", template_data(category, params))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ZaloTemplate.objects.exists() and not ZaloTemplateParam.objects.exists()


def test_a_category_changed_away_from_announcements_keeps_no_title(client, superuser):
    template = ZaloTemplate.objects.create(category="announcement", template_id="301234")
    param = template.params.create(name="title", source="title", max_length=100)
    data = template_data("events", [("title", "title", 100)])
    data |= {f"{FORMSET}-INITIAL_FORMS": "1", f"{FORMSET}-0-id": str(param.pk), f"{FORMSET}-0-template": template.pk}

    response = client.post(f"{TEMPLATES}{template.pk}/change/", data)

    assert "Only the template for school announcements" in response.content.decode()
    template.refresh_from_db()
    assert template.category == "announcement"


# --- Reports and who sees any of it


def test_the_superuser_reads_the_webhooks_reports(client, superuser):
    ZaloEvent.objects.create(event_name="user_received_message", signature_valid=False, outcome="bad signature")

    page = client.get("/admin/notifications/zaloevent/?signature_valid__exact=0").content.decode()

    assert "user_received_message" in page and "bad signature" in page
    assert client.get("/admin/notifications/zaloevent/add/").status_code == 403


@pytest.mark.parametrize("persona", ["principal", "vice_principal", "accountant"])
def test_nobody_else_sees_zalo_in_the_admin(world, client, account, persona):
    template = ZaloTemplate.objects.create(category="announcement", template_id="301234")
    event = ZaloEvent.objects.create(event_name="user_received_message")
    client.force_login(getattr(world, persona))

    for url in (
        ACCOUNT,
        f"{ACCOUNT}1/change/",
        f"{ACCOUNT}1/history/",
        TEMPLATES,
        f"{TEMPLATES}add/",
        f"{TEMPLATES}{template.pk}/change/",
        "/admin/notifications/zaloevent/",
        f"/admin/notifications/zaloevent/{event.pk}/change/",
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(f"{ACCOUNT}1/change/", {"new_refresh_token": PASTED}).status_code == 403
    account.refresh_from_db()
    assert account.refresh_token == REFRESH
    index = client.get("/admin/").content.decode()
    assert "zaloaccount" not in index and "zalotemplate" not in index and "zaloevent" not in index
