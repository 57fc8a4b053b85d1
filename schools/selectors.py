"""Reads for schools, classes and children. Every queryset that reaches a user is scoped here."""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from coordination.lib import disclosure
from parents.models import Guardianship, GuardianshipStatus, InvitationCode
from parents.policies import family_school_ids, guardian_child_ids
from schools import policies
from schools.caching import school_by_slug
from schools.models import (
    LEADER_ROLES,
    Authority,
    Child,
    Classroom,
    Enrolment,
    PickupPerson,
    School,
    StaffMembership,
    StaffRole,
)

# Only an active guardianship counts: a claim waiting for confirmation or a suspended guardian
# is not a family signed up, is not shown as a guardian and gives no access.
ACTIVE = GuardianshipStatus.ACTIVE


def _has_guardian():
    return Exists(Guardianship.objects.active().filter(child=OuterRef("pk")))


def _active_guardianships() -> QuerySet[Guardianship]:
    return Guardianship.objects.active().select_related("guardian").order_by("-is_primary", "created_at")


def _teachers_prefetch(prefix: str = "", *, school_ids=None) -> Prefetch:
    teachers = StaffMembership.objects.filter(is_active=True)
    if school_ids is not None:
        teachers = teachers.filter(school_id__in=school_ids)
    return Prefetch(
        f"{prefix}teachers",
        queryset=teachers.select_related("user").order_by("user__full_name"),
        to_attr="active_teachers",
    )


def _with_roster_counts(classrooms: QuerySet[Classroom], *, school_ids) -> QuerySet[Classroom]:
    """Classes with their number of children and of children whose family has signed up, and teachers
    (read of the classes' schools, `school_ids`)."""
    present = Q(children__left_on__isnull=True)
    return classrooms.annotate(
        children_count=Count("children", filter=present, distinct=True),
        signed_up_count=Count("children", filter=present & Q(children__guardianships__status=ACTIVE), distinct=True),
    ).prefetch_related(_teachers_prefetch(school_ids=school_ids))


def in_schools_of(queryset: QuerySet, *, user) -> QuerySet:
    """The queryset asked only of the schools where the person has a role or a child (known without a
    query): a row found by its id alone does not say its school's shard (docs/scaling.md)."""
    school_ids = policies.person_school_ids(user)
    return queryset if school_ids is None else queryset.filter(school_id__in=school_ids)


def children_visible_to(*, user) -> QuerySet[Child]:
    """Children the user may open: their own, or those of the classes and schools they serve."""
    access = policies.access_for(user)
    condition = Q(pk__in=guardian_child_ids(user))
    condition |= Q(school_id__in=access.schools_with(LEADER_ROLES | {StaffRole.NURSE}))
    condition |= Q(classroom_id__in=access.taught_classroom_ids)
    return in_schools_of(Child.objects.filter(condition), user=user)


def child_get(*, user, child_id: int) -> Child:
    """The child, or 404 for anyone who may not see them (no hint that the id exists)."""
    child = children_visible_to(user=user).select_related("school", "classroom").filter(pk=child_id).first()
    if child is None:
        raise Http404
    return child


def children_of_guardian(*, user) -> list[Child]:
    """A family's children with their class, school and teachers, in a fixed number of queries."""
    # The schools of the person's children come with their cached guardianships: the prefetches name them.
    school_ids = family_school_ids(user)
    guardianships, pickup_persons = _active_guardianships(), PickupPerson.objects.all()
    if school_ids is not None:
        guardianships, pickup_persons = (
            guardianships.filter(school_id__in=school_ids),
            pickup_persons.filter(school_id__in=school_ids),
        )
    return list(
        Child.objects.filter(guardianships__guardian=user, guardianships__status=ACTIVE)
        .select_related("school", "classroom")
        .prefetch_related(
            _teachers_prefetch("classroom__", school_ids=school_ids),
            Prefetch("guardianships", queryset=guardianships),
            Prefetch("pickup_persons", queryset=pickup_persons),
        )
        .order_by("date_of_birth")
    )


def staff_classrooms(*, user) -> QuerySet[Classroom]:
    """Classes, asked only of the schools where the person works (known without a query): a class found
    by its id alone does not say its school's shard (docs/scaling.md)."""
    return Classroom.objects.filter(school_id__in=set(policies.access_for(user).roles_by_school))


def classroom_get(*, user, classroom_id: int) -> Classroom:
    classroom = staff_classrooms(user=user).select_related("school", "school_year").filter(pk=classroom_id).first()
    if classroom is None or not policies.can_view_classroom(user, classroom):
        raise Http404
    return classroom


def classrooms_of_teacher(*, user) -> list[Classroom]:
    """The classes a teacher teaches, with roster sizes and sign-up counts."""
    access = policies.access_for(user)
    classrooms = staff_classrooms(user=user).filter(pk__in=access.taught_classroom_ids)
    return list(
        _with_roster_counts(classrooms, school_ids=set(access.roles_by_school))
        .select_related("school", "school_year")
        .order_by("school__name", "name")
    )


