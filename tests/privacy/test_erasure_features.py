"""Erasing a child's or a person's data in the feature apps: rows and stored files gone or anonymised,
another child's data untouched, and a second run finding nothing more to do."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from mediafiles.models import MediaFile
from mediafiles.services import STORED_FIELDS
from privacy.erasing import UnderLegalHold, child_erase, person_erase
from privacy.models import Erasure
from tests import factories as f
from tests.activities.makers import activity_make, answer_make, photo_make

REQUEST = Erasure.Reason.REQUEST


@pytest.fixture
def erase(django_capture_on_commit_callbacks):
    """Run an erasure the way it runs for real: the stored files go once its transactions commit."""

    def run(*, child=None, user=None, **options):
        with django_capture_on_commit_callbacks(execute=True):
            if child is not None:
                return child_erase(child=child, reason=REQUEST, **options)
            return person_erase(user=user, reason=REQUEST, **options)

    return run


def stored(media: MediaFile) -> list[str]:
    """The names of a media file's original and renditions in storage."""
    return [getattr(media, name).name for name in STORED_FIELDS if getattr(media, name).name]


def all_exist(names) -> bool:
    return bool(names) and all(default_storage.exists(name) for name in names)


def none_exist(names) -> bool:
    return not any(default_storage.exists(name) for name in names)


def app_counts(erasure: Erasure, app: str) -> dict:
    return {label: count for label, count in erasure.counts.items() if label.startswith(f"{app}.")}


FEATURES = ("announcements", "activities", "portfolio", "donations", "health", "community", "feedback", "reports")


def test_every_model_of_the_features_about_a_person_or_a_child_is_declared():
    from privacy.declarations import declarations, undeclared_models

    assert [label for label in undeclared_models() if label.split(".")[0] in FEATURES] == []
    for declaration in declarations():
        if declaration.app_label in FEATURES:
            assert declaration.holds and declaration.purpose and declaration.retention, declaration.model_label


# --- activities


def test_a_childs_answers_go_with_their_media_and_views_the_activity_stays(world, erase):
    from activities.models import Activity, ActivityView, Answer

    activity = activity_make(school=world.school, by=world.teacher, classrooms=[world.classroom])
    answer = answer_make(activity=activity, child=world.child, by=world.parent)
    files = stored(answer.media)
    classmate = f.ChildFactory(classroom=world.classroom)
    kept = answer_make(activity=activity, child=classmate, by=world.other_parent)
    ActivityView.objects.create(school=world.school, activity=activity, child=world.child, guardian=world.parent)
    ActivityView.objects.create(school=world.school, activity=activity, child=classmate, guardian=world.other_parent)
    assert all_exist(files)

    first = erase(child=world.child)

    assert not Answer.objects.filter(child=world.child).exists()
    assert not MediaFile.objects.filter(pk=answer.media_id).exists()
    assert none_exist(files)
    assert not ActivityView.objects.filter(child=world.child).exists()
    assert Activity.objects.filter(pk=activity.pk, created_by=world.teacher).exists()
    assert Answer.objects.filter(pk=kept.pk, media=kept.media).exists()
    assert all_exist(stored(kept.media))
    assert ActivityView.objects.filter(child=classmate).count() == 1
    assert first.counts["activities.Answer"] == 1
    assert app_counts(erase(child=world.child), "activities") == {}


def test_a_guardians_erasure_leaves_the_childs_answers_without_their_name(world, erase):
    from activities.models import Activity

    activity = activity_make(school=world.school, by=world.teacher, classrooms=[world.classroom])
    answer = answer_make(activity=activity, child=world.child, by=world.parent)

    erase(user=world.parent)
    erase(user=world.teacher)

    answer.refresh_from_db()
    assert answer.guardian_id is None and answer.media_id is not None
    assert Activity.objects.get(pk=activity.pk).created_by_id is None  # the teacher's activity stays


# --- portfolio


