"""The preferences page: sensible defaults, every choice saved, impossible input refused and nothing changed."""

import datetime

import pytest

from notifications import services
from notifications.models import CHOOSABLE, Delivery, Preference
from tests.notifications.conftest import at

pytestmark = pytest.mark.django_db


def form_data(**changes) -> dict:
    data = {
        "frequency": "daily",
        "digest_time": "18:00",
        "digest_weekday": "6",
        "quiet_start": "21:00",
        "quiet_end": "06:30",
        "language": "vi",
    }
    for category in CHOOSABLE:
        data[f"email_{category}"] = "on"
        data[f"sms_{category}"] = "off"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_the_defaults(world, client):
    client.force_login(world.parent)
    response = client.get("/notifications/preferences/")
    assert response.status_code == 200
    form = response.context["form"]
    assert form["frequency"].value() == "daily"
    assert form["digest_time"].value() == datetime.time(18, 0)
    assert form["digest_weekday"].value() == 6
    assert (form["quiet_start"].value(), form["quiet_end"].value()) == (datetime.time(21, 0), datetime.time(6, 30))
    assert form["email_activity"].value() is True
    assert form["sms_activity"].value() == "off"
    assert form["sms_announcement"].value() == "urgent"
    assert form["sms_pickup"].value() == "all"
    html = response.content.decode()
    assert "checked disabled" in html  # in the portal: always, not a choice
    assert not Preference.objects.exists()  # made when first needed, not by looking


def test_saving_every_choice(world, client):
    client.force_login(world.parent)
    data = form_data(
        frequency="weekly",
        digest_time="07:15",
        digest_weekday="4",
        quiet_start="22:00",
        quiet_end="05:45",
        language="en",
        email_works=None,
        sms_health="all",
    )
    response = client.post("/notifications/preferences/", data)
    assert response.status_code == 302

    preference = Preference.objects.get(user=world.parent)
    assert preference.frequency == "weekly" and preference.digest_weekday == 4
    assert preference.digest_time == datetime.time(7, 15)
    assert (preference.quiet_start, preference.quiet_end) == (datetime.time(22, 0), datetime.time(5, 45))
    assert preference.choice_for("works") == {"email": False, "sms": "off", "zalo": False}
    assert preference.choice_for("health") == {"email": True, "sms": "all", "zalo": False}
    world.parent.refresh_from_db()
    assert world.parent.language == "en"
    assert response.cookies["django_language"].value == "en"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"quiet_start": "22:00", "quiet_end": "22:00"}, "Quiet hours must start and end at different times."),
        ({"digest_time": "24:00"}, "Enter a time between 00:00 and 23:59"),
        ({"quiet_end": "7h"}, "Enter a time between 00:00 and 23:59"),
        ({"email_gossip": "on"}, "Unknown category: gossip."),
        ({"sms_rumours": "all"}, "Unknown category: rumours."),
        ({"sms_activity": "sometimes"}, "Select a valid choice"),
        ({"frequency": "hourly"}, "Select a valid choice"),
        ({"digest_weekday": "7"}, "Select a valid choice"),
        ({"language": "fr"}, "Select a valid choice"),
    ],
)
def test_impossible_input_is_refused_and_changes_nothing(world, client, changes, message):
    world.parent.language = "en"  # the messages are checked in English
    world.parent.save()
    client.force_login(world.parent)
    client.cookies["django_language"] = "en"
    client.post("/notifications/preferences/", form_data(language="en"))
    before = Preference.objects.get(user=world.parent)

    response = client.post(
        "/notifications/preferences/", form_data(**{"language": "en", "frequency": "weekly", **changes})
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "Nothing was changed" in response.content.decode()
    after = Preference.objects.get(user=world.parent)
    assert after.updated_at == before.updated_at and after.frequency == "daily"


def test_the_service_refuses_what_the_form_would(world):
    with pytest.raises(services.ValidationError):
        services.preference_update(
            user=world.parent,
            channels={"gossip": {"email": True, "sms": "off"}},
            frequency="daily",
            digest_time=datetime.time(18),
            digest_weekday=6,
            quiet_start=datetime.time(21),
            quiet_end=datetime.time(21),
            language="vi",
        )
    assert not Preference.objects.exists()


def test_switching_a_channel_off_stops_what_is_still_waiting(world, client, clock):
    clock.to(at(2026, 3, 2, 23, 0))  # quiet hours: the e-mail waits for the morning
    Preference.objects.create(user=world.parent, frequency="immediate")
    notice = services.notice_send(recipient=world.parent, category="works", title="t", body="", dedupe_key="k")
    assert notice.deliveries.count() == 1

    client.force_login(world.parent)
    client.post("/notifications/preferences/", form_data(frequency="immediate", email_works=None))
    assert not Delivery.objects.exists()


def test_each_person_edits_only_their_own(world, client):
    client.force_login(world.other_parent)
    client.post("/notifications/preferences/", form_data(frequency="weekly"))
    assert Preference.objects.get().user == world.other_parent
    client.force_login(world.parent)
    assert client.get("/notifications/preferences/").context["form"]["frequency"].value() == "daily"
