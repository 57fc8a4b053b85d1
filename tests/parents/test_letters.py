import subprocess

import pytest

from parents.models import InvitationCode
from tests.conftest import requires_binary

pytestmark = pytest.mark.django_db


def test_class_letters_give_each_child_without_family_a_code(world, client):
    from tests import factories as f

    newcomer = f.ChildFactory(classroom=world.classroom, full_name="Đặng Gia Bảo")
    client.force_login(world.teacher)
    response = client.post(f"/classes/{world.classroom.pk}/invitation-letters/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    # Khôi's family has joined already; only Bảo gets a letter and a code.
    assert list(InvitationCode.objects.filter(child__classroom=world.classroom).values_list("child", flat=True)) == [
        newcomer.pk
    ]


def test_letter_text_keeps_vietnamese_diacritics(world, client, tmp_path):
    pdftotext = requires_binary("pdftotext", "apt-get install poppler-utils")
    client.force_login(world.other_teacher)
    response = client.get(f"/invitations/{world.invitation.pk}/letter.pdf")
    assert response.status_code == 200
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Phạm Khánh Linh" in text
    assert "ABCD-2345" in text
    assert "Thư mời" in text  # the Vietnamese title


def test_letters_for_everyone_skip_children_with_an_active_guardian(world, client):
    """'everyone=1' used to print a code for every child: now only those without an active guardian."""
    from tests import factories as f

    newcomer = f.ChildFactory(classroom=world.classroom, full_name="Đặng Gia Bảo")
    only_pending = f.ChildFactory(classroom=world.classroom, full_name="Lý Gia Hưng")
    f.GuardianshipFactory(child=only_pending, guardian=world.teacher, status="pending", is_primary=False)
    client.force_login(world.teacher)
    response = client.post(f"/classes/{world.classroom.pk}/invitation-letters/", {"everyone": "1"})
    assert response["Content-Type"] == "application/pdf"
    printed = set(InvitationCode.objects.filter(child__classroom=world.classroom).values_list("child", flat=True))
    assert printed == {newcomer.pk, only_pending.pk}
    page = client.get(f"/classes/{world.classroom.pk}/").content.decode()
    assert 'name="everyone"' not in page


def test_a_second_guardians_code_is_a_separate_action_that_says_what_it_does(world, client):
    client.force_login(world.teacher)
    client.cookies["django_language"] = "en"
    page = client.get(f"/children/{world.child.pk}/").content.decode()
    assert "New code for another guardian" in page
    assert "Khôi already has 1 guardian. A new code lets one more person become a guardian" in page
    client.post(f"/children/{world.child.pk}/invitations/")
    assert InvitationCode.objects.filter(child=world.child).count() == 1