def test_a_childs_works_albums_and_their_files_go(world, erase):
    from portfolio.models import Album, RevokedToken, Work, WorkOpen, WorkPhoto
    from tests.portfolio.printing_makers import work_make

    work = work_make(child=world.child, by=world.teacher, photos=2)
    work.voice = photo_make(school=world.school, by=world.teacher)
    work.qr_svg.save("qr.svg", ContentFile(b"<svg/>"), save=False)
    work.qr_png.save("qr.png", ContentFile(b"png"), save=False)
    work.save()
    RevokedToken.objects.create(school=world.school, work=work, token="old-code", revoked_by=world.teacher)
    WorkOpen.objects.create(school=world.school, work=work, user=world.parent, by_family=True)
    album = Album.objects.create(school=world.school, child=world.child, requested_by=world.parent)
    album.pdf.save("album.pdf", ContentFile(b"%PDF"), save=False)
    album.archive.save("album.zip", ContentFile(b"PK"), save=False)
    album.save()
    media = [photo.media for photo in work.photos.all()] + [work.voice]
    files = [name for item in media for name in stored(item)]
    files += [work.qr_svg.name, work.qr_png.name, album.pdf.name, album.archive.name]
    other = work_make(child=world.other_class_child, by=world.other_teacher, photos=1)
    other_files = stored(other.photos.get().media)
    assert all_exist(files)

    first = erase(child=world.child)

    assert not Work.objects.filter(child=world.child).exists()
    assert not WorkPhoto.objects.filter(work_id=work.pk).exists()
    assert not RevokedToken.objects.exists() and not WorkOpen.objects.exists()
    assert not Album.objects.filter(child=world.child).exists()
    assert not MediaFile.objects.filter(pk__in=[item.pk for item in media]).exists()
    assert none_exist(files)
    assert Work.objects.filter(pk=other.pk).exists() and all_exist(other_files)
    assert first.counts["portfolio.Work"] == 1 and first.counts["portfolio.Album"] == 1
    assert app_counts(erase(child=world.child), "portfolio") == {}


# --- donations


@pytest.fixture
def donation(world):
    """The parent gave cash to an open campaign, with a thank-you letter bearing a child's drawing."""
    from donations.models import Comment, Donor, DonorKind, Letter
    from tests.donations import makers

    campaign = makers.opened(world)
    donor = Donor.objects.create(
        school=world.school,
        kind=DonorKind.GUARDIAN,
        user=world.parent,
        name=world.parent.full_name,
        email="hoa@example.test",
        phone="0912345678",
        address="12 Lê Lợi, Thủy Nguyên",
        tax_code="0101234567",
        display="name",
    )
    gift = makers.cash(world, campaign, 800_000, who=donor)
    other_gift = makers.cash(world, campaign, 300_000)
    drawing = photo_make(school=world.school, by=world.teacher)
    letter = Letter.objects.create(
        school=world.school,
        donor=donor,
        contribution=gift,
        drawing=drawing,
        drawing_child=world.other_class_child,
        created_by=world.accountant,
    )
    Comment.objects.create(campaign=campaign, author=world.parent, body="Nên mua lò to hơn.")
    return {"campaign": campaign, "donor": donor, "gift": gift, "other_gift": other_gift, "letter": letter}


def test_a_donor_in_a_campaign_not_settled_is_held(world, erase, donation):
    with pytest.raises(UnderLegalHold) as held:
        erase(user=world.parent)

    assert donation["campaign"].title in str(held.value)
    donation["donor"].refresh_from_db()
    assert donation["donor"].name == world.parent.full_name


def test_a_donors_erasure_anonymises_them_and_the_ledger_still_verifies(world, erase, donation):
    from donations.ledger import ledger_verify
    from donations.models import CampaignState, Comment, Contribution, LedgerEntry, Letter

    donation["campaign"].__class__.objects.filter(pk=donation["campaign"].pk).update(state=CampaignState.SETTLED)
    entries = list(LedgerEntry.objects.order_by("seq").values_list("seq", "canonical", "hash", "donor_reference"))
    gift = donation["gift"]
    drawing_files = stored(donation["letter"].drawing)
    assert ledger_verify(school=world.school).ok

    first = erase(user=world.parent)

    donor = donation["donor"]
    donor.refresh_from_db()
    with translation.override("vi"):
        assert donor.name == gettext("Donor #%(number)s") % {"number": donor.pk}
    assert (donor.user_id, donor.email, donor.phone, donor.address, donor.tax_code) == (None, "", "", "", "")
    assert donor.public_name == str(gettext("Anonymous"))
    received = Contribution.objects.get(pk=gift.pk)
    assert (received.amount, received.receipt_year, received.receipt_number, received.donor_id) == (
        800_000,
        gift.receipt_year,
        gift.receipt_number,
        donor.pk,
    )
    after = LedgerEntry.objects.order_by("seq").values_list("seq", "canonical", "hash", "donor_reference")
    assert list(after) == entries
    verification = ledger_verify(school=world.school)
    assert verification.ok and verification.entries == len(entries)
    assert not Letter.objects.filter(pk=donation["letter"].pk).exists() and none_exist(drawing_files)
    assert not Comment.objects.filter(author=world.parent).exists()
    assert Contribution.objects.get(pk=donation["other_gift"].pk).donor.name == "Công ty TNHH Bánh Mì Vàng"
    assert first.counts["donations.Donor"] == 1
    assert app_counts(erase(user=world.parent), "donations") == {}


