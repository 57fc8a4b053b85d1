"""Who may see and do what with home activities and answers. Every view, selector, download and
admin page asks here.

The questions reuse the school policies' cached memberships and the family's
children (read once per request), so asking many of them costs no more queries.
"""

from __future__ import annotations

from collections.abc import Iterable

from activities.models import Activity, Answer, LibraryEntry
from parents.policies import can_follow_child, is_guardian_of, viewer_child_ids
from schools.models import LEADER_ROLES, Authority, Child, Classroom, School, StaffRole
from schools.policies import access_for, can_view_authority, guardian_children, is_leader_of, role_at

POSTING_ROLES = LEADER_ROLES | {StaffRole.TEACHER}


def activity_classroom_ids(activity: Activity) -> set[int]:
    """The activity's classes; views prefetch them, so asking costs nothing more."""
    return {c.pk for c in activity.classrooms.all()}


# --- Staff ----------------------------------------------------------------------------------------


def can_post_activities(user, school: School | int) -> bool:
    """The school's teachers and leaders write activities."""
    return role_at(user, school) in POSTING_ROLES


def can_post_to(user, school: School, classrooms: Iterable[Classroom]) -> bool:
    """Leaders post to any class of their school; a teacher only to the classes they teach."""
    classrooms = list(classrooms)
    if not classrooms or any(c.school_id != school.pk for c in classrooms):
        return False
    if is_leader_of(user, school):
        return True
    if role_at(user, school) != StaffRole.TEACHER:
        return False
    return all(c.pk in access_for(user).taught_classroom_ids for c in classrooms)


def staff_classroom_ids(user, activity: Activity) -> set[int]:
    """The activity's classes whose families the person follows: all for a leader, their own for a teacher."""
    role = role_at(user, activity.school_id)
    if role in LEADER_ROLES:
        return activity_classroom_ids(activity)
    if role == StaffRole.TEACHER:
        return activity_classroom_ids(activity) & access_for(user).taught_classroom_ids
    return set()


def staff_can_view_activity(user, activity: Activity) -> bool:
    """Leaders and its author see it at once; the teachers of its classes once it is published."""
    role = role_at(user, activity.school_id)
    if role in LEADER_ROLES:
        return True
    if role != StaffRole.TEACHER:
        return False
    if activity.created_by_id == user.pk:
        return True
    return activity.is_published and bool(staff_classroom_ids(user, activity))


def can_edit_activity(user, activity: Activity) -> bool:
    """A draft (or one waiting for its video) is changed by its author, if still on the staff, or a leader."""
    if activity.is_published:
        return False
    if is_leader_of(user, activity.school_id):
        return True
    return activity.created_by_id == user.pk and can_post_activities(user, activity.school_id)


def can_caption_activity(user, activity: Activity) -> bool:
    """Captions and transcripts change nothing of what the activity says: whoever on the staff sees it, also
    once it is published, may add them, when it has a video or a voice recording."""
    if not (activity.video_id or activity.voice_id):
        return False
    return staff_can_view_activity(user, activity)


def can_publish_activity(user, activity: Activity) -> bool:
    return can_edit_activity(user, activity)


def can_follow_participation(user, activity: Activity) -> bool:
    """Who viewed and who answered: the staff who follow at least one of its classes, once it is published."""
    return activity.is_published and bool(staff_classroom_ids(user, activity))


def can_nudge(user, activity: Activity, classroom: Classroom) -> bool:
    return activity.is_published and classroom.pk in staff_classroom_ids(user, activity)


def can_review_answer(user, answer: Answer) -> bool:
    """The leaders and the teachers of the child's class approve, decline and give feedback."""
    role = role_at(user, answer.school_id)
    if role in LEADER_ROLES:
        return True
    return role == StaffRole.TEACHER and answer.classroom_id in access_for(user).taught_classroom_ids


# --- Families -------------------------------------------------------------------------------------


def activity_children(user, activity: Activity) -> list[Child]:
    """The person's own children whose class a published activity went to."""
    if not activity.is_published:
        return []
    children = [c for c in guardian_children(user) if c.school_id == activity.school_id and c.classroom_id]
    if not children:
        return []
    targeted = activity_classroom_ids(activity)
    return [c for c in children if c.classroom_id in targeted]


def can_view_feed(user, child: Child) -> bool:
    """A child's feed is the family's: the activities of the child's current class."""
    return is_guardian_of(user, child) and child.classroom_id is not None and child.left_on is None


def can_view_activity(user, activity: Activity) -> bool:
    return staff_can_view_activity(user, activity) or bool(activity_children(user, activity))


def can_answer(user, activity: Activity, child: Child) -> bool:
    """A guardian answers for their own child in one of the activity's classes, once it is published."""
    return (
        activity.is_published
        and is_guardian_of(user, child)
        and child.left_on is None
        and child.classroom_id is not None
        and child.classroom_id in activity_classroom_ids(activity)
    )


