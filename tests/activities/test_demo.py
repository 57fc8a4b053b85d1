"""seed_demo gives a realistic week of home activities, and running it again adds nothing."""

from __future__ import annotations

import pytest

from activities.demo import WEEK
from activities.models import Activity, ActivityView, Answer
from mediafiles.models import MediaFile
from schools.models import Classroom

pytestmark = pytest.mark.django_db


def counts():
    return (Activity.objects.count(), Answer.objects.count(), ActivityView.objects.count(), MediaFile.objects.count())


def check_the_demo_week_of_home_activities(client):
    """Called by tests/test_demo.py on the demo seeded once for every app's checks."""
    assert all(counts())

    la1 = Classroom.objects.get(school__slug="sao-mai", school_year__is_current=True, name="Lá 1")
    week = Activity.objects.filter(links__classroom=la1, state="published", video__isnull=False)
    assert week.count() == 5 or not MediaFile.objects.filter(kind="video").exists()
    assert not MediaFile.objects.exclude(state="ready").exists()
    assert Activity.objects.filter(state="draft").count() == 1

    # About two thirds of the families with an account answered the activities of the first days.
    oldest = Activity.objects.get(school__slug="sao-mai", title="Gấp thuyền giấy và thả thuyền")
    families = la1.children.filter(guardianships__isnull=False).distinct().count()
    assert 0.5 <= oldest.answers.count() / families <= 0.9
    assert oldest.answers.exclude(feedback_at=None).exists()
    assert Answer.objects.filter(sharing="approved").exists()

    # The demo parent: two answers in Lá 1 (one with a star), the rest left to try.
    assert client.login(username="parent@saomai.test", password="demo-pass-2026")
    khoi = la1.children.get(full_name="Nguyễn Minh Khôi")
    mine = Answer.objects.filter(child=khoi, activity__title__in=[plan.title for plan in WEEK])
    assert mine.count() == 2 and mine.filter(sticker="star").exists()
    feed = client.get(f"/children/{khoi.pk}/activities/").content.decode()
    assert "Cùng bố mẹ tưới cây, lau lá" in feed and f"/children/{khoi.pk}/answer/" in feed

    assert client.login(username="principal@saomai.test", password="demo-pass-2026")
    chart = client.get("/schools/sao-mai/activities/participation/").content.decode()
    assert chart.count('<circle class="dot"') >= 12


def check_the_demo_library(client):
    """Called by tests/test_demo.py: the ward's library holds activities of Sao Mai and Hoa Sen, Hoa Sen
    copied one of Sao Mai's, and Sao Mai's public page shows the ward's commendation."""
    from activities.demo import COMMENDATIONS, LIBRARY_APPROVED
    from activities.models import LibraryAdoption, LibraryEntry

    ward = LibraryEntry.objects.filter(authority__officers__user__email="district@thuynguyen.test")
    assert set(ward.values_list("school__slug", flat=True)) == {"sao-mai", "hoa-sen"}
    assert ward.filter(state="approved", school__slug="hoa-sen").exists()
    copy = LibraryAdoption.objects.get(school__slug="hoa-sen", entry__activity__title=LIBRARY_APPROVED)
    assert copy.source_school_name == "Trường Mầm non Sao Mai"
    assert copy.activity.is_published and copy.activity.school.slug == "hoa-sen"
    copied_media = [p.media for p in copy.activity.photos.all()] + [m for m in (copy.activity.video,) if m]
    assert copied_media and all(m.school.slug == "hoa-sen" for m in copied_media)

    public = client.get("/schools/sao-mai/").content.decode()
    assert all(text in public for _name, text in COMMENDATIONS)
