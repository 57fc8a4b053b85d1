"""What the schools hold about children, the people who collect them, the staff and the officers."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy as _

from accounts.personal_data import admin_log_scrub
from coordination.lib import fragments
from schools.caching import forget_access_of
from schools.models import Child, PickupPerson, StaffMembership

DECLARATIONS = [
    {
        "model": "schools.ChildRead",
        "holds": _(
            "Which staff member looked at which of your child's records (portfolio, photos, contacts), and when"
        ),
        "purpose": _("To show you who looked at your child's data"),
        "ground": "legal_obligation",
        "recipients": [_("your child's guardians")],
        "retention": _("Two years, then deleted"),
        "child": "child",
        "actors": ("reader",),
        "erase": "delete",
    },
    {
        "model": "schools.Child",
        "holds": _("Your child's name, nickname, date of birth, sex, class, the school's code and the ID number"),
        "purpose": _("To care for and teach your child, and to know who is in each class"),
        "ground": "public_task",
        "recipients": [_("the school's staff"), _("the education authorities, as figures without names")],
        "retention": _(
            "While your child attends the school and as the law on school records requires; when erased, only "
            "the year of birth and the sex remain, for the school's figures"
        ),
        "child": "pk",
        "erase": "custom",
    },
    {
        "model": "schools.Enrolment",
        "holds": _("The classes your child attended, with the dates"),
        "purpose": _("To know which class your child is in, and for the school's yearly figures"),
        "ground": "legal_obligation",
        "recipients": [_("the school's staff"), _("the education authorities, as figures without names")],
        "retention": _("As the law on school records requires; only dates and classes, never a name once erased"),
        "child": "child",
        "erase": "keep",
    },
    {
        "model": "schools.PickupPerson",
        "holds": _("The people who may collect your child or be called in an emergency: name, phone, ID number"),
        "purpose": _("To hand your child only to the people you chose, and to reach someone in an emergency"),
        "ground": "vital_interests",
        "recipients": [_("your child's teachers"), _("the school's leaders")],
        "retention": _("Until you remove them, or your child's data is erased"),
        "child": "child",
        "actors": ("added_by",),
        "erase": "custom",
    },
    {
        "model": "schools.StaffMembership",
        "holds": _("Staff members' role at the school and the classes they teach"),
        "purpose": _("To give each member of staff what their work needs, and nothing more"),
        "ground": "contract",
        "recipients": [_("the school's staff"), _("the families of the children they teach")],
        "retention": _("Kept as the school's staff record; the person's name goes when their data is erased"),
        "people": ("user",),
        "erase": "keep",
    },
    {
        "model": "schools.AuthorityOfficer",
        "holds": _("The officers of the ward or province and their titles"),
        "purpose": _("To show the officers the figures of the schools they oversee, never a child"),
        "ground": "public_task",
        "recipients": [],
        "retention": _("While the officer holds the post"),
        "people": ("user",),
        "erase": "delete",
    },
    {
        "model": "schools.SchoolDaysOff",
        "holds": _("Who entered the school's days off"),
        "purpose": _("To know who decided a closure"),
        "ground": "public_task",
        "recipients": [_("the school's staff")],
        "retention": _("Kept with the school's calendar; the name goes when the person's data is erased"),
        "actors": ("created_by",),
        "erase": "keep",
    },
    {
        "model": "schools.AuthorityDaysOff",
        "holds": _("Who entered the authority's days off"),
        "purpose": _("To know who decided a closure"),
        "ground": "public_task",
        "recipients": [_("the schools under the authority")],
        "retention": _("Kept with the calendar; the name goes when the person's data is erased"),
        "actors": ("created_by",),
        "erase": "keep",
    },
]


def _reads_purge(*, school, cutoff, now) -> int:
    from schools.services import child_reads_purge

    return child_reads_purge(school=school, cutoff=cutoff, now=now)


RETENTION = [
    {"key": "schools.reads", "label": _("Staff reads of a child's records"), "days": 730, "purge": _reads_purge},
]


def erased_child_name(child) -> str:
    return f"— {child.pk}"


def erase_child(child, *, now) -> dict[str, int]:
    """The child's row stays for the school's figures (year of birth, sex, classes), with nothing naming them."""
    pickups = list(PickupPerson.objects.filter(child=child).values_list("pk", flat=True))
    counts = {"admin.LogEntry": admin_log_scrub(model=PickupPerson, object_ids=pickups, placeholder="—")}
    counts["schools.PickupPerson"] = PickupPerson.objects.filter(pk__in=pickups).delete()[0]
    counts["admin.LogEntry"] += admin_log_scrub(
        model=Child, object_ids=[child.pk], placeholder=erased_child_name(child)
    )
    row = Child.objects.select_for_update().get(pk=child.pk)
    values = {
        "full_name": erased_child_name(row),
        "nickname": "",
        "national_id": "",
        "code": "",
        "date_of_birth": datetime.date(row.date_of_birth.year, 1, 1),
    }
    if any(getattr(row, name) != value for name, value in values.items()):
        # update(): Child.save() would give the child a new code.
        Child.objects.filter(pk=row.pk).update(**values)
        fragments.schools_changed([row.school_id])  # update() sends no signal (coordination/lib/fragments.py)
        counts["schools.Child"] = 1
    for name, value in values.items():
        setattr(child, name, value)
    return counts


def erase_person(user, *, now) -> dict[str, int]:
    """An erased member of staff no longer works anywhere; the records of their work stay, nameless."""
    memberships = StaffMembership.objects.filter(user=user, is_active=True)
    schools = set(memberships.values_list("school_id", flat=True))
    ended = memberships.update(is_active=False)
    forget_access_of([user.pk])  # update() sends no signal (schools/caching.py)
    fragments.schools_changed(schools)  # their name leaves their classes' cards
    return {"schools.StaffMembership": ended}
