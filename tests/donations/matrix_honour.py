"""Who may use the donations' honour URLs and admin pages (merged into tests/test_authorization_matrix.py).

The honour roll, its poster and the photos of its gifts are public once published (a draft's poster
only for the school's managers). A thank-you letter's PDF is for the donor's own account (here the
parent) and the school's managers. The drawings pages are for the school's teachers; only the class's
teacher may put a drawing by a child of their class on a letter.
"""

from __future__ import annotations

import datetime

from tests.conftest import World
from tests.donations.matrix_admin import MANAGED
from tests.matrix_kit import EVERYONE_200, Entry, expect

NAMED = "Trần Thu Hà"
MANAGERS_200 = {"principal": 200, "vice_principal": 200, "accountant": 200, "superuser": 200}


def _gift(w: World):
    from donations.models import Donor, DonorDisplay, DonorKind
    from tests.donations.makers_honour import campaign_make, donor_make, received_make

    donor = Donor.objects.filter(school=w.school, user=w.parent).first() or donor_make(
        school=w.school, name=NAMED, display=DonorDisplay.NAME, kind=DonorKind.GUARDIAN, user=w.parent
    )
    return received_make(
        campaign=campaign_make(school=w.school), donor=donor, kind="in_kind", received_on=datetime.date(2026, 11, 5)
    )


def _roll(w: World, *, published: bool = True):
    from donations import honour
    from donations.models import HonourRoll

    HonourRoll.objects.filter(school=w.school).delete()
    _gift(w)
    roll = honour.honour_roll_draft(school=w.school, period="month", starts_on=datetime.date(2026, 11, 1))
    if published:
        honour.honour_roll_publish(roll=roll, by=w.principal)
    return roll


def _roll_with_photo(w: World):
    from donations.models import ContributionEvidence, HonourLine
    from tests.activities.makers import photo_make

    roll = _roll(w)
    line = HonourLine.objects.get(roll=roll)
    photo = photo_make(school=w.school, by=w.principal)
    ContributionEvidence.objects.create(contribution=line.donor.contributions.get(), media=photo)
    line.photo = photo
    line.save()
    return line


def _letter(w: World):
    from donations.letters import letter_create

    gift = _gift(w)
    return letter_create(donor=gift.donor, by=w.principal, contribution=gift)


def _sent_letter(w: World):
    from donations.letters import letter_send

    return letter_send(letter=_letter(w), by=w.principal)


def _letter_and_drawing(w: World):
    from parents.models import ConsentPurpose
    from tests import factories as f
    from tests.activities.makers import photo_make

    f.ConsentFactory(child=w.child, guardian=w.parent, purpose=ConsentPurpose.DONOR_LETTER_DRAWINGS, granted=True)
    return _letter(w), photo_make(school=w.school, by=w.teacher)


def _drawing_of_letter(w: World):
    from donations.models import Letter

    return list(Letter.objects.values_list("pk", "drawing_id", "drawing_child_id"))


MATRIX: dict[str, Entry | list[Entry]] = {
    "schools/<slug:slug>/honour/": Entry(
        lambda w: f"/schools/{w.school.slug}/honour/", EVERYONE_200, setup=_roll, shows=NAMED
    ),
    "schools/<slug:slug>/honour/<int:pk>/poster.pdf": [
        Entry(lambda w: f"/schools/{w.school.slug}/honour/{w.made.pk}/poster.pdf", EVERYONE_200, setup=_roll),
        Entry(
            lambda w: f"/schools/{w.school.slug}/honour/{w.made.pk}/poster.pdf",
            expect(anonymous=404, **MANAGERS_200),
            setup=lambda w: _roll(w, published=False),
        ),
    ],
    "schools/<slug:slug>/honour/<int:pk>/photos/<int:line>.jpg": Entry(
        lambda w: f"/schools/{w.school.slug}/honour/{w.made.roll_id}/photos/{w.made.pk}.jpg",
        EVERYONE_200,
        setup=_roll_with_photo,
    ),
    "donations/letters/<int:pk>.pdf": Entry(
        lambda w: f"/donations/letters/{w.made.pk}.pdf", expect(parent=200, **MANAGERS_200), setup=_sent_letter
    ),
    "donations/drawings/": Entry("/donations/drawings/", expect(teachers=200), setup=_letter),
    "donations/drawings/<int:pk>/": [
        Entry(
            lambda w: f"/donations/drawings/{w.made.pk}/",
            expect(school_teachers=200),
            setup=_letter,
            shows={"teacher": "Trần Thu Hà"},
        ),
        Entry(
            lambda w: f"/donations/drawings/{w.made[0].pk}/",
            expect(teacher="redirect", other_teacher=200),
            method="post",
            data=lambda w: {"child": w.child.pk, "drawing": str(w.made[1].pk)},
            setup=_letter_and_drawing,
            effect=_drawing_of_letter,
            changes_for=frozenset({"teacher"}),  # the other class's teacher is told the child is not theirs
        ),
    ],
}


def _admin_roll(w: World):
    return _roll(w, published=False)


ADMIN_MODELS: dict = {"donations/honourroll": (MANAGED, _admin_roll), "donations/letter": (MANAGED, _letter)}
