"""Recording works in one sitting, changing a work, its voice note and its code (portfolio.services)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mediafiles.models import State
from portfolio import services
from portfolio.models import RevokedToken, Work, WorkPhoto
from schools.models import school_today
from tests import factories as f
from tests.portfolio.printing_makers import photo_make, voice_make, work_make

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def consent(child, purpose="portfolio_photos", granted=True):
    guardian = child.guardianships.first().guardian if child.guardianships.exists() else f.UserFactory()
    return f.ConsentFactory(child=child, guardian=guardian, purpose=purpose, granted=granted)


@pytest.fixture
def lan(world):
    """A second child of Lá 1, with a guardian who agreed to portfolio photos."""
    child = f.ChildFactory(classroom=world.classroom, full_name="Trần Ngọc Lan")
    f.GuardianshipFactory(child=child)
    consent(child)
    return child


@pytest.fixture
def khoi(world):
    consent(world.child)
    return world.child


def photo(world, size=(80, 60)):
    return photo_make(school=world.school, by=world.teacher, size=size)


def record(world, **kwargs):
    values = {
        "classroom": world.classroom,
        "by": world.teacher,
        "title": "Bức tranh gia đình",
        "domain": "aesthetic",
        "made_on": school_today(),
    }
    values.update(kwargs)
    return services.works_record(**values)


def test_one_work_per_child_with_the_photos_given_to_them(world, khoi, lan, django_capture_on_commit_callbacks):
    a, b, c = photo(world, (80, 60)), photo(world, (81, 60)), photo(world, (82, 60))
    with django_capture_on_commit_callbacks(execute=True):
        sitting = record(
            world,
            description="Vẽ bằng sáp màu",
            teacher_note="Khôi tự chọn màu.",
            photos_by_child={khoi.pk: [str(a.pk), str(b.pk)], lan.pk: [str(c.pk)]},
        )
    assert sitting.duplicates == 0
    works = {w.child_id: w for w in Work.objects.all()}
    assert set(works) == {khoi.pk, lan.pk}
    assert [p.media_id for p in works[khoi.pk].photos.all()] == [a.pk, b.pk]
    assert [p.media_id for p in works[lan.pk].photos.all()] == [c.pk]
    khoi_work = works[khoi.pk]
    assert (khoi_work.title, khoi_work.domain, khoi_work.description, khoi_work.teacher_note) == (
        "Bức tranh gia đình",
        "aesthetic",
        "Vẽ bằng sáp màu",
        "Khôi tự chọn màu.",
    )
    assert khoi_work.classroom == world.classroom and khoi_work.created_by == world.teacher
    assert khoi_work.qr_ready, "the QR images are built on commit"
    assert works[khoi.pk].token != works[lan.pk].token


def test_children_without_consent_get_a_work_without_a_photo(world, lan):
    sitting = record(world, children_without_photo=[world.child.pk], photos_by_child={lan.pk: [photo(world).pk]})
    assert len(sitting.works) == 2
    khoi_work = Work.objects.get(child=world.child)
    assert khoi_work.photos.count() == 0


def test_the_same_photo_twice_for_one_child_in_a_sitting_is_stored_once(world, khoi):
    first, again = photo(world), photo(world)  # the same picture uploaded twice: the same SHA-256
    assert first.sha256 == again.sha256 and first.pk != again.pk
    sitting = record(world, photos_by_child={khoi.pk: [first.pk, again.pk]})
    assert sitting.duplicates == 1
    assert list(WorkPhoto.objects.values_list("media_id", flat=True)) == [first.pk]


def test_a_photo_among_the_childs_earlier_works_is_flagged_not_stored(world, khoi):
    record(world, photos_by_child={khoi.pk: [photo(world).pk]})
    again, other = photo(world), photo(world, (90, 70))
    sitting = record(world, title="Con thuyền", photos_by_child={khoi.pk: [again.pk, other.pk]})
    assert sitting.duplicates == 1
    newest = Work.objects.get(title="Con thuyền")
    assert [p.media_id for p in newest.photos.all()] == [other.pk]


def test_the_same_picture_for_two_children_is_kept_for_each(world, khoi, lan):
    mine, theirs = photo(world), photo(world)  # a group photo, uploaded once for each child
    sitting = record(world, photos_by_child={khoi.pk: [mine.pk], lan.pk: [theirs.pk]})
    assert sitting.duplicates == 0
    assert WorkPhoto.objects.count() == 2


def test_one_upload_given_to_two_children_is_refused(world, khoi, lan):
    media = photo(world)
    with pytest.raises(ValidationError) as caught:
        record(world, photos_by_child={khoi.pk: [media.pk], lan.pk: [media.pk]})
    assert "One photo was given to two children" in str(caught.value)
    assert not Work.objects.exists()


def test_a_photo_for_a_child_without_consent_is_refused_and_nothing_is_saved(world, lan):
    consent(world.child, granted=False)
    with pytest.raises(ValidationError) as caught:
        record(world, photos_by_child={lan.pk: [photo(world).pk], world.child.pk: [photo(world, (90, 90)).pk]})
    assert "The guardians of Khôi have not agreed to photos in the portfolio" in caught.value.message_dict["photos"][0]
    assert not Work.objects.exists() and not WorkPhoto.objects.exists()


def test_a_child_of_another_class_is_refused(world, khoi):
    consent(world.other_class_child)
    with pytest.raises(ValidationError) as caught:
        record(world, photos_by_child={khoi.pk: [photo(world).pk]}, children_without_photo=[world.other_class_child.pk])
    assert caught.value.message_dict["children"] == ["This child is not in the class."]
    assert not Work.objects.exists()


def test_a_child_who_left_is_refused(world):
    with pytest.raises(ValidationError):
        record(world, children_without_photo=[world.left_child.pk])
    assert not Work.objects.exists()


def test_a_date_in_the_future_and_no_title_are_refused(world, khoi):
    with pytest.raises(ValidationError) as caught:
        record(world, title="  ", made_on=school_today() + datetime.timedelta(days=1), children_without_photo=[khoi.pk])
    errors = caught.value.message_dict
    assert errors["made_on"] == ["The date cannot be in the future."]
    assert errors["title"] == ["Give the work a title, for example “My family”."]
    assert not Work.objects.exists()


def test_nothing_to_record_is_refused(world):
    with pytest.raises(ValidationError) as caught:
        record(world)
    assert "Assign the photos to children" in caught.value.message_dict["children"][0]


def test_a_refused_file_is_named_with_its_reason(world, khoi, tmp_path):
    from mediafiles import services as media_services

    text = tmp_path / "notes.jpg"
    text.write_bytes(b"this is not a picture at all" * 20)
    bad = media_services.media_ingest(school=world.school, by=world.teacher, kind="image", path=text)
    assert bad.state == State.FAILED
    with pytest.raises(ValidationError) as caught:
        record(world, photos_by_child={khoi.pk: [photo(world).pk, bad.pk]})
    message = caught.value.message_dict["photos"][0]
    assert message.startswith("notes.jpg: This file could not be used:")
    assert bad.failure_reason in message
    assert not Work.objects.exists()


def test_someone_elses_upload_and_a_sound_are_refused(world, khoi):
    theirs = photo_make(school=world.school, by=world.principal)
    with pytest.raises(ValidationError) as caught:
        record(world, photos_by_child={khoi.pk: [theirs.pk]})
    assert caught.value.message_dict["photos"] == ["This file was not found. Please upload it again."]
    sound = voice_make(school=world.school, by=world.teacher)
    with pytest.raises(ValidationError) as caught:
        record(world, photos_by_child={khoi.pk: [sound.pk]})
    assert caught.value.message_dict["photos"][0].endswith("This file is not a photo. Choose a photo.")
    assert not Work.objects.exists()


def test_a_teacher_of_another_class_may_not_record(world, khoi):
    with pytest.raises(PermissionDenied):
        record(world, by=world.other_teacher, children_without_photo=[khoi.pk])


def test_a_leader_may_record(world, khoi):
    sitting = services.works_record(
        classroom=world.classroom,
        by=world.principal,
        title="Lá cây",
        domain="cognitive",
        made_on=school_today(),
        children_without_photo=[khoi.pk],
    )
    assert sitting.works[0].created_by == world.principal


# --- Changing a work ---------------------------------------------------------------------------------


def test_work_update_changes_the_fields_and_the_photos(world, khoi):
    work = work_make(child=khoi, by=world.teacher, photos=2)
    removed = work.photos.first()
    added = photo(world, (120, 90))
    services.work_update(
        work=work,
        by=world.teacher,
        title="Bức tranh mùa thu",
        domain="language",
        made_on=datetime.date(2026, 11, 21),
        description="Kể chuyện",
        teacher_note="Rất hay",
        add_photos=[added.pk],
        remove_photos=[removed.pk],
    )
    work.refresh_from_db()
    assert (work.title, work.domain, work.made_on, work.description, work.teacher_note) == (
        "Bức tranh mùa thu",
        "language",
        datetime.date(2026, 11, 21),
        "Kể chuyện",
        "Rất hay",
    )
    assert removed.pk not in set(work.photos.values_list("pk", flat=True))
    assert added.pk in set(work.photos.values_list("media_id", flat=True))
    assert work.photos.count() == 2


def test_work_update_flags_a_photo_the_child_already_has(world, khoi):
    work = record(world, photos_by_child={khoi.pk: [photo(world).pk]}).works[0]
    again = photo(world)  # the same picture as the work's photo
    attached = services.work_update(
        work=work, by=world.teacher, title=work.title, domain=work.domain, made_on=work.made_on, add_photos=[again.pk]
    )
    assert [m.pk for m in attached.duplicates] == [again.pk]
    assert work.photos.count() == 1


def test_work_update_refuses_photos_without_consent_and_changes_nothing(world):
    work = work_make(child=world.child, by=world.teacher)
    with pytest.raises(ValidationError) as caught:
        services.work_update(
            work=work,
            by=world.teacher,
            title="Khác",
            domain="aesthetic",
            made_on=work.made_on,
            add_photos=[photo(world).pk],
        )
    assert "have not agreed to photos" in caught.value.message_dict["photos"][0]
    work.refresh_from_db()
    assert work.title == "Bức tranh gia đình"


def test_work_update_by_another_class_teacher_is_refused(world):
    work = work_make(child=world.child, by=world.teacher)
    with pytest.raises(PermissionDenied):
        services.work_update(work=work, by=world.other_teacher, title="x", domain="aesthetic", made_on=work.made_on)


# --- The voice note ------------------------------------------------------------------------------------


def test_voice_note_with_the_consent(world):
    consent(world.child, "voice_recordings")
    work = work_make(child=world.child, by=world.teacher)
    sound = voice_make(school=world.school, by=world.teacher)
    services.work_voice_set(work=work, by=world.teacher, voice=sound.pk)
    work.refresh_from_db()
    assert work.voice_id == sound.pk


def test_voice_note_without_the_consent_is_refused(world):
    consent(world.child, "portfolio_photos")  # photos, not voice
    work = work_make(child=world.child, by=world.teacher)
    sound = voice_make(school=world.school, by=world.teacher)
    with pytest.raises(ValidationError) as caught:
        services.work_voice_set(work=work, by=world.teacher, voice=sound.pk)
    assert caught.value.message_dict["voice"] == [
        "The guardians of Khôi have not agreed to voice recordings: the work is kept without a voice note."
    ]
    work.refresh_from_db()
    assert work.voice_id is None


def test_a_photo_is_not_a_voice_note(world):
    consent(world.child, "voice_recordings")
    work = work_make(child=world.child, by=world.teacher)
    with pytest.raises(ValidationError) as caught:
        services.work_voice_set(work=work, by=world.teacher, voice=photo(world).pk)
    assert "not a sound recording" in caught.value.message_dict["voice"][0]


# --- The code --------------------------------------------------------------------------------------------


def test_replacing_the_code_keeps_the_old_one_and_builds_new_images(world, django_capture_on_commit_callbacks):
    work = work_make(child=world.child, by=world.teacher)
    old = work.token
    with django_capture_on_commit_callbacks(execute=True):
        replaced = services.work_code_replace(work=work, by=world.teacher)
    replaced.refresh_from_db()
    assert replaced.token != old and len(replaced.token) == 43
    assert RevokedToken.objects.get(token=old).work == work
    assert replaced.qr_ready and replaced.qr_token == replaced.token


def test_replacing_the_code_by_someone_else_is_refused(world):
    work = work_make(child=world.child, by=world.teacher)
    with pytest.raises(PermissionDenied):
        services.work_code_replace(work=work, by=world.nurse)
    assert not RevokedToken.objects.exists()
