"""A guardian's copy of the family's data: everything about them and their children, nothing about anyone
else's child, the photos as uploaded, a page in Vietnamese, and a link that expires."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from mediafiles.models import MediaFile
from notifications.models import Notice
from parents.models import FamilyViewer
from portfolio.models import Work, WorkPhoto
from privacy import declarations as registry
from privacy.declarations import Declaration
from privacy.exporting import export_build
from privacy.models import Export
from privacy.services_export import export_request
from privacy.tasks import exports_expire
from tests import factories as f
from tests.portfolio.printing_makers import work_make
from tests.privacy.export_kit import TEST_DECLARATIONS, archive_of, rows_in, with_declarations

pytestmark = pytest.mark.django_db


@pytest.fixture
def declared(monkeypatch):
    with_declarations(monkeypatch, *TEST_DECLARATIONS)


def vi(text: str) -> str:
    with translation.override("vi"):
        return translation.gettext(text)


@pytest.fixture
def family(world, declared):
    """The parent's two children with works, another family's children with theirs, and a child the parent
    only follows as a family viewer."""
    f.FamilyViewerFactory(child=world.other_class_child, viewer=world.parent, invited_by=world.other_parent)
    f.ConsentFactory(child=world.child, guardian=world.parent)
    f.ConsentFactory(child=world.other_class_child, guardian=world.other_parent)
    mine = [
        work_make(child=world.child, by=world.teacher, photos=2, voice=True),
        work_make(child=world.sibling, by=world.teacher, title="Con mèo", photos=1),
    ]
    others = [
        work_make(child=world.other_class_child, by=world.other_teacher, title="Bức tranh của bạn", photos=1),
        work_make(child=world.other_school_child, by=world.foreign_teacher, title="Ngôi nhà", photos=1),
    ]
    return mine, others


def built_for(user, django_capture_on_commit_callbacks) -> Export:
    with django_capture_on_commit_callbacks(execute=True):
        export = export_request(user=user)
    export.refresh_from_db()
    return export


def test_every_declared_record_of_the_family_is_in_the_copy(world, family, django_capture_on_commit_callbacks):
    family_ids = [world.child.pk, world.sibling.pk]
    # What the family's copy must hold, read before it is made (making it sends a notice, and so on).
    expected_by_model = {}
    for declaration in registry.declarations():
        model = declaration.model
        about = Q()
        for path in declaration.people:
            about |= Q(**{path: world.parent.pk})
        if declaration.child:
            # The parent's own rows, unless about a child outside the family; every row of the children.
            outside = Q(**{f"{declaration.child}__isnull": False}) & ~Q(**{f"{declaration.child}__in": family_ids})
            about = (about & ~outside if about.children else about) | Q(**{f"{declaration.child}__in": family_ids})
        if not about.children:
            continue
        expected = model._default_manager.filter(about)
        if declaration.export_filter is not None:
            expected = declaration.export_filter(expected, user=world.parent, child_ids=family_ids)
        expected_by_model[model] = {
            str(pk) if not isinstance(pk, int) else pk for pk in expected.values_list("pk", flat=True)
        }
    export = built_for(world.parent, django_capture_on_commit_callbacks)
    assert export.status == Export.Status.READY, export.error
    archive = archive_of(export)
    for model, expected_ids in expected_by_model.items():
        exported = {row[model._meta.pk.name] for row in rows_in(archive, model)}
        assert expected_ids <= exported, f"{model._meta.label}: {expected_ids - exported} missing"

    mine, _others = family
    works = {row["id"]: row for row in rows_in(archive, Work)}
    assert set(works) == {work.pk for work in mine}
    assert works[mine[0].pk]["child"] == world.child.pk  # a ForeignKey as its id
    assert works[mine[0].pk]["made_on"] == "2026-11-20"  # dates in ISO
    assert "created_by" not in works[mine[0].pk]  # the staff member who recorded it is left out
    assert "token" not in works[mine[0].pk]  # a secret declared as excluded
    photos = {row["id"] for row in rows_in(archive, WorkPhoto)}
    assert photos == set(WorkPhoto.objects.filter(work__in=mine).values_list("pk", flat=True))
    consents = rows_in(archive, world.parent.consents.model)
    assert consents and {row["child"] for row in consents} <= {world.child.pk, world.sibling.pk}
    assert export.counts["portfolio.Work"] >= 2
    assert export.size == export.file.size > 0
    assert export.expires_at > timezone.now() + datetime.timedelta(days=1)


def test_no_other_child_is_in_the_copy_not_even_one_the_parent_follows(
    world, family, django_capture_on_commit_callbacks
):
    _mine, others = family
    export = built_for(world.parent, django_capture_on_commit_callbacks)
    archive = archive_of(export)
    strangers = {world.other_class_child.pk, world.other_school_child.pk}
    for name in archive.namelist():
        if name.endswith(".json"):
            for row in json.loads(archive.read(name)):
                assert row.get("child") not in strangers, name
    assert not {row["id"] for row in rows_in(archive, Work)} & {work.pk for work in others}
    names = set(archive.namelist())
    for work in others:
        for photo in work.photos.all():
            assert not any(str(photo.media_id) in name for name in names)
    followed = {(row["child"], row["viewer"]) for row in rows_in(archive, FamilyViewer)}
    assert followed == {(world.child.pk, world.family_viewer.pk)}  # the grandmother who follows the son, only
    index = archive.read("index.html").decode()
    assert world.other_class_child.full_name not in index
    assert world.other_school_child.full_name not in index
    assert world.child.full_name in index and world.sibling.full_name in index


def test_the_photos_and_recordings_are_the_originals_as_uploaded(world, family, django_capture_on_commit_callbacks):
    mine, _others = family
    archive = archive_of(built_for(world.parent, django_capture_on_commit_callbacks))
    media = [photo.media for work in mine for photo in work.photos.all()] + [mine[0].voice]
    index = archive.read("index.html").decode()
    for item in media:
        [name] = [n for n in archive.namelist() if n.startswith(f"files/{item.pk}")]
        with default_storage.open(item.original.name, "rb") as original:
            assert archive.read(name) == original.read()
        if item.kind == "image":
            assert f'<img src="{name}"' in index
        else:
            assert f'href="{name}"' in index


def test_the_index_is_in_vietnamese_and_reads_offline(world, family, django_capture_on_commit_callbacks):
    archive = archive_of(built_for(world.parent, django_capture_on_commit_callbacks))
    index = archive.read("index.html").decode()
    assert '<html lang="vi">' in index
    assert vi("A copy of your family's data") in index
    assert "Works of the children (test)" in index
    assert 'href="data/portfolio/work.json"' in index
    assert "http://" not in index and "https://" not in index and "<link" not in index and "<script" not in index
    assert "README.txt" in archive.namelist()


def test_the_person_is_told_with_a_link_to_the_page(world, family, django_capture_on_commit_callbacks):
    export = built_for(world.parent, django_capture_on_commit_callbacks)
    notice = Notice.objects.get(recipient=world.parent, dedupe_key=f"privacy:export:{export.pk}:ready")
    assert notice.url == "/privacy/exports/"


def test_a_declaration_that_fails_leaves_the_copy_failed_with_the_reason(world, monkeypatch):
    def broken(queryset, *, user, child_ids):
        raise RuntimeError("the app's filter broke")

    with_declarations(
        monkeypatch,
        Declaration(
            app_label="portfolio",
            model_label="portfolio.Work",
            holds="Works",
            purpose="x",
            ground="consent",
            retention="x",
            child="child",
            export_filter=broken,
        ),
        only=True,
    )
    export = Export.objects.create(user=world.parent)
    assert export_build(export_id=export.pk) == "failed"
    export.refresh_from_db()
    assert export.status == Export.Status.FAILED
    assert "the app's filter broke" in export.error
    assert not export.file


def test_asking_twice_while_it_is_being_prepared_makes_one_copy(world, declared):
    first = export_request(user=world.parent)
    assert export_request(user=world.parent) == first
    assert Export.objects.filter(user=world.parent).count() == 1


# --- The pages ------------------------------------------------------------------------------------------


def test_the_page_asks_for_a_copy_and_lists_it_ready(client, world, family, django_capture_on_commit_callbacks):
    client.force_login(world.parent)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/privacy/exports/")
    assert response.status_code == 302
    export = Export.objects.get(user=world.parent)
    assert export.status == Export.Status.READY
    page = client.get("/privacy/exports/").content.decode()
    assert vi("A copy of your data") in page
    assert f"/privacy/exports/{export.token}/download/" in page
    assert world.child.full_name in page and world.other_class_child.full_name not in page


def test_the_person_downloads_their_copy(client, world, family, django_capture_on_commit_callbacks):
    export = built_for(world.parent, django_capture_on_commit_callbacks)
    client.force_login(world.parent)
    response = client.get(f"/privacy/exports/{export.token}/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert b"".join(response.streaming_content)[:2] == b"PK"
    export.refresh_from_db()
    assert export.downloaded_at is not None


def ready_export(user, **fields) -> Export:
    export = Export.objects.create(
        user=user,
        status=Export.Status.READY,
        finished_at=timezone.now(),
        expires_at=timezone.now() + datetime.timedelta(days=7),
        **fields,
    )
    export.file.save("copy.zip", ContentFile(b"PK\x05\x06" + b"\0" * 18), save=True)
    return export


@pytest.mark.parametrize("how", ["past its date", "marked expired"])
def test_an_expired_link_answers_410_and_changes_nothing(client, world, how):
    export = ready_export(world.parent)
    if how == "past its date":
        Export.objects.filter(pk=export.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    else:
        Export.objects.filter(pk=export.pk).update(status=Export.Status.EXPIRED)
    before = Export.objects.filter(pk=export.pk).values().get()
    client.force_login(world.parent)
    response = client.get(f"/privacy/exports/{export.token}/download/")
    assert response.status_code == 410
    assert vi("This link has expired") in response.content.decode()
    assert Export.objects.filter(pk=export.pk).values().get() == before
    assert default_storage.exists(export.file.name)


@pytest.mark.parametrize("persona", ["other_parent", "family_viewer", "principal", "superuser"])
def test_anyone_else_gets_404(client, world, persona):
    export = ready_export(world.parent)
    client.force_login(world.persona(persona))
    assert client.get(f"/privacy/exports/{export.token}/download/").status_code == 404
    export.refresh_from_db()
    assert export.downloaded_at is None


def test_signed_out_the_link_asks_to_sign_in(client, world):
    export = ready_export(world.parent)
    response = client.get(f"/privacy/exports/{export.token}/download/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_daily_cleanup_deletes_old_copies_and_keeps_new_ones(world):
    old, new = ready_export(world.parent), ready_export(world.other_parent)
    Export.objects.filter(pk=old.pk).update(expires_at=timezone.now() - datetime.timedelta(hours=1))
    old_name = old.file.name
    assert exports_expire(now=timezone.now()) == 1
    old.refresh_from_db()
    new.refresh_from_db()
    assert old.status == Export.Status.EXPIRED and not old.file and not default_storage.exists(old_name)
    assert new.status == Export.Status.READY and default_storage.exists(new.file.name)
    assert exports_expire(now=timezone.now()) == 0


def test_media_are_left_in_place(world, family, django_capture_on_commit_callbacks):
    count = MediaFile.objects.count()
    built_for(world.parent, django_capture_on_commit_callbacks)
    assert MediaFile.objects.count() == count


def test_the_persons_own_account_is_in_the_copy_without_the_password(world, monkeypatch):
    with_declarations(
        monkeypatch,
        Declaration(
            app_label="accounts",
            model_label="accounts.User",
            holds="Your account (test)",
            purpose="test",
            ground="contract",
            retention="test",
            people=("pk",),
        ),
        only=True,
    )
    export = Export.objects.create(user=world.parent)
    assert export_build(export_id=export.pk) == "ready"
    export.refresh_from_db()
    [account] = rows_in(archive_of(export), type(world.parent))
    assert account["id"] == world.parent.pk and account["email"] == world.parent.email
    assert "password" not in account


def test_the_page_asks_the_database_the_same_number_of_times_with_more_copies(client, world):
    client.force_login(world.parent)
    ready_export(world.parent)
    with CaptureQueriesContext(connection) as one:
        assert client.get("/privacy/exports/").status_code == 200
    for _ in range(5):
        ready_export(world.parent)
    with CaptureQueriesContext(connection) as six:
        assert client.get("/privacy/exports/").status_code == 200
    assert len(six) == len(one)


def test_media_declared_across_a_relation_are_all_copied(world, monkeypatch):
    work = work_make(child=world.child, by=world.teacher, photos=3)
    with_declarations(
        monkeypatch,
        Declaration(
            app_label="portfolio",
            model_label="portfolio.Work",
            holds="Works with their photos (test)",
            purpose="test",
            ground="consent",
            retention="test",
            child="child",
            media=("photos__media",),
        ),
        only=True,
    )
    export = Export.objects.create(user=world.parent)
    assert export_build(export_id=export.pk) == "ready"
    export.refresh_from_db()
    names = archive_of(export).namelist()
    for photo in work.photos.all():
        assert any(name.startswith(f"files/{photo.media_id}") for name in names)
