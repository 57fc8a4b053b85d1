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
