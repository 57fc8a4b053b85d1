"""The honour roll: drafted from received contributions by public names only, published by the principal,
shown on the school's public page and as a poster, and the principal reminded to review it."""

from __future__ import annotations

import datetime
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from donations import honour
from donations.models import ContributionEvidence, DonorDisplay, HonourLine, HonourRoll, RollPeriod
from notifications.models import Notice
from notifications.reminders import Job, reminder_job_run
from schools.models import SchoolYear
from tests.conftest import requires_binary
from tests.donations.makers_honour import campaign_make, donor_make, received_make

NOV = datetime.date(2026, 11, 1)
SECRET = "Lê Bí Mật"
NAMED = "Trần Thu Hà"


def pdf_text(content: bytes, tmp_path) -> str:
    pdftotext = requires_binary("pdftotext", "apt-get install poppler-utils")
    path = tmp_path / "doc.pdf"
    path.write_bytes(content)
    return " ".join(
        subprocess.run([pdftotext, str(path), "-"], capture_output=True, text=True, check=True).stdout.split()
    )


@pytest.fixture
def gifts(world):
    campaign = campaign_make(school=world.school)
    secret = donor_make(school=world.school, name=SECRET, email="bimat@example.test", phone="+84912000111")
    named = donor_make(school=world.school, name=NAMED, display=DonorDisplay.NAME)
    chosen = donor_make(
        school=world.school, name="Nguyễn Văn Bố", display=DonorDisplay.CHOSEN, display_name="Gia đình bé Na"
    )
    received_make(campaign=campaign, donor=secret, received_on=datetime.date(2026, 11, 3), amount=2_000_000)
    received_make(campaign=campaign, donor=named, kind="in_kind", received_on=datetime.date(2026, 11, 5))
    received_make(campaign=campaign, donor=named, received_on=datetime.date(2026, 11, 6), amount=500_000)
    received_make(campaign=campaign, donor=chosen, kind="work", received_on=datetime.date(2026, 11, 20))
    # Outside the month, and not received: not on November's roll.
    received_make(campaign=campaign, donor=secret, received_on=datetime.date(2026, 10, 31), amount=9_999_000)
    pledged = received_make(campaign=campaign, donor=named, received_on=datetime.date(2026, 11, 7), amount=7_777_000)
    pledged.state = "pledged"
    pledged.save()
    return {"campaign": campaign, "secret": secret, "named": named, "chosen": chosen}


def draft(world, **kwargs):
    return honour.honour_roll_draft(school=world.school, period=RollPeriod.MONTH, starts_on=NOV, **kwargs)


def test_a_draft_names_donors_only_as_they_chose(world, gifts):
    roll = draft(world, by=world.principal)
    assert (roll.starts_on, roll.ends_on) == (NOV, datetime.date(2026, 11, 30))
    lines = list(roll.lines.all())
    assert [line.shown_as for line in lines] == ["Ẩn danh", NAMED, "Gia đình bé Na"]
    assert lines[0].gift == "2.000.000 đ"
    assert lines[1].gift == "500.000 đ; Lò nướng điện"
    assert "6" in lines[2].gift
    text = " ".join(line.shown_as + line.gift for line in lines)
    assert SECRET not in text and "Nguyễn Văn Bố" not in text and "9.999.000" not in text and "7.777.000" not in text


def test_drafting_again_keeps_the_principals_edits_but_never_a_hidden_name(world, gifts):
    roll = draft(world)
    named_line = roll.lines.get(donor=gifts["named"])
    named_line.shown_as, named_line.position = "Cô Thu Hà", 9
    named_line.save()
    HonourLine.objects.filter(donor=gifts["secret"]).update(shown_as=SECRET)  # behind the portal's back
    received_make(
        campaign=gifts["campaign"],
        donor=donor_make(school=world.school, name="Người mới"),
        received_on=datetime.date(2026, 11, 28),
    )
    roll = draft(world)
    by_donor = {line.donor_id: line for line in roll.lines.all()}
    assert len(by_donor) == 4
    assert (by_donor[gifts["named"].pk].shown_as, by_donor[gifts["named"].pk].position) == ("Cô Thu Hà", 9)
    assert by_donor[gifts["secret"].pk].shown_as == "Ẩn danh"
    assert HonourRoll.objects.count() == 1


def test_the_school_year_roll(world, gifts):
    year = SchoolYear.objects.filter(school=world.school).first() or SchoolYear.objects.create(
        school=world.school, name="2026–2027", starts_on=datetime.date(2026, 9, 5), ends_on=datetime.date(2027, 5, 31)
    )
    roll = honour.honour_roll_draft(school=world.school, period=RollPeriod.YEAR, starts_on=year.starts_on)
    assert roll.ends_on == year.ends_on and year.name in roll.title
    with pytest.raises(ValidationError):
        honour.honour_roll_draft(school=world.school, period=RollPeriod.YEAR, starts_on=datetime.date(2026, 9, 6))