def classroom_roster(*, classroom: Classroom) -> list[Child]:
    """A class's children with their guardians and pick-up persons."""
    school_id = classroom.school_id  # every read names the school: one shard under Citus (docs/scaling.md)
    return list(
        classroom.children.filter(school_id=school_id, left_on__isnull=True)
        .prefetch_related(
            Prefetch("guardianships", queryset=_active_guardianships().filter(school_id=school_id)),
            Prefetch("pickup_persons", queryset=PickupPerson.objects.filter(school_id=school_id)),
            Prefetch(
                "invitations",
                queryset=InvitationCode.objects.filter(school_id=school_id).order_by("-created_at"),
            ),
        )
        .order_by("full_name")
    )


def schools_managed_by(*, user) -> QuerySet[School]:
    return School.objects.filter(pk__in=policies.leader_school_ids(user))


def school_get_managed(*, user, slug: str) -> School:
    school = School.objects.select_related("authority__province").filter(slug=slug).first()
    if school is None or not policies.can_manage_school(user, school):
        raise Http404
    return school


def school_overview(*, school: School) -> dict:
    """Counts for the principal's home page: a fixed number of queries, whatever the size."""
    children = Child.objects.filter(school=school, left_on__isnull=True)
    totals = children.aggregate(
        children=Count("pk"),
        with_guardian=Count("pk", filter=Q(_has_guardian())),
    )
    guardians = (
        Guardianship.objects.active()
        .filter(school=school, child__left_on__isnull=True)
        .values("guardian_id")
        .distinct()
        .count()
    )
    classrooms = list(
        _with_roster_counts(
            Classroom.objects.filter(school=school, school_year__is_current=True), school_ids=[school.pk]
        ).order_by("age_group", "name")
    )
    staff_by_role = dict(
        StaffMembership.objects.filter(school=school, is_active=True)
        .values_list("role")
        .annotate(n=Count("pk"))
        .values_list("role", "n")
    )
    return {
        "children": totals["children"],
        "with_guardian": totals["with_guardian"],
        "without_guardian": totals["children"] - totals["with_guardian"],
        "guardians": guardians,
        "classrooms": classrooms,
        "staff_by_role": [(label, staff_by_role.get(value, 0)) for value, label in StaffRole.choices],
        "staff_total": sum(staff_by_role.values()),
    }


def school_staff(*, school: School) -> list[StaffMembership]:
    return list(
        StaffMembership.objects.filter(school=school)
        .select_related("user")
        .prefetch_related(Prefetch("classrooms", queryset=Classroom.objects.filter(school=school)))
        .order_by("-is_active", "role", "user__full_name")
    )


def authorities_of_officer(*, user) -> QuerySet[Authority]:
    if user.is_superuser:
        return Authority.objects.all()
    return Authority.objects.filter(pk__in=policies.access_for(user).authority_ids)


def authority_get(*, user, slug: str) -> Authority:
    authority = Authority.objects.select_related("province").filter(slug=slug).first()
    if authority is None or not policies.can_view_authority(user, authority):
        raise Http404
    return authority


def authority_schools(*, authority: Authority) -> QuerySet[School]:
    """The schools an authority oversees: a commune's own, or every school of a province's communes."""
    if authority.is_province:
        return School.objects.filter(authority__province=authority)
    return School.objects.filter(authority=authority)


def authority_overview(*, authority: Authority) -> list[School]:
    """Each school's counts, no child's personal data: four queries whatever the size."""

    def per_school(queryset, **annotations) -> dict[int, dict]:
        return {row["school_id"]: row for row in queryset.values("school_id").annotate(**annotations)}

    school_ids = authority_schools(authority=authority).values("pk")
    children = per_school(
        Child.objects.filter(school__in=school_ids, left_on__isnull=True),
        n=Count("pk"),
        signed_up=Count("pk", filter=Q(_has_guardian())),
    )
    classrooms = per_school(
        Classroom.objects.filter(school__in=school_ids, school_year__is_current=True), n=Count("pk")
    )
    staff = per_school(StaffMembership.objects.filter(school__in=school_ids, is_active=True), n=Count("pk"))
    schools = list(authority_schools(authority=authority).select_related("authority").order_by("name"))
    for school in schools:
        school.children_count = children.get(school.pk, {}).get("n", 0)
        school.signed_up_count = children.get(school.pk, {}).get("signed_up", 0)
        school.classroom_count = classrooms.get(school.pk, {}).get("n", 0)
        school.staff_count = staff.get(school.pk, {}).get("n", 0)
    return schools


# The protected counts of a province, kept a few minutes: a ward's page needs the whole province's counts
# (400 ms at 500 schools) and would otherwise pay them on every request.
PROTECTED_COUNTS_SECONDS = 10 * 60


