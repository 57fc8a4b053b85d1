"""What the family is told about who looks after a child goes like an account message."""

import pytest
from django.utils import translation

from notifications.models import Notice
from parents.services import invitation_claim
from tests import factories as f
from tests.notifications.conftest import at, prefer

pytestmark = pytest.mark.django_db


def test_a_guardian_without_e_mail_gets_an_sms_at_once_at_night(
    world, clock, sms_outbox, mailoutbox, django_capture_on_commit_callbacks
):
    father = f.UserFactory(email=None, phone="+84912000099", phone_verified=True, verified=False)
    f.GuardianshipFactory(child=world.child, guardian=father, relationship="father", is_primary=False)
    prefer(father, sms={"pickup": "off"}, frequency="weekly")
    clock.to(at(2026, 11, 23, 2, 0))
    invitation = f.InvitationFactory(child=world.child, code="NEWG2345")
    with django_capture_on_commit_callbacks(execute=True):
        invitation_claim(code=invitation.code, user=f.UserFactory(full_name="Đoàn Văn Lạ"), relationship="father")
    assert len(sms_outbox) == 1
    text = sms_outbox[0]["body"]
    assert sms_outbox[0]["to"] == "+84912000099"
    assert "Khôi" in text and "Nguyễn Minh Khôi" not in text and "Đoàn Văn Lạ" in text
    notice = Notice.objects.get(recipient=father)
    assert notice.category == "family" and [d.channel for d in notice.deliveries.all()] == ["sms"]
    # The mother and the class teacher have an e-mail address: one e-mail each, no SMS.
    assert sorted(m.to[0] for m in mailoutbox) == sorted([world.parent.email, world.teacher.email])


def test_family_changes_are_not_a_choice_on_the_preferences_page(world, client):
    client.force_login(world.parent)
    client.cookies["django_language"] = "en"
    page = client.get("/notifications/preferences/").content.decode()
    assert "email_family" not in page and "sms_family" not in page
    assert "changes to who looks after your child" in page


def test_each_recipient_reads_the_message_in_their_own_language(world):
    world.parent.language = "en"
    world.parent.save(update_fields=["language"])
    invitation = f.InvitationFactory(child=world.child, code="LANG2345")
    with translation.override("vi"):  # the person who joins uses the portal in Vietnamese
        invitation_claim(code=invitation.code, user=f.UserFactory(full_name="Đoàn Văn Lạ"), relationship="father")
    notice = Notice.objects.get(recipient=world.parent)
    assert notice.title == "Khôi has a new guardian: Đoàn Văn Lạ"
    assert notice.body.startswith("Đoàn Văn Lạ (Father) is now a guardian of Khôi")
