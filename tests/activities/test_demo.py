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
    oldest = Activity.objects.get(title="Gấp thuyền giấy và thả thuyền")
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
