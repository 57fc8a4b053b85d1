"""Announcements: who may post to whom, one notice per guardian, read and acknowledgement receipts."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.html import escape

from announcements import services
from announcements.models import Announcement, AnnouncementReceipt
from notifications.models import Notice
from tests import factories as f
from tests.announcements.makers import announcement_make

pytestmark = pytest.mark.django_db


def post(client, world, on_commit, **fields):
    data = {
        "title": "Thay đổi giờ đón trẻ",
        "body": "Từ thứ Hai, trường trả trẻ lúc 16 giờ 15.",
        "kind": "pickup_time",
        "audience": "classes",
        "requires_acknowledgement": "on",
        **fields,
    }
    with on_commit(execute=True):
        return client.post(f"/schools/{world.school.slug}/announcements/new/", data)


def vi(text: str) -> str:
    """The text as the portal says it (in Vietnamese, by default), whatever state the catalogue is in."""
    with translation.override("vi"):
        return translation.gettext(text)


def on_page(text: str) -> str:
    return escape(vi(text))


CANNOT_POST_HERE = "You cannot post to this class. Choose among the classes listed."
WHOLE_SCHOOL_REFUSED = "Only the principal or a vice-principal can post to the whole school. Choose your classes."
ACKNOWLEDGE = "I have read and understood"


def notices_of(announcement) -> list[Notice]:
    return list(Notice.objects.filter(dedupe_key=f"announcement:{announcement.pk}"))


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- posting ----------------------------------------------------------------------------------


def test_principal_posts_to_the_whole_school_and_each_guardian_is_told_once(
    world, client, django_capture_on_commit_callbacks
):
    second_guardian = f.GuardianshipFactory(child=world.child).guardian
    client.force_login(world.principal)

    response = post(client, world, django_capture_on_commit_callbacks, audience="school", urgent="on")

    announcement = Announcement.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/announcements/{announcement.pk}/"
    assert announcement.audience == "school" and announcement.is_published
    assert announcement.created_by == world.principal and announcement.school == world.school
    notices = notices_of(announcement)
    # The parent has two children in two classes of the school: one notice, not two.
    assert sorted(n.recipient_id for n in notices) == sorted(
        [world.parent.pk, world.other_parent.pk, second_guardian.pk]
    )
    notice = next(n for n in notices if n.recipient_id == world.parent.pk)
    assert notice.category == "announcement"
    assert notice.url == f"/announcements/{announcement.pk}/"
    assert notice.urgent is True
    assert notice.school_id == world.school.pk
    assert "Thay đổi giờ đón trẻ" in notice.title
    assert "16 giờ 15" in notice.body
    # The other school's families hear nothing.
    other_school_guardian = world.other_school_child.guardianships.get().guardian
    assert not Notice.objects.filter(recipient=other_school_guardian).exists()


def test_siblings_in_two_targeted_classes_give_their_guardian_one_notice(world, django_capture_on_commit_callbacks):
    sibling_class = world.sibling.classroom
    with django_capture_on_commit_callbacks(execute=True):
        announcement = services.announcement_post(
            school=world.school,
            by=world.principal,
            title="Nghỉ lễ",
            body="Trường nghỉ ngày 2/9.",
            kind="closure",
            classrooms=[world.classroom, sibling_class],
        )
    notices = notices_of(announcement)
    assert [n.recipient_id for n in notices] == [world.parent.pk]
    assert notices[0].urgent is False


def test_teacher_posts_to_their_own_class(world, client, django_capture_on_commit_callbacks):
    client.force_login(world.teacher)
    response = post(client, world, django_capture_on_commit_callbacks, classrooms=[world.classroom.pk])
    assert response.status_code == 302
    announcement = Announcement.objects.get()
    assert list(announcement.classrooms.all()) == [world.classroom]
    assert [n.recipient_id for n in notices_of(announcement)] == [world.parent.pk]
    # The link row carries the school, like every table of school data.
    from announcements.models import AnnouncementClassroom

    assert AnnouncementClassroom.objects.get().school_id == world.school.pk


def test_the_form_offers_a_teacher_only_their_classes(world, client):
    client.force_login(world.teacher)
    html = page(client.get(f"/schools/{world.school.slug}/announcements/new/?classroom={world.classroom.pk}"))
    assert "Lá 1" in html and "Chồi 1" not in html and "Mầm 1" not in html
    assert 'value="school"' not in html  # no whole-school choice
    client.force_login(world.principal)
    html = page(client.get(f"/schools/{world.school.slug}/announcements/new/"))
    assert "Lá 1" in html and "Chồi 1" in html and "Mầm 1" in html and 'value="school"' in html


def test_teacher_cannot_post_to_a_class_they_do_not_teach(world, client, django_capture_on_commit_callbacks):
    client.force_login(world.teacher)
    response = post(client, world, django_capture_on_commit_callbacks, classrooms=[world.other_classroom.pk])
    assert on_page(CANNOT_POST_HERE) in page(response)
    with pytest.raises(ValidationError) as error:
        services.announcement_post(
            school=world.school,
            by=world.teacher,
            title="Họp phụ huynh",
            body="…",
            kind="general",
            classrooms=[world.other_classroom],
        )
    assert error.value.message_dict["classrooms"] == [vi("You can post only to the classes you teach.")]
    assert not Announcement.objects.exists() and not Notice.objects.exists()


def test_teacher_cannot_post_to_the_whole_school(world, client, django_capture_on_commit_callbacks):
    client.force_login(world.teacher)
    response = post(client, world, django_capture_on_commit_callbacks, audience="school")
    assert on_page(WHOLE_SCHOOL_REFUSED) in page(response)
    with pytest.raises(ValidationError) as error:
        services.announcement_post(school=world.school, by=world.teacher, title="Nghỉ", body="…", kind="closure")
    assert error.value.message_dict["classrooms"] == [vi(WHOLE_SCHOOL_REFUSED)]
    assert not Announcement.objects.exists() and not Notice.objects.exists()


def test_a_class_of_another_school_is_refused(world, client, django_capture_on_commit_callbacks):
    foreign_class = world.other_school_child.classroom
    client.force_login(world.principal)
    response = post(client, world, django_capture_on_commit_callbacks, classrooms=[foreign_class.pk])
    assert on_page(CANNOT_POST_HERE) in page(response)
    with pytest.raises(ValidationError) as error:
        services.announcement_post(
            school=world.school, by=world.principal, title="X", body="Y", kind="general", classrooms=[foreign_class]
        )
    assert error.value.message_dict["classrooms"] == [vi("The class belongs to another school.")]
    assert not Announcement.objects.exists() and not Notice.objects.exists()


def test_an_empty_title_is_refused(world, client, django_capture_on_commit_callbacks):
    client.force_login(world.principal)
    response = post(client, world, django_capture_on_commit_callbacks, title="   ", audience="school")
    assert on_page("Give the announcement a title.") in page(response)
    with pytest.raises(ValidationError):
        services.announcement_post(school=world.school, by=world.principal, title=" ", body="Y", kind="general")
    assert not Announcement.objects.exists() and not Notice.objects.exists()


def test_classes_must_be_chosen_for_a_class_announcement(world, client, django_capture_on_commit_callbacks):
    client.force_login(world.teacher)
    response = post(client, world, django_capture_on_commit_callbacks)
    assert on_page("Choose at least one class.") in page(response)
    assert not Announcement.objects.exists()


def test_people_outside_the_school_staff_cannot_post(world):
    for person in (world.parent, world.nurse, world.other_principal):
        with pytest.raises(PermissionDenied):
            services.announcement_post(school=world.school, by=person, title="X", body="Y", kind="general")
    assert not Announcement.objects.exists()


def test_a_draft_tells_nobody_until_it_is_published_once(world, client, django_capture_on_commit_callbacks):
    client.force_login(world.teacher)
    response = post(client, world, django_capture_on_commit_callbacks, classrooms=[world.classroom.pk], draft="1")
    announcement = Announcement.objects.get()
    assert response.status_code == 302 and not announcement.is_published
    assert not notices_of(announcement)
    client.force_login(world.parent)
    assert client.get(f"/announcements/{announcement.pk}/").status_code == 404
    assert announcement.title not in page(client.get("/announcements/"))

    client.force_login(world.teacher)
    for _ in range(2):  # a double click publishes, and tells, once
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(f"/announcements/{announcement.pk}/publish/").status_code == 302
    assert [n.recipient_id for n in notices_of(announcement)] == [world.parent.pk]
    client.force_login(world.parent)
    assert client.get(f"/announcements/{announcement.pk}/").status_code == 200


# --- what guardians see -----------------------------------------------------------------------


def test_guardians_see_only_the_announcements_for_their_children(world, client):
    mine = announcement_make(school=world.school, by=world.teacher, classrooms=[world.classroom], title="Cho lớp Lá 1")
    school_wide = announcement_make(school=world.school, by=world.principal, title="Toàn trường")
    other_class = announcement_make(
        school=world.school, by=world.other_teacher, classrooms=[world.other_classroom], title="Cho lớp Chồi 1"
    )
    other_school = announcement_make(school=world.other_school, by=world.other_principal, title="Trường Hoa Sen")
    draft = announcement_make(school=world.school, by=world.principal, title="Bản nháp", published=False)

    client.force_login(world.parent)
    html = page(client.get("/announcements/"))
    assert mine.title in html and school_wide.title in html
    for hidden in (other_class, other_school, draft):
        assert hidden.title not in html
        assert client.get(f"/announcements/{hidden.pk}/").status_code == 404

    client.force_login(world.other_parent)
    html = page(client.get("/announcements/"))
    assert other_class.title in html and school_wide.title in html and mine.title not in html


def test_opening_an_announcement_records_one_read_receipt(world, client):
    announcement = announcement_make(school=world.school, by=world.teacher, classrooms=[world.classroom])
    bell = Notice.objects.create(
        recipient=world.parent, category="announcement", title="…", dedupe_key=f"announcement:{announcement.pk}"
    )
    client.force_login(world.parent)
    html = page(client.get(f"/announcements/{announcement.pk}/"))
    assert announcement.body in html and "Nguyễn Minh Khôi" in html
    assert on_page(ACKNOWLEDGE) in html
    receipt = AnnouncementReceipt.objects.get()
    assert receipt.guardian == world.parent and receipt.school_id == world.school.pk
    assert receipt.acknowledged_at is None
    first_read = receipt.read_at
    bell.refresh_from_db()
    assert bell.read_at is not None  # reading the announcement reads its notice in the bell

    client.get(f"/announcements/{announcement.pk}/")
    receipt.refresh_from_db()
    assert AnnouncementReceipt.objects.count() == 1 and receipt.read_at == first_read

    # Staff opening it leave no receipt.
    client.force_login(world.principal)
    page(client.get(f"/announcements/{announcement.pk}/"))
    assert AnnouncementReceipt.objects.count() == 1


def test_acknowledging_is_recorded_once(world, client):
    announcement = announcement_make(school=world.school, by=world.teacher, classrooms=[world.classroom])
    client.force_login(world.parent)
    url = f"/announcements/{announcement.pk}/acknowledge/"
    assert client.post(url)["Location"] == f"/announcements/{announcement.pk}/"
    receipt = AnnouncementReceipt.objects.get()
    assert receipt.read_at and receipt.acknowledged_at
    acknowledged = receipt.acknowledged_at

    response = client.post(url, follow=True)
    assert on_page("You had already confirmed this announcement.") in page(response)
    receipt.refresh_from_db()
    assert receipt.acknowledged_at == acknowledged and AnnouncementReceipt.objects.count() == 1
    assert on_page(ACKNOWLEDGE) not in page(client.get(f"/announcements/{announcement.pk}/"))

    assert services.announcement_acknowledge(announcement=announcement, guardian=world.parent) is False


def test_only_guardians_it_is_for_acknowledge_and_only_when_asked(world, client):
    announcement = announcement_make(school=world.school, by=world.teacher, classrooms=[world.classroom])
    for person in (world.other_parent, world.teacher, world.principal):
        client.force_login(person)
        assert client.post(f"/announcements/{announcement.pk}/acknowledge/").status_code == 404
    plain = announcement_make(
        school=world.school, by=world.teacher, classrooms=[world.classroom], requires_acknowledgement=False
    )
    client.force_login(world.parent)
    assert on_page(ACKNOWLEDGE) not in page(client.get(f"/announcements/{plain.pk}/"))
    assert client.post(f"/announcements/{plain.pk}/acknowledge/").status_code == 404
    assert not AnnouncementReceipt.objects.filter(acknowledged_at__isnull=False).exists()


# --- receipts ---------------------------------------------------------------------------------


def test_receipt_page_counts_reads_and_acknowledgements_per_family(world, client):
    late_reader = f.GuardianshipFactory(child=world.child, guardian=f.UserFactory(full_name="Nguyễn Văn Bố")).guardian
    announcement = announcement_make(school=world.school, by=world.principal)  # the whole school
    services.announcement_mark_read(announcement=announcement, guardian=world.other_parent)
    services.announcement_acknowledge(announcement=announcement, guardian=world.parent)

    client.force_login(world.principal)
    response = client.get(f"/announcements/{announcement.pk}/receipts/")
    html = page(response)
    report = response.context["report"]
    assert (report.total, report.read, report.acknowledged) == (3, 2, 1)
    summary = vi("Read %(read)s of %(total)s, acknowledged %(acknowledged)s of %(total)s.")
    assert escape(summary % {"read": 2, "total": 3, "acknowledged": 1}) in html
    assert {f.guardian for f in report.not_acknowledged} == {world.other_parent, late_reader}
    parent_row = next(f for f in report.families if f.guardian == world.parent)
    # One row per guardian, with each of their children the announcement is for.
    assert {c.full_name for c in parent_row.children} == {"Nguyễn Minh Khôi", "Nguyễn Ngọc An"}
    assert parent_row.read_at and parent_row.acknowledged_at
    assert "Ngô Bảo Ngọc" not in html  # the other school's child


def test_receipts_are_for_the_author_leaders_and_the_teachers_of_the_classes(world, client):
    announcement = announcement_make(school=world.school, by=world.teacher, classrooms=[world.classroom])
    url = f"/announcements/{announcement.pk}/receipts/"
    for person, status in [
        (world.teacher, 200),
        (world.principal, 200),
        (world.other_teacher, 404),
        (world.parent, 404),
        (world.nurse, 404),
        (world.other_principal, 404),
    ]:
        client.force_login(person)
        assert client.get(url).status_code == status, person


def test_another_teacher_sees_only_their_classes_families_on_a_school_wide_announcement(world, client):
    announcement = announcement_make(school=world.school, by=world.principal)
    client.force_login(world.other_teacher)
    response = client.get(f"/announcements/{announcement.pk}/receipts/")
    html = page(response)
    assert [f.guardian for f in response.context["report"].families] == [world.other_parent]
    assert "Nguyễn Minh Khôi" not in html and "Phạm Khánh Linh" in html
    client.force_login(world.principal)
    assert client.get(f"/announcements/{announcement.pk}/receipts/").context["report"].total == 2


def test_staff_list_shows_a_teacher_their_classes_announcements_and_their_drafts(world, client):
    mine = announcement_make(
        school=world.school, by=world.teacher, classrooms=[world.classroom], title="Lá 1 đi dã ngoại"
    )
    my_draft = announcement_make(
        school=world.school, by=world.teacher, classrooms=[world.classroom], title="Nháp của cô", published=False
    )
    theirs = announcement_make(
        school=world.school, by=world.other_teacher, classrooms=[world.other_classroom], title="Chồi 1 học bơi"
    )
    their_draft = announcement_make(
        school=world.school, by=world.principal, title="Nháp của hiệu trưởng", published=False
    )
    client.force_login(world.teacher)
    html = page(client.get(f"/schools/{world.school.slug}/announcements/"))
    assert mine.title in html and my_draft.title in html
    assert theirs.title not in html and their_draft.title not in html
    client.force_login(world.principal)
    html = page(client.get(f"/schools/{world.school.slug}/announcements/"))
    for announcement in (mine, my_draft, theirs, their_draft):
        assert announcement.title in html


# --- a fixed number of queries ----------------------------------------------------------------


def queries(client, url) -> int:
    client.get(url)  # the person's cached values in place
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def more_families(world, n: int, announcement) -> None:
    for i in range(n):
        child = f.ChildFactory(classroom=world.classroom)
        for _ in range(2):
            guardian = f.GuardianshipFactory(child=child).guardian
            if i % 2:
                services.announcement_acknowledge(announcement=announcement, guardian=guardian)


def test_receipt_page_runs_a_fixed_number_of_queries(world, client):
    announcement = announcement_make(school=world.school, by=world.teacher, classrooms=[world.classroom])
    url = f"/announcements/{announcement.pk}/receipts/"
    client.force_login(world.teacher)
    one = queries(client, url)
    more_families(world, 15, announcement)
    response = client.get(url)
    assert response.context["report"].total == 31
    assert queries(client, url) == one


def test_guardian_pages_run_a_fixed_number_of_queries(world, client):
    announcement = announcement_make(school=world.school, by=world.teacher, classrooms=[world.classroom])
    client.force_login(world.parent)
    detail = f"/announcements/{announcement.pk}/"
    client.get(detail)  # the first opening also writes the receipt
    one_detail, one_list = queries(client, detail), queries(client, "/announcements/")
    more_families(world, 10, announcement)
    for n in range(12):
        announcement_make(school=world.school, by=world.principal, title=f"Thông báo {n}")
        classroom = f.ClassroomFactory(school=world.school, name=f"Lớp {n}")
        f.GuardianshipFactory(child=f.ChildFactory(classroom=classroom), guardian=world.parent)
        announcement_make(school=world.school, by=world.principal, classrooms=[classroom, world.classroom])
    assert queries(client, detail) == one_detail
    assert queries(client, "/announcements/") == one_list


def test_staff_list_runs_a_fixed_number_of_queries(world, client):
    client.force_login(world.principal)
    url = f"/schools/{world.school.slug}/announcements/"
    announcement_make(school=world.school, by=world.teacher, classrooms=[world.classroom])
    one = queries(client, url)
    for n in range(10):
        announcement_make(
            school=world.school, by=world.teacher, classrooms=[world.classroom, world.other_classroom], title=f"T{n}"
        )
    assert queries(client, url) == one


def test_policies_answer_who_may_post_and_see(world):
    from announcements import policies

    foreign_class = world.other_school_child.classroom
    assert policies.can_post_announcement(world.principal, world.school)
    assert policies.can_post_announcement(world.principal, world.school, [world.classroom, world.other_classroom])
    assert not policies.can_post_announcement(world.principal, world.school, [foreign_class])
    assert policies.can_post_announcement(world.teacher, world.school, [world.classroom])
    assert not policies.can_post_announcement(world.teacher, world.school)
    assert not policies.can_post_announcement(world.teacher, world.school, [world.classroom, world.other_classroom])
    for person in (world.nurse, world.parent, world.other_principal):
        assert not policies.can_post_announcement(person, world.school, [world.classroom])

    announcement = announcement_make(school=world.school, by=world.teacher, classrooms=[world.classroom])
    assert policies.can_view_announcement(world.parent, announcement)
    assert not policies.can_view_announcement(world.other_parent, announcement)
    assert policies.can_see_receipts(world.teacher, announcement)
    assert policies.can_see_receipts(world.principal, announcement)
    assert not policies.can_see_receipts(world.parent, announcement)
    assert not policies.can_see_receipts(world.other_teacher, announcement)
    assert policies.can_acknowledge_announcement(world.parent, announcement)
    assert not policies.can_publish_announcement(world.teacher, announcement)  # already published
