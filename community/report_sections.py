"""The school report's section on the lending library and events (see reports.sections for the contract).

Loans count in the month they were lent or returned; a loan is returned late when it came back (a day
in the schools' time zone) after its due day. Events count in the month they start, cancelled ones
not at all; "coming" is the families' answers (one per guardian) and the people they said would come.

Volunteering is counted in places and sign-ups, not hours: a role holds a number of places but no
length of its own, and the event's length would overstate a job of an hour at a day's festival.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext_lazy as _

from community.models import Event, EventAnswer, LibraryLoan, VolunteerRole, VolunteerSignup
from coordination.lib.days import days_between

ORDER = 80
TITLE = _("Lending library and events")
METRICS = [
    {"key": "loans_made", "label": _("Loans made"), "kind": "count"},
    {"key": "loans_returned", "label": _("Loans returned"), "kind": "count"},
    {"key": "returned_late", "label": _("Loans returned late"), "kind": "count"},
    {"key": "overdue", "label": _("Loans overdue at the end of the period"), "kind": "stock"},
    {"key": "events_held", "label": _("Events held"), "kind": "count"},
    {"key": "families_coming", "label": _("Families coming to events"), "kind": "count"},
    {"key": "people_coming", "label": _("People coming to events"), "kind": "count"},
    {"key": "volunteer_places", "label": _("Volunteer places offered"), "kind": "count"},
    {"key": "volunteer_signups", "label": _("Volunteer sign-ups"), "kind": "count"},
]
RATES = [
    {
        "key": "returned_late_rate",
        "label": _("Loans returned late"),
        "numerator": "returned_late",
        "denominator": "loans_returned",
    },
    {
        "key": "volunteer_fill_rate",
        "label": _("Volunteer places filled"),
        "numerator": "volunteer_signups",
        "denominator": "volunteer_places",
    },
]


def figures(*, school_ids: list[int], start: datetime.date, end: datetime.date):
    """Yield (school_id, "", metric, value) for the loans and events of start..end: five queries."""
    since, until = days_between(start, end)
    schools = {"school_id__in": list(school_ids)}
    totals: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))

    lent = Q(out_at__gte=since, out_at__lt=until)
    returned = Q(returned_at__gte=since, returned_at__lt=until)
    # Out at the end of the last day, and due before that day.
    overdue = Q(out_at__lt=until, due_on__lt=end) & (Q(returned_at__isnull=True) | Q(returned_at__gte=until))
    loans = (
        LibraryLoan.objects.filter(Q(**schools) & (lent | returned | overdue))
        .values("school_id")
        .annotate(
            loans_made=Count("pk", filter=lent),
            loans_returned=Count("pk", filter=returned),
            returned_late=Count("pk", filter=returned & Q(returned_at__date__gt=F("due_on"))),
            overdue=Count("pk", filter=overdue),
        )
        .order_by()
    )
    for row in loans:
        totals[row.pop("school_id")].update(row)

    held = {"starts_at__gte": since, "starts_at__lt": until, "cancelled_at__isnull": True}
    for row in Event.objects.filter(**schools, **held).values("school_id").annotate(n=Count("pk")).order_by():
        totals[row["school_id"]]["events_held"] = row["n"]
    event_held = {f"event__{name}": value for name, value in held.items()}
    coming = (
        EventAnswer.objects.filter(**schools, **event_held, coming=True)
        .values("school_id")
        .annotate(families=Count("pk"), people=Sum("people"))
        .order_by()
    )
    for row in coming:
        totals[row["school_id"]]["families_coming"] = row["families"]
        totals[row["school_id"]]["people_coming"] = row["people"] or 0
    places = VolunteerRole.objects.filter(**schools, **event_held).values("school_id").annotate(n=Sum("slots"))
    for row in places.order_by():
        totals[row["school_id"]]["volunteer_places"] = row["n"] or 0
    role_held = {f"role__{name}": value for name, value in event_held.items()}
    signups = VolunteerSignup.objects.filter(**schools, **role_held).values("school_id").annotate(n=Count("pk"))
    for row in signups.order_by():
        totals[row["school_id"]]["volunteer_signups"] = row["n"]

    for school_id, values in totals.items():
        for metric in METRICS:
            yield school_id, "", metric["key"], values[metric["key"]]
