"""The admin shows a school's files read-only to its principal: state, reason, size, duration."""

from __future__ import annotations

import pytest

from mediafiles import services

pytestmark = pytest.mark.django_db


def test_the_principal_sees_the_state_reason_size_and_duration(world, client, clip, tmp_path):
    services.media_ingest(school=world.school, by=world.teacher, kind="video", path=clip)
    fake = tmp_path / "fake.mp4"
    fake.write_bytes(b"not a video" * 10)
    services.media_ingest(school=world.school, by=world.parent, kind="video", path=fake)
    other = world.other_school
    services.media_ingest(school=other, by=world.other_principal, kind="video", path=clip, filename="x.mp4")

    client.force_login(world.principal)
    page = client.get("/admin/mediafiles/mediafile/").content.decode()
    assert "lesson.mp4" in page and "fake.mp4" in page and "x.mp4" not in page
    assert "không phải là video" in page
    assert "0:02" in page