def test_a_company_keeps_its_record_when_the_person_who_stood_for_it_is_erased(world, erase, donation):
    from donations.models import Donor, Letter
    from tests.donations import makers

    company = makers.donor(
        world, user=world.other_parent, email="ketoan@banhmivang.test", phone="0987654321", tax_code="0109999999"
    )
    makers.cash(world, donation["campaign"], 2_000_000, who=company)
    letter = Letter.objects.create(school=world.school, donor=company, created_by=world.accountant)

    erase(user=world.other_parent)  # the campaign is not settled: only a person's own gifts would hold it

    company = Donor.objects.get(pk=company.pk)
    assert (company.name, company.tax_code, company.user_id) == ("Công ty TNHH Bánh Mì Vàng", "0109999999", None)
    assert (company.email, company.phone) == ("", "")
    assert Letter.objects.filter(pk=letter.pk).exists()


def test_a_childs_erasure_takes_their_drawing_off_the_letters(world, erase, donation):
    from donations.models import Letter

    files = stored(donation["letter"].drawing)

    erase(child=world.other_class_child)

    letter = Letter.objects.get(pk=donation["letter"].pk)
    assert (letter.drawing_id, letter.drawing_child_id) == (None, None)
    assert none_exist(files)
    assert app_counts(erase(child=world.other_class_child), "donations") == {}


# --- health


def test_a_childs_health_records_go_the_read_log_stays_until_its_period_ends(world, erase):
    from health import personal_data
    from health.models import (
        Allergy,
        CheckUp,
        CheckUpAttachment,
        DietaryNeed,
        FamilyNote,
        FollowUpPlan,
        HealthRead,
        Measurement,
    )
    from tests.health.record_makers import checkups_make, measure, note_write, reads_make

    day = datetime.date(2026, 10, 1)
    measure(world.child, world.nurse, day, "16.2", "104.5")
    measure(world.other_class_child, world.nurse, day, "15.0", "100.0")
    checkup = checkups_make(world.child, 1)[0]
    report = photo_make(school=world.school, by=world.nurse)
    CheckUpAttachment.objects.create(school=world.school, checkup=checkup, media=report, title="Phiếu khám")
    files = stored(report)
    FollowUpPlan.objects.create(school=world.school, child=world.child, notes="Cân lại", opened_by=world.nurse)
    note_write(world.child, world.nurse)
    Allergy.objects.create(school=world.school, child=world.child, allergen="egg", recorded_by=world.nurse)
    DietaryNeed.objects.create(school=world.school, child=world.child, kind="no_pork", recorded_by=world.nurse)
    reads_make(world.child, world.nurse, 2)

    first = erase(child=world.child)

    for model in (Measurement, CheckUp, FollowUpPlan, FamilyNote, Allergy, DietaryNeed):
        assert not model.objects.filter(child=world.child).exists(), model
    assert not CheckUpAttachment.objects.exists() and none_exist(files)
    assert Measurement.objects.filter(child=world.other_class_child).count() == 1
    assert HealthRead.objects.filter(child=world.child).count() == 2
    reads = personal_data.access_reads(child_ids=[world.child.pk])
    assert len(reads) == 2
    assert {(row["child_id"], row["reader_id"], row["area"]) for row in reads} == {
        (world.child.pk, world.nurse.pk, "health")
    }
    assert all(row["at"] for row in reads)
    assert personal_data.access_reads(child_ids=[world.other_class_child.pk]) == []
    assert first.counts["health.Measurement"] == 1 and first.counts["health.CheckUpAttachment"] == 1
    assert app_counts(erase(child=world.child), "health") == {}


