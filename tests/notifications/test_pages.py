"""The notice list and the bell: own notices only, newest first, a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.models import Notice

pytestmark = pytest.mark.django_db


def notices(user, n, **extra):
    return [
        Notice.objects.create(recipient=user, category="activity", title=f"Thông báo {i}", dedupe_key=f"k{i}", **extra)
        for i in range(n)
    ]


def page(client, url="/notifications/"):
    response = client.get(url)
    assert response.status_code == 200
    return response


def test_the_list_shows_my_notices_newest_first(world, client):
    mine = notices(world.parent, 3, school=world.school)
    Notice.objects.create(recipient=world.other_parent, category="activity", title="Của người khác", dedupe_key="x")
    client.force_login(world.parent)
    html = page(client).content.decode()
    assert html.index("Thông báo 2") < html.index("Thông báo 1") < html.index("Thông báo 0")
    assert "Của người khác" not in html
    assert "Sao Mai" in html and len(mine) == 3


def test_twenty_per_page(world, client):
    notices(world.parent, 25)
    client.force_login(world.parent)
    first = page(client).context["page"]
    second = page(client, "/notifications/?page=2").context["page"]
    assert len(first.object_list) == 20 and len(second.object_list) == 5
    assert page(client, "/notifications/?page=99").context["page"].number == 2


def queries_for(client, url) -> int:
    page(client, url)  # the person's cached values in place
    with CaptureQueriesContext(connection) as captured:
        page(client, url)
    return len(captured)


@pytest.mark.parametrize("url", ["/notifications/", "/family/"])
def test_a_fixed_number_of_queries_for_1_or_30_notices(world, client, url):
    client.force_login(world.parent)
    notices(world.parent, 1, school=world.school)
    one = queries_for(client, url)
    Notice.objects.all().delete()
    notices(world.parent, 30, school=world.school)
    assert queries_for(client, url) == one


def test_the_bell_counts_unread_notices_in_one_query_then_none(world, client):
    notices(world.parent, 3)
    Notice.objects.filter(title="Thông báo 0").update(read_at="2026-03-02T10:00:00+07:00")
    client.force_login(world.parent)
    response = page(client, "/family/")
    assert response.context["notifications_unread"] == 2
    assert 'class="badge ok">2<span class="visually-hidden">' in response.content.decode()

    with CaptureQueriesContext(connection) as captured:
        page(client, "/family/")
    assert sum("notifications_notice" in q["sql"] for q in captured) == 0  # kept until a notice changes
    Notice.objects.filter(title="Thông báo 1").delete()
    with CaptureQueriesContext(connection) as captured:
        response = page(client, "/family/")
    assert sum("notifications_notice" in q["sql"] for q in captured) == 1
    assert response.context["notifications_unread"] == 1


def test_the_bell_is_not_shown_to_strangers(client, world):
    response = client.get("/schools/sao-mai/")
    assert "notifications_unread" not in response.context
    assert "/notifications/" not in response.content.decode()


def test_marking_one_read_and_opening_it(world, client):
    [notice] = notices(world.parent, 1)
    Notice.objects.filter(pk=notice.pk).update(url="/family/")
    client.force_login(world.parent)
    response = client.post(f"/notifications/{notice.pk}/read/", {"open": "1"})
    assert response.status_code == 302 and response["Location"] == "/family/"
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_marking_read_returns_to_the_same_page(world, client):
    [notice] = notices(world.parent, 1)
    client.force_login(world.parent)
    response = client.post(f"/notifications/{notice.pk}/read/", {"page": "2"})
    assert response["Location"] == "/notifications/?page=2"


def test_nobody_marks_or_reads_another_persons_notice(world, client):
    [notice] = notices(world.parent, 1)
    for person in (world.other_parent, world.teacher, world.principal):
        client.force_login(person)
        assert client.post(f"/notifications/{notice.pk}/read/").status_code == 404
        assert "Thông báo 0" not in page(client).content.decode()
    notice.refresh_from_db()
    assert notice.read_at is None


def test_reading_needs_a_post(world, client):
    [notice] = notices(world.parent, 1)
    client.force_login(world.parent)
    assert client.get(f"/notifications/{notice.pk}/read/").status_code == 405


def test_mark_all_read_touches_only_my_notices(world, client):
    notices(world.parent, 3)
    [theirs] = notices(world.other_parent, 1)
    client.force_login(world.parent)
    response = client.post("/notifications/read-all/")
    assert response.status_code == 302
    assert not Notice.objects.filter(recipient=world.parent, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert page(client).context["notifications_unread"] == 0
