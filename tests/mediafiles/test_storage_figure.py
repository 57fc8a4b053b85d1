"""A school's storage figure: the principal sees it on the school's page; nobody else sees it."""

from __future__ import annotations

import pytest

from mediafiles import selectors, services
from mediafiles.models import State

pytestmark = pytest.mark.django_db


def test_the_figure_sums_what_the_schools_files_take_with_their_renditions(world, clip, photo, tmp_path):
    video = services.media_ingest(school=world.school, by=world.teacher, kind="video", path=clip)
    picture = services.media_ingest(school=world.school, by=world.parent, kind="image", path=photo)
    services.media_upload_start(school=world.school, by=world.parent, kind="video", filename="b.mp4", size=5000)
    fake = tmp_path / "x.mp4"
    fake.write_bytes(b"no video" * 10)
    services.media_ingest(school=world.school, by=world.parent, kind="video", path=fake)  # failed: nothing kept
    elsewhere = services.media_ingest(school=world.other_school, by=world.other_principal, kind="image", path=photo)

    figure = selectors.school_media_storage(user=world.principal, school=world.school)
    assert figure.stored_bytes == video.stored_bytes + picture.stored_bytes
    assert video.stored_bytes > video.size  # the rendition, the poster and the thumbnail count
    assert (figure.videos, figure.photos, figure.files, figure.uploading) == (1, 1, 2, 1)
    assert elsewhere.state == State.READY


def test_only_the_schools_leaders_get_the_figure(world):
    assert selectors.school_media_storage(user=world.principal, school=world.school) is not None
    for person in (world.teacher, world.parent, world.other_principal, world.officer):
        assert selectors.school_media_storage(user=person, school=world.school) is None


def test_the_figure_costs_one_query(world, django_assert_num_queries):
    world.principal._portal_access = None
    selectors.school_media_storage(user=world.principal, school=world.school)  # memberships read once
    with django_assert_num_queries(1):
        selectors.school_media_storage(user=world.principal, school=world.school)


def test_the_principal_sees_it_on_the_schools_page(world, client, photo):
    services.media_ingest(school=world.school, by=world.teacher, kind="image", path=photo)
    client.force_login(world.principal)
    page = client.get(f"/schools/{world.school.slug}/manage/").content.decode()
    assert 'id="media-storage-title"' in page
    assert "dung lượng lưu trữ, gồm cả các bản thu nhỏ cho điện thoại" in page