def test_a_nurses_erasure_keeps_the_log_with_her_name_but_not_her_account(world, erase):
    from health.models import HealthRead, Measurement
    from tests.health.record_makers import measure, reads_make

    measure(world.child, world.nurse, datetime.date(2026, 10, 1), "16.2", "104.5")
    reads_make(world.child, world.nurse, 1)

    erase(user=world.nurse)

    read = HealthRead.objects.get()
    assert read.reader_id is None and read.reader_name
    assert Measurement.objects.get().measured_by_id is None


# --- community


def test_a_childs_loans_reservations_and_group_photos(world, erase):
    from community.models import EventPhoto, LibraryLoan, LibraryReservation, ReservationStatus
    from tests.community.factories_events import event_make
    from tests.community.factories_library import LibraryCopyFactory, LibraryLoanFactory, LibraryReservationFactory

    event = event_make(world.school, by=world.teacher, classrooms=[world.classroom, world.other_classroom])

    def group_photo(*children):
        media = photo_make(school=world.school, by=world.teacher)
        photo = EventPhoto.objects.create(school=world.school, event=event, media=media, added_by=world.teacher)
        photo.children.set(children)
        return photo

    group = group_photo(world.child, world.other_class_child)
    alone = group_photo(world.other_class_child)
    files, kept_files = stored(group.media), stored(alone.media)
    copy = LibraryCopyFactory(item__school=world.school)
    returned = timezone.now() - datetime.timedelta(days=3)
    loan = LibraryLoanFactory(
        copy=copy, child=world.child, borrower=world.parent, out_by=world.teacher, returned_at=returned, note="rách"
    )
    other_loan = LibraryLoanFactory(
        copy__item__school=world.school, child=world.other_class_child, out_by=world.teacher
    )
    LibraryReservationFactory(
        item=copy.item,
        child=world.child,
        guardian=world.parent,
        status=ReservationStatus.READY,
        held_copy=copy,
        ready_at=timezone.now(),
    )
    waiting = LibraryReservationFactory(item=copy.item, child=world.other_class_child, guardian=world.other_parent)

    first = erase(child=world.child)

    assert not EventPhoto.objects.filter(pk=group.pk).exists() and none_exist(files)
    assert EventPhoto.objects.filter(pk=alone.pk).exists() and all_exist(kept_files)
    loan.refresh_from_db()
    assert (loan.child_id, loan.borrower_id, loan.note) == (None, None, "")
    assert (loan.out_at, loan.returned_at, loan.copy_id) == (loan.out_at, returned, copy.pk)
    assert LibraryLoan.objects.get(pk=other_loan.pk).child_id == world.other_class_child.pk
    assert not LibraryReservation.objects.filter(child=world.child).exists()
    waiting.refresh_from_db()
    assert (waiting.status, waiting.held_copy_id) == (ReservationStatus.READY, copy.pk)
    assert first.counts["community.EventPhoto"] == 1 and first.counts["community.LibraryLoan"] == 1
    assert app_counts(erase(child=world.child), "community") == {}


def test_the_library_desk_shows_a_loan_whose_family_was_erased_without_a_name(world, client, erase):
    from tests.community.factories_library import LibraryLoanFactory

    loan = LibraryLoanFactory(
        copy__item__school=world.school, child=world.child, borrower=world.parent, out_by=world.teacher
    )
    loan.returned_at = timezone.now()
    loan.save()
    erase(child=world.child)

    client.force_login(world.principal)
    page = client.get(reverse("community:library_item", args=[loan.copy.item_id]))

    assert page.status_code == 200
    with translation.override("vi"):
        assert gettext("A family whose data was erased") in page.content.decode()
    assert world.child.full_name not in page.content.decode()


def test_an_item_still_out_holds_the_childs_erasure(world, erase):
    from community import personal_data
    from tests.community.factories_library import LibraryLoanFactory

    LibraryLoanFactory(copy__item__school=world.school, child=world.child, borrower=world.parent, out_by=world.teacher)

    with pytest.raises(UnderLegalHold):
        erase(child=world.child)
    assert personal_data.legal_holds(user=world.parent)
    assert personal_data.legal_holds(child=world.other_class_child) == []


def test_a_guardians_event_answers_and_volunteering_go(world, erase):
    from community.models import EventAnswer, VolunteerSignup
    from tests.community.factories_events import event_make, role_make

    event = event_make(world.school, by=world.teacher, classrooms=[world.classroom, world.other_classroom])
    role = role_make(event)
    EventAnswer.objects.create(school=world.school, event=event, guardian=world.parent, coming=True, people=2)
    EventAnswer.objects.create(school=world.school, event=event, guardian=world.other_parent, coming=True, people=1)
    VolunteerSignup.objects.create(school=world.school, role=role, guardian=world.parent)

    erase(user=world.parent)

    assert list(EventAnswer.objects.values_list("guardian", flat=True)) == [world.other_parent.pk]
    assert not VolunteerSignup.objects.exists()