def test_publishing(world, gifts):
    empty = honour.honour_roll_draft(school=world.school, period=RollPeriod.MONTH, starts_on=datetime.date(2026, 1, 1))
    with pytest.raises(ValidationError):
        honour.honour_roll_publish(roll=empty, by=world.principal)
    roll = draft(world)
    HonourLine.objects.filter(donor=gifts["secret"]).update(shown_as=SECRET)
    roll = honour.honour_roll_publish(roll=roll, by=world.principal)
    assert roll.published_at and roll.published_by == world.principal
    assert roll.lines.get(donor=gifts["secret"]).shown_as == "Ẩn danh"
    with pytest.raises(ValidationError):
        honour.honour_roll_publish(roll=roll, by=world.principal)
    with pytest.raises(ValidationError):
        draft(world)


def test_the_public_page_and_the_poster_never_name_an_anonymous_donor(client, world, gifts, tmp_path):
    roll = draft(world)
    page = client.get(f"/schools/{world.school.slug}/honour/").content.decode()
    assert NAMED not in page  # a draft is not public
    assert client.get(f"/schools/{world.school.slug}/honour/{roll.pk}/poster.pdf").status_code == 404
    honour.honour_roll_publish(roll=roll, by=world.principal)
    page = client.get(f"/schools/{world.school.slug}/honour/").content.decode()
    assert NAMED in page and "Gia đình bé Na" in page and "Ẩn danh" in page
    for hidden in (SECRET, "Nguyễn Văn Bố", "bimat@example.test", "912000111"):
        assert hidden not in page
    response = client.get(f"/schools/{world.school.slug}/honour/{roll.pk}/poster.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert world.school.name in text and NAMED in text and "Gia đình bé Na" in text and "Ẩn danh" in text
    assert "2.000.000 đ" in text and "Lò nướng điện" in text
    assert SECRET not in text and "Nguyễn Văn Bố" not in text and "bimat@example.test" not in text


def test_a_donor_who_becomes_anonymous_is_anonymous_on_a_published_roll(client, world, gifts, tmp_path):
    roll = honour.honour_roll_publish(roll=draft(world), by=world.principal)
    gifts["named"].display = DonorDisplay.ANONYMOUS
    gifts["named"].save()
    page = client.get(f"/schools/{world.school.slug}/honour/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert NAMED not in page
    text = pdf_text(client.get(f"/schools/{world.school.slug}/honour/{roll.pk}/poster.pdf").content, tmp_path)
    assert NAMED not in text


def test_the_public_page_runs_a_fixed_number_of_queries(client, world, gifts):
    honour.honour_roll_publish(roll=draft(world), by=world.principal)
    url = f"/schools/{world.school.slug}/honour/"
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for month in (9, 10):
        for n in range(4):
            received_make(
                campaign=gifts["campaign"],
                donor=donor_make(school=world.school, name=f"Nhà hảo tâm {month}-{n}", display=DonorDisplay.NAME),
                received_on=datetime.date(2026, month, 10 + n),
            )
        roll = honour.honour_roll_draft(
            school=world.school, period=RollPeriod.MONTH, starts_on=datetime.date(2026, month, 1)
        )
        honour.honour_roll_publish(roll=roll, by=world.principal)
    with CaptureQueriesContext(connection) as large:
        page = client.get(url).content.decode()
    assert "Nhà hảo tâm 9-3" in page
    assert len(large) == len(small)


def test_the_schools_public_page_links_to_the_published_roll(client, world, gifts):
    url = f"/schools/{world.school.slug}/"
    draft(world)
    assert f"/schools/{world.school.slug}/honour/" not in client.get(url).content.decode()
    honour.honour_roll_publish(roll=HonourRoll.objects.get(), by=world.principal)
    assert f"/schools/{world.school.slug}/honour/" in client.get(url).content.decode()


def test_a_photo_of_the_gift_is_public_only_when_allowed(client, world, gifts):
    from tests.activities.makers import photo_make

    roll = draft(world)
    oven = gifts["named"].contributions.get(kind="in_kind")
    gift_photo = photo_make(school=world.school, by=world.principal)
    ContributionEvidence.objects.create(contribution=oven, media=gift_photo)
    child_photo = photo_make(school=world.school, by=world.teacher, size=(70, 50))
    line = roll.lines.get(donor=gifts["named"])
    other = roll.lines.get(donor=gifts["secret"])
    line.photo, other.photo = gift_photo, child_photo
    line.save()
    other.save()
    honour.honour_roll_publish(roll=roll, by=world.principal)
    base = f"/schools/{world.school.slug}/honour/{roll.pk}/photos"
    response = client.get(f"{base}/{line.pk}.jpg")
    assert response.status_code == 200 and response["Content-Type"].startswith("image/")
    assert client.get(f"{base}/{other.pk}.jpg").status_code == 404
    assert set(honour.allowed_photos(school_ids=[world.school.pk])) == {gift_photo}


def test_the_principal_drafts_edits_and_publishes_in_the_admin(client, world, gifts):
    client.force_login(world.principal)
    response = client.post(
        "/admin/donations/honourroll/add/",
        {
            "school": world.school.pk,
            "period": "month",
            "starts_on": "2026-11-17",
            "title": "",
            "intro": "Cảm ơn!",
            "lines-TOTAL_FORMS": "0",
            "lines-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    roll = HonourRoll.objects.get()
    assert roll.starts_on == NOV and roll.lines.count() == 3 and roll.intro == "Cảm ơn!"
    lines = list(roll.lines.all())
    change = client.get(f"/admin/donations/honourroll/{roll.pk}/change/").content.decode()
    assert SECRET not in change
    data = {
        "title": roll.title,
        "intro": roll.intro,
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "3",
    }
    for i, line in enumerate(lines):
        data |= {
            f"lines-{i}-id": line.pk,
            f"lines-{i}-roll": roll.pk,
            f"lines-{i}-position": 3 - i,
            f"lines-{i}-shown_as": line.shown_as,
            f"lines-{i}-photo": "",
        }
    refused = dict(data) | {"lines-0-shown_as": SECRET}
    response = client.post(f"/admin/donations/honourroll/{roll.pk}/change/", refused)
    assert response.status_code == 200 and roll.lines.filter(shown_as=SECRET).count() == 0
    response = client.post(f"/admin/donations/honourroll/{roll.pk}/change/", data | {"lines-1-shown_as": "Cô Hà"})
    assert response.status_code == 302
    assert roll.lines.get(donor=gifts["named"]).shown_as == "Cô Hà"
    response = client.post(
        "/admin/donations/honourroll/", {"action": "publish", "_selected_action": [roll.pk]}, follow=True
    )
    roll.refresh_from_db()
    assert roll.published_at is not None


def test_the_principal_is_told_at_the_start_of_the_month(world, gifts):
    now = timezone.make_aware(datetime.datetime(2026, 12, 1, 9, 0))
    outcome = reminder_job_run(job=Job.HONOUR_ROLL, now=now)
    assert outcome.sent == 1
    roll = HonourRoll.objects.get(school=world.school)
    assert roll.starts_on == NOV and roll.published_at is None and roll.lines.count() == 3
    notice = Notice.objects.get(recipient=world.principal)
    assert notice.category == "honour_roll" and notice.url == f"/admin/donations/honourroll/{roll.pk}/change/"
    assert not Notice.objects.exclude(recipient=world.principal).exists()
    assert reminder_job_run(job=Job.HONOUR_ROLL, now=now).sent == 0
    honour.honour_roll_publish(roll=roll, by=world.principal)
    assert reminder_job_run(job=Job.HONOUR_ROLL, now=now + datetime.timedelta(hours=1)).sent == 0


def test_the_demo_publishes_a_roll_and_makes_letters_once(world, gifts):
    import random

    from coordination.lib.demo import DemoContext
    from donations.demo_honour import seed_honour
    from donations.models import Letter

    world.principal.email = "principal@saomai.test"
    world.principal.save()
    for _ in range(2):
        seed_honour(DemoContext(rng=random.Random(1), log=lambda _message: None))
    roll = HonourRoll.objects.get()
    assert roll.starts_on == NOV and roll.published_at is not None
    assert Letter.objects.count() == 3


def test_gifts_recorded_through_the_services_reach_the_roll_and_a_letter(world, tmp_path):
    from donations import letters, services

    campaign = campaign_make(school=world.school)
    company = donor_make(school=world.school, name="Công ty Sao Việt", display=DonorDisplay.NAME)
    family = donor_make(school=world.school, name=SECRET)
    services.contribution_record(
        campaign=campaign, donor=company, by=world.accountant, kind="cash", amount=3_000_000, received_on=NOV
    )
    gift = services.contribution_record(
        campaign=campaign,
        donor=family,
        by=world.accountant,
        kind="in_kind",
        items="Bộ đồ chơi xếp hình",
        quantity=2,
        estimated_value=600_000,
        received_on=datetime.date(2026, 11, 9),
    )
    roll = honour.honour_roll_publish(roll=draft(world), by=world.principal)
    assert [(line.shown_as, line.gift) for line in roll.lines.all()] == [
        ("Công ty Sao Việt", "3.000.000 đ"),
        ("Ẩn danh", "2 × Bộ đồ chơi xếp hình"),
    ]
    text = pdf_text(
        letters.letter_pdf(letters.letter_create(donor=family, by=world.principal, contribution=gift)), tmp_path
    )
    assert SECRET in text and "Bộ đồ chơi xếp hình" in text and "Công ty Sao Việt" not in text


def test_only_the_principal_publishes_in_the_admin(client, world, gifts):
    roll = draft(world)
    client.force_login(world.accountant)
    page = client.get("/admin/donations/honourroll/").content.decode()
    assert roll.title in page and 'value="publish"' not in page
    client.post("/admin/donations/honourroll/", {"action": "publish", "_selected_action": [roll.pk]})
    roll.refresh_from_db()
    assert roll.published_at is None
    client.force_login(world.principal)
    assert 'value="publish"' in client.get("/admin/donations/honourroll/").content.decode()