def can_share_answer(user, answer: Answer) -> bool:
    """The child's guardians decide whether the answer is offered to the class (and may withdraw it)."""
    return is_guardian_of(user, answer.child)


def is_classmate_family(user, answer: Answer) -> bool:
    """A guardian of another child of the class the answer was sent from."""
    return any(c.classroom_id == answer.classroom_id and c.pk != answer.child_id for c in guardian_children(user))


def is_follower_of_answer(user, answer: Answer) -> bool:
    """A family viewer the child's guardians invited sees the child's answers the teacher approved for
    the class (read-only), and none of the others. Whether the family consents to shared galleries is
    about other families: the viewer is the child's own family."""
    return answer.is_shared and answer.child_id in viewer_child_ids(user)


def can_view_child_answers(user, child: Child) -> bool:
    """The page of a child's approved answers: the child's guardians and family viewers."""
    return can_follow_child(user, child)


def can_view_answer(user, answer: Answer, *, shared_consent: bool) -> bool:
    """The child's family and the staff; the child's family viewers and the other families of the class
    once the teacher approved it (the other families only while the child's guardians consent to photos
    in shared galleries)."""
    if can_share_answer(user, answer) or can_review_answer(user, answer) or is_follower_of_answer(user, answer):
        return True
    return answer.is_shared and shared_consent and is_classmate_family(user, answer)


# --- The authorities' library ----------------------------------------------------------------------


def library_authority_ids_of(school: School) -> set[int]:
    """The libraries a school's staff use: its commune's (or ward's), and its province's."""
    authority = school.authority
    return {authority.pk} | ({authority.province_id} if authority.province_id else set())


def is_library_user(user) -> bool:
    """Staff who post activities somewhere, and officers: cached memberships only, no query."""
    access = access_for(user)
    return bool(access.schools_with(POSTING_ROLES)) or bool(access.authority_ids)


def can_offer_to_library(user, activity: Activity) -> bool:
    """A published activity of the school's own is offered by its author, if still on the staff, or a leader."""
    if not activity.is_published:
        return False
    if is_leader_of(user, activity.school_id):
        return True
    return activity.created_by_id == user.pk and can_post_activities(user, activity.school_id)


def can_curate_library(user, authority: Authority) -> bool:
    """The authority's officers (and the province's, for its communes) check, approve and refuse."""
    return getattr(user, "is_authenticated", False) and can_view_authority(user, authority)


def can_browse_library(user, authority: Authority, *, authority_ids_of_schools: set[int]) -> bool:
    """Its officers, and the teachers and leaders of the schools under it (`authority_ids_of_schools`:
    the libraries of the schools where the person posts, see `selectors.library_authority_ids_for`)."""
    return can_curate_library(user, authority) or authority.pk in authority_ids_of_schools


def can_view_library_entry(user, entry: LibraryEntry, *, authority_ids_of_schools: set[int]) -> bool:
    """Officers see every entry of their library; staff see the approved ones, and their school's own."""
    if can_curate_library(user, entry.authority):
        return True
    if entry.school_id in access_for(user).schools_with(POSTING_ROLES):
        return True
    return entry.is_approved and entry.authority_id in authority_ids_of_schools


def can_adopt(user, entry: LibraryEntry, classroom: Classroom) -> bool:
    """An approved activity goes into a class of another school under the library's authority, by
    someone who posts to that class."""
    school = classroom.school
    return (
        entry.is_approved
        and school.pk != entry.school_id
        and entry.authority_id in library_authority_ids_of(school)
        and can_post_to(user, school, [classroom])
    )


def can_commend(user, authority: Authority, school: School) -> bool:
    """An authority's officers commend the schools under it (and their families)."""
    return can_curate_library(user, authority) and authority.pk in library_authority_ids_of(school)


def can_view_library_media(user, activity: Activity) -> bool:
    """The files of an activity in a library: for whoever may open one of its entries (the officers who
    check it shows no child, the staff of the schools under an approved one)."""
    if not is_library_user(user):
        return False
    from activities.selectors_library import library_authority_ids_for

    ids = library_authority_ids_for(user=user)
    entries = LibraryEntry.objects.filter(activity=activity).select_related("authority")
    return any(can_view_library_entry(user, entry, authority_ids_of_schools=ids) for entry in entries)


# --- Downloads ------------------------------------------------------------------------------------


def can_view_activity_media(user, media) -> bool:
    """The mediafiles resolver: an activity's video and photos, and the families' answers."""
    from activities import selectors

    activity = selectors.activity_of_media(media=media)
    if activity is not None:
        return can_view_activity(user, activity) or can_view_library_media(user, activity)
    answer = selectors.answer_of_media(media=media)
    if answer is None:
        return False
    if can_share_answer(user, answer) or can_review_answer(user, answer) or is_follower_of_answer(user, answer):
        return True
    # Consent is asked last: it costs a query, and only other families need it.
    return (
        answer.is_shared
        and is_classmate_family(user, answer)
        and selectors.shared_consent_child_ids(child_ids=[answer.child_id]) == {answer.child_id}
    )