def test_a_familys_copy_has_a_group_photo_only_when_every_child_in_it_may_be_shown(world):
    from community.models import EventPhoto
    from community.personal_data import photos_for_family
    from parents.models import ConsentPurpose
    from tests.community.factories_events import event_make, photo_make

    event = event_make(world.school, by=world.teacher, whole_school=True)
    siblings = photo_make(event, world.teacher, children=[world.child, world.sibling])
    with_classmate = photo_make(event, world.teacher, children=[world.child, world.other_class_child])
    photo_make(event, world.teacher, children=[world.other_class_child])
    family = [world.child.pk, world.sibling.pk]

    def exported():
        rows = EventPhoto.objects.filter(children__in=family).distinct()
        return set(photos_for_family(rows, user=world.parent, child_ids=family))

    assert exported() == {siblings}
    f.ConsentFactory(
        child=world.other_class_child, guardian=world.other_parent, purpose=ConsentPurpose.SHARED_PHOTOS, granted=True
    )
    assert exported() == {siblings, with_classmate}


# --- announcements, feedback, reports


def test_receipts_and_pickup_notices(world, erase):
    from announcements.models import AnnouncementReceipt, PickupNotice
    from tests.announcements.makers import announcement_make, pickup_notice_make

    announcement = announcement_make(school=world.school, by=world.principal)
    AnnouncementReceipt.objects.create(school=world.school, announcement=announcement, guardian=world.parent)
    AnnouncementReceipt.objects.create(school=world.school, announcement=announcement, guardian=world.other_parent)
    pickup_notice_make(child=world.child, by=world.parent)
    kept = pickup_notice_make(child=world.sibling, by=world.parent)

    erase(child=world.child)
    erase(user=world.parent)

    assert not PickupNotice.objects.filter(child=world.child).exists()
    kept.refresh_from_db()
    assert kept.sent_by_id is None
    assert list(AnnouncementReceipt.objects.values_list("guardian", flat=True)) == [world.other_parent.pk]
    assert app_counts(erase(user=world.parent), "announcements") == {}


def test_a_persons_feedback_stays_anonymous_without_its_photo_and_a_childs_poll_answer_goes(world, erase):
    from feedback.models import FeedbackItem, PollAnswer
    from feedback.services import feedback_answer
    from tests.feedback.factories import answered, item_make, poll_make

    photo = photo_make(school=world.school, by=world.parent)
    files = stored(photo)
    item = answered(item_make(world, photo=photo, anonymous=False, publish_agreed=True), by=world.principal)
    other = item_make(world, by=world.other_parent)
    poll = poll_make(world)
    option = poll.options.first()
    for child, guardian in ((world.child, world.parent), (world.other_class_child, world.other_parent)):
        PollAnswer.objects.create(
            school=world.school, poll=poll, child=child, option=option, answered_by=guardian, answered_at=timezone.now()
        )

    erase(user=world.parent)
    erase(child=world.child)

    item.refresh_from_db()
    assert (item.sender_id, item.anonymous, item.photo_id) == (None, True, None)
    assert item.answer and item.message
    assert none_exist(files)
    assert FeedbackItem.objects.get(pk=other.pk).sender_id == world.other_parent.pk
    assert list(PollAnswer.objects.values_list("child", flat=True)) == [world.other_class_child.pk]
    assert app_counts(erase(user=world.parent), "feedback") == {}
    feedback_answer(by=world.principal, item=item, answer="Đã sửa xong cổng.")  # nobody left to tell
    assert FeedbackItem.objects.get(pk=item.pk).answer == "Đã sửa xong cổng."


def test_the_reports_keep_their_figures_without_the_erased_staff_members_name(world, erase):
    from reports.models import Submission

    submission = Submission.objects.create(
        school=world.school,
        authority=world.school.authority,
        year_start=2026,
        term=1,
        snapshot={},
        submitted_by=world.principal,
        submitted_at=timezone.now(),
    )

    erase(user=world.principal)

    submission.refresh_from_db()
    assert submission.submitted_by_id is None
