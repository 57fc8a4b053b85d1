"""The principal sets the targets and the daily meal fee; the week page says whether they are the defaults."""

from __future__ import annotations

import pytest
from django.urls import reverse

from community.models.menus import MenuTargets
from tests.community.factories_menus import FATTY_DAY, make_menu, this_monday

pytestmark = pytest.mark.django_db


def test_the_principal_widens_the_fat_range_and_sets_the_fee(client, world):
    make_menu(world.school, days={0: FATTY_DAY})
    client.force_login(world.principal)
    url = reverse("community:menu_targets", args=[world.school.pk])
    assert "The programme" in client.get(url).content.decode()
    answer = client.post(url, {"band": "mau_giao", "mau_giao-fat_max": "50", "mau_giao-daily_fee": "28000"})
    assert answer.status_code == 302
    targets = MenuTargets.objects.get(school=world.school, band="mau_giao")
    assert (targets.fat_max, targets.fat_min, targets.daily_fee) == (50, None, 28_000)
    week = f"{reverse('community:menu_week', args=[world.school.pk])}?band=mau_giao&week={this_monday():%d/%m/%Y}"
    text = client.get(week).content.decode()
    assert "The school changed some of the programme" in text and "(fat)" in text
    assert "fat 49 %" not in text


def test_an_upside_down_range_is_refused(client, world):
    client.force_login(world.principal)
    url = reverse("community:menu_targets", args=[world.school.pk])
    answer = client.post(url, {"band": "nha_tre", "nha_tre-fat_min": "45", "nha_tre-fat_max": "30"})
    assert answer.status_code == 200 and "Each range must start below where it ends." in answer.content.decode()
    assert not MenuTargets.objects.exists()


def test_the_kitchen_does_not_set_targets(client, world):
    client.force_login(world.kitchen)
    assert client.get(reverse("community:menu_targets", args=[world.school.pk])).status_code == 404