def _protected_counts(*, top: Authority, schools: list[School]) -> dict[tuple, tuple]:
    """(children, signed up) as shown, for every school ("s", pk) and authority ("a", pk) under `top`."""
    communes: dict[int, list[int]] = {}
    for school in schools:
        communes.setdefault(school.authority_id, []).append(school.pk)
    if top.is_province:
        rows = {("a", top.pk): [("a", commune_id) for commune_id in communes]}
        rows.update({("a", commune_id): [("s", pk) for pk in ids] for commune_id, ids in communes.items()})
    else:
        rows = {("a", top.pk): [("s", pk) for pk in communes.get(top.pk, [])]}
    columns = ("children", "signed_up")
    values = {}
    for school in schools:
        values[(("s", school.pk), "children")] = school.children_count
        values[(("s", school.pk), "signed_up")] = school.signed_up_count
    for parent in [*(key for key in rows if key != ("a", top.pk)), ("a", top.pk)]:
        for column in columns:
            values[(parent, column)] = sum(values[(child, column)] for child in rows[parent])
    # The two columns count different things (children, and those of them with a family signed up): only
    # the rows add up.
    equations = disclosure.hierarchy_equations(rows=list(rows), columns=columns, row_children=rows)
    pattern = disclosure.protect(values, equations)
    return {row: (pattern.shown((row, "children")), pattern.shown((row, "signed_up"))) for row, _column in values}


def authority_overview_protected(*, authority: Authority) -> tuple[list[School], dict]:
    """The schools an officer sees, with the children and the families signed up counted as they may be
    shown (`coordination.lib.disclosure`): "< 5" for 1 to 4, and "x" wherever a small count could be
    worked out. One pattern covers the whole province (province > communes > schools), so that putting a
    commune's page beside the province's gives nothing away. It is kept a few minutes per province; four
    queries whatever the size, either way.

    Each school gets `children_shown` and `signed_up_shown`; the totals are the authority's own."""
    from django.core.cache import cache

    top = authority.province if authority.province_id else authority
    key = f"schools:authority-counts:{top.pk}"
    shown = cache.get(key)
    schools = authority_overview(authority=authority) if shown is not None else None
    if schools is None or any(("s", school.pk) not in shown for school in schools):
        everything = authority_overview(authority=top)
        shown = _protected_counts(top=top, schools=everything)
        cache.set(key, shown, PROTECTED_COUNTS_SECONDS)
        schools = [s for s in everything if top.pk == authority.pk or s.authority_id == authority.pk]
    for school in schools:
        school.children_shown, school.signed_up_shown = shown[("s", school.pk)]
    children, signed_up = shown.get(("a", authority.pk), (0, 0))  # no school yet: nothing counted
    totals = {"children": children, "signed_up": signed_up, "classrooms": sum(s.classroom_count for s in schools)}
    return schools, totals


def public_school_get(*, slug: str) -> School:
    """The school of the public page: its row kept between requests (school_by_slug), then its
    authority (a reference table) and this year's classes counted within the school."""
    school = school_by_slug(slug)
    if school is None:
        raise Http404
    if school.authority_id:
        school.authority = Authority.objects.select_related("province").filter(pk=school.authority_id).first()
    school.classroom_count = Classroom.objects.filter(school_id=school.pk, school_year__is_current=True).count()
    return school


def child_people(*, child: Child) -> dict:
    """The adults around a child: guardians, pick-up persons and class teachers.

    `guardianships` are the active ones; `unconfirmed_guardianships` (claims waiting for
    confirmation, suspended guardians) are for the staff's eyes only.
    """
    rows = list(
        child.guardianships.filter(
            school_id=child.school_id, status__in=[ACTIVE, GuardianshipStatus.PENDING, GuardianshipStatus.SUSPENDED]
        )
        .select_related("guardian")
        .order_by("-is_primary", "created_at")
    )
    return {
        "guardianships": [g for g in rows if g.status == ACTIVE],
        "unconfirmed_guardianships": [g for g in rows if g.status != ACTIVE],
        "pickup_persons": list(child.pickup_persons.filter(school_id=child.school_id)),
        "teachers": list(
            StaffMembership.objects.filter(school_id=child.school_id, classrooms=child.classroom_id, is_active=True)
            .select_related("user")
            .order_by("user__full_name")
        )
        if child.classroom_id
        else [],
    }


def enrolments_on(*, school_ids, day: datetime.date) -> QuerySet[Enrolment]:
    """The enrolments of the children in a class on a day, one per child, for figures (no person is shown).

    A move closes the old enrolment on the day the new one starts, so the new class counts that day;
    a child who left counts until the day before leaving.
    """
    return Enrolment.objects.filter(school_id__in=list(school_ids), starts_on__lte=day).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gt=day),
        Q(child__left_on__isnull=True) | Q(child__left_on__gt=day),
    )
