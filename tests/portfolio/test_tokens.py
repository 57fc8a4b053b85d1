"""A work's code: 256 random bits from `secrets`, URL-safe, unique; replacing it (a lost label, one
stuck on the wrong work) tells the child's guardians and nobody else, and the new code works."""

from __future__ import annotations

import base64
import re
from unittest import mock

import pytest
import time_machine
from django.db import IntegrityError, transaction

from portfolio import models as portfolio_models
from portfolio.models import TOKEN_LENGTH, TOKEN_PATTERN, RevokedToken, Work, new_token, work_url
from portfolio.services import work_code_replace
from tests.portfolio.printing_makers import work_make

pytestmark = pytest.mark.django_db

TITLE = "Con thuyền giấy"


@pytest.fixture(autouse=True)
def _english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def test_a_code_is_256_random_bits_from_secrets_url_safe():
    token = new_token()
    assert len(token) == TOKEN_LENGTH == 43 and re.fullmatch(TOKEN_PATTERN, token)
    assert len(base64.urlsafe_b64decode(token + "=")) == 32  # 256 bits
    with mock.patch.object(portfolio_models.secrets, "token_urlsafe", return_value="x" * 43) as made:
        assert new_token() == "x" * 43
    made.assert_called_once_with(32)


def test_many_codes_are_all_different_and_use_the_whole_alphabet():
    tokens = {new_token() for _ in range(20_000)}
    assert len(tokens) == 20_000
    assert set("".join(tokens)) == set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def test_each_work_gets_its_own_code_and_the_database_refuses_a_second_one(world):
    first = work_make(child=world.child, by=world.teacher)
    second = work_make(child=world.child, by=world.teacher)
    assert first.token != second.token and re.fullmatch(TOKEN_PATTERN, first.token)
    assert work_url(first).endswith(f"/w/{first.token}") and "?" not in work_url(first)
    with pytest.raises(IntegrityError), transaction.atomic():
        Work.objects.filter(pk=second.pk).update(token=first.token)
    with pytest.raises(IntegrityError), transaction.atomic():
        RevokedToken.objects.create(school=world.school, work=second, token="y" * 43)
        RevokedToken.objects.create(school=world.school, work=first, token="y" * 43)


# --- Replacing a code -----------------------------------------------------------------------------------


@pytest.fixture
def replaced(world):
    """Khôi's work with its code replaced: the work with its new code, and the old code."""
    work = work_make(child=world.child, by=world.teacher, title=TITLE)
    old = work.token
    return work_code_replace(work=work, by=world.teacher), old


def test_replacing_keeps_the_old_code_and_gives_a_new_one(world, replaced):
    work, old = replaced
    assert work.token != old and re.fullmatch(TOKEN_PATTERN, work.token)
    revoked = RevokedToken.objects.get()
    assert (revoked.token, revoked.work_id, revoked.revoked_by) == (old, work.pk, world.teacher)


def test_the_guardian_opening_the_old_code_is_told_with_a_link_to_the_work(client, world, replaced):
    work, old = replaced
    client.force_login(world.parent)
    response = client.get(f"/w/{old}")
    html = response.content.decode()
    assert response.status_code == 200 and "This label was replaced" in html
    assert f'href="/w/{work.token}"' in html
    assert client.get(f"/w/{work.token}").status_code == 200


@pytest.mark.parametrize(
    "persona", ["family_viewer", "teacher", "principal", "nurse", "other_parent", "foreign_parent"]
)
def test_everyone_else_gets_the_404_for_the_old_code_and_the_new_one_works_for_those_who_see_it(
    client, world, replaced, persona
):
    work, old = replaced
    client.force_login(world.persona(persona))
    old_answer = client.get(f"/w/{old}")
    unknown = client.get(f"/w/{new_token()}")
    assert old_answer.status_code == 404 and old_answer.content == unknown.content
    expected = 404 if persona in ("other_parent", "foreign_parent") else 200
    assert client.get(f"/w/{work.token}").status_code == expected


def test_the_former_guardian_is_told_during_the_period_and_not_after(client, world):
    work = work_make(child=world.left_child, by=world.teacher, classroom=world.classroom, title=TITLE)
    old = work.token
    work = work_code_replace(work=work, by=world.teacher)
    with time_machine.travel("2027-05-28 10:00 +07:00"):
        client.force_login(world.former_parent)
        assert client.get(f"/w/{old}").status_code == 200
        assert client.get(f"/w/{work.token}").status_code == 200
    with time_machine.travel("2027-06-01 10:00 +07:00"):
        client.force_login(world.former_parent)
        assert client.get(f"/w/{old}").status_code == 404
        assert client.get(f"/w/{work.token}").status_code == 404


def test_replacing_twice_keeps_both_old_codes_telling_the_guardian(client, world):
    work = work_make(child=world.child, by=world.teacher)
    first = work.token
    work = work_code_replace(work=work, by=world.teacher)
    second = work.token
    work = work_code_replace(work=work, by=world.teacher)
    client.force_login(world.parent)
    for old in (first, second):
        assert f'href="/w/{work.token}"' in client.get(f"/w/{old}").content.decode()


def test_only_those_who_record_the_class_works_replace_a_code(world):
    from django.core.exceptions import PermissionDenied

    work = work_make(child=world.child, by=world.teacher)
    for persona in ("parent", "nurse", "other_teacher", "family_viewer"):
        with pytest.raises(PermissionDenied):
            work_code_replace(work=work, by=world.persona(persona))
    assert not RevokedToken.objects.exists()
