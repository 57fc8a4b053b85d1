"""What donations holds about people, and how a donor's or a child's data is erased.

The law on accounting keeps what was given and received (amounts, receipt numbers, handover records,
the ledger) for years, so a donor's erasure anonymises the donor instead of deleting them: the name
becomes a neutral pseudonym, contacts, tax code, address and account link are blanked, and every
record keeps pointing to that nameless donor. The ledger is never touched: its hashed content names
no person (a donor appears there only by a random reference kept outside the hash), so its chain still
verifies afterwards.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import ProtectedError, Q
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from donations.models import (
    Asset,
    BankLine,
    CampaignState,
    Contribution,
    ContributionState,
    Donor,
    DonorDisplay,
    DonorInvitation,
    DonorKind,
    Handover,
    HonourLine,
    Letter,
)
from mediafiles.models import MediaFile
from mediafiles.services import media_delete

PEOPLE = (DonorKind.GUARDIAN, DonorKind.PERSON)  # a business's or an organisation's record is not a person's
ACCOUNTING = _("Ten years after the campaign's settlement, as the law on accounting requires")

DECLARATIONS = [
    {
        "model": "donations.Donor",
        "holds": _("The donor's name, e-mail, phone, address and tax code, and how they wish to be shown in public"),
        "purpose": _("To issue receipts and thank-you letters, and to show donors only as they chose"),
        "ground": "legal_obligation",
        "recipients": [_("the principal and the school's accountant")],
        "retention": _(
            "As long as the school's accounts for their gifts are kept; on erasure the name is replaced by a "
            "number and the contacts are removed"
        ),
        "people": ("user",),
        "actors": ("created_by",),
        "erase": "custom",
    },
    {
        "model": "donations.DonorInvitation",
        "holds": _("The link the accountant sent a donor to make an account"),
        "purpose": _("To let a donor see their own gifts and letters"),
        "ground": "contract",
        "retention": _("Deleted 30 days after the link expires"),
        "people": ("donor__user",),
        "actors": ("created_by",),
        "exclude": ("token",),
    },
    {
        "model": "donations.Contribution",
        "holds": _("What each donor gave (money, goods or work), when, and its receipt number"),
        "purpose": _("To receive gifts, issue receipts and publish what was received and spent"),
        "ground": "legal_obligation",
        "recipients": [_("the public, as amounts without names unless the donor chose to be named")],
        "retention": ACCOUNTING,
        "people": ("donor__user",),
        "actors": ("received_by", "ended_by", "created_by"),
        "erase": "keep",
    },
    {
        "model": "donations.ContributionEvent",
        "holds": _("Who recorded each step of a gift, and when"),
        "purpose": _("To show who did what with each gift"),
        "ground": "legal_obligation",
        "retention": ACCOUNTING,
        "actors": ("by",),
        "erase": "keep",
    },
    {
        "model": "donations.LedgerEntry",
        "holds": _("The public ledger of gifts and spending, naming donors only by a random reference"),
        "purpose": _("To let anyone check that the school's accounts were never rewritten"),
        "ground": "legal_obligation",
        "recipients": [_("the public")],
        "retention": ACCOUNTING,
        # Never changed, not even the recorder: the database refuses any update of a ledger row.
        "erase": "keep",
    },
    {
        "model": "donations.Letter",
        "holds": _("Thank-you letters to donors, sometimes with a child's drawing"),
        "purpose": _("To thank donors, with a child's drawing only when the guardians agreed"),
        "ground": "consent",
        "recipients": [_("the donor the letter thanks")],
        "retention": _("Until the donor's data is erased; a child's drawing until the child's data is erased"),
        "child": "drawing_child",
        "people": ("donor__user",),
        "actors": ("created_by",),
        "media": ("drawing",),
        "erase": "anonymise",
    },
    {
        "model": "donations.Comment",
        "holds": _("Questions and remarks people wrote on a campaign's plan"),
        "purpose": _("To consult the families before a campaign collects anything"),
        "ground": "public_task",
        "recipients": [_("the school's leaders and the parents' board")],
        "retention": _("Until the writer's data is erased"),
        "people": ("author",),
        "actors": ("answered_by",),
    },
    {
        "model": "donations.TeamMember",
        "holds": _("Who is on the school's sponsorship team and in which role"),
        "purpose": _("To let the team manage campaigns and co-sign settlements"),
        "ground": "public_task",
        "retention": _("Until the person leaves the team or their data is erased"),
        "people": ("user",),
        "actors": ("appointed_by",),
    },
    {
        "model": "donations.Campaign",
        "holds": _("Which staff member prepared and published each campaign"),
        "purpose": _("To show who is responsible for a campaign"),
        "ground": "legal_obligation",
        "retention": ACCOUNTING,
        "actors": ("published_by", "created_by"),
        "erase": "keep",
    },
    {
        "model": "donations.Spending",
        "holds": _("Who recorded and approved each spending"),
        "purpose": _("To show who is responsible for each spending"),
        "ground": "legal_obligation",
        "retention": ACCOUNTING,
        "actors": ("recorded_by", "decided_by"),
        "erase": "keep",
    },
    {
        "model": "donations.Settlement",
        "holds": _("The settlement report of each campaign and the names of those who signed it"),
        "purpose": _("To close each campaign's accounts in public"),
        "ground": "legal_obligation",
        "recipients": [_("the public")],
        "retention": ACCOUNTING,
        "actors": ("prepared_by", "cosigned_by"),
        "erase": "keep",
    },
    {
        "model": "donations.BankImport",
        "holds": _("Who imported each bank statement"),
        "purpose": _("To match transfers with pledges"),
        "ground": "legal_obligation",
        "retention": ACCOUNTING,
        "actors": ("imported_by",),
        "erase": "keep",
    },
    {
        "model": "donations.HonourRoll",
        "holds": _("The honour roll, with the names donors chose to be shown by"),
        "purpose": _("To thank contributors in public, only by the name they chose"),
        "ground": "consent",
        "recipients": [_("the public")],
        "retention": _("Until a named donor's data is erased, when their line reads “Anonymous”"),
        "actors": ("published_by",),
        "erase": "keep",
    },
    {
        "model": "donations.HonourLine",
        "holds": _("Each line of the honour roll: the name shown, the gift, sometimes a photo"),
        "purpose": _("To thank contributors in public, only by the name they chose"),
        "ground": "consent",
        "recipients": [_("the public")],
        "retention": _("Until the donor's data is erased, when the line reads “Anonymous” without a photo"),
        "people": ("donor__user",),
        "media": ("photo",),
        "erase": "custom",
    },
    {
        "model": "donations.Handover",
        "holds": _("The record of goods handed over, with the giver's name"),
        "purpose": _("To prove what the school received, as the rules on sponsorship require"),
        "ground": "legal_obligation",
        "retention": _("As long as the accounts; on the donor's erasure the giver's name becomes their number"),
        "people": ("contribution__donor__user",),
        "erase": "custom",
    },
    {
        "model": "donations.Asset",
        "holds": _("Equipment given to the school, with the name the donor chose to be credited by"),
        "purpose": _("To keep the school's asset register and credit the donor"),
        "ground": "legal_obligation",
        "retention": _("As long as the asset is registered; the credit is removed on the donor's erasure"),
        "people": ("contribution__donor__user",),
        "erase": "custom",
    },
    {
        "model": "donations.BankLine",
        "holds": _("Lines of the school's bank statements: date, amount and the transfer's message"),
        "purpose": _("To match transfers with pledges"),
        "ground": "legal_obligation",
        "retention": _("As long as the accounts; the message is removed on the donor's erasure"),
        "people": ("contribution__donor__user",),
        "erase": "custom",
    },
]


def _pseudonym(donor: Donor) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return gettext("Donor #%(number)s") % {"number": donor.pk}


def _media_remove(ids) -> int:
    removed = 0
    for media in MediaFile.objects.filter(pk__in=[pk for pk in ids if pk]):
        try:
            media_delete(media=media)
        except ProtectedError:  # still used by another record: kept with it
            continue
        removed += 1
    return removed


def donor_anonymise(*, donor: Donor) -> None:
    """Replace a donor's identity by a pseudonym, keeping what accounting law keeps (amounts, receipts)."""
    name = _pseudonym(donor)
    values = {"user": None, "email": "", "phone": ""}
    if donor.kind in PEOPLE:
        # A company's name, tax code and address are not a person's data and stay on its invoices.
        values.update(
            name=name,
            kind=DonorKind.PERSON,
            address="",
            tax_code="",
            display=DonorDisplay.ANONYMOUS,
            display_name="",
        )
    Donor.objects.filter(pk=donor.pk).update(**values)
    if donor.kind in PEOPLE:
        gifts = Contribution.objects.filter(donor=donor)
        gifts.update(note="")
        Handover.objects.filter(contribution__donor=donor).update(giver_name=name)
        Asset.objects.filter(contribution__donor=donor).update(credit="")
        # A transfer's message usually carries the sender's name; the amount, date and bank reference stay.
        BankLine.objects.filter(contribution__donor=donor).update(message="")


def erase_person(user, *, now) -> dict[str, int]:
    """A person's letters and honour-roll lines go and their donor records become pseudonymous; a company
    they stood for only loses the link to their account and their contacts."""
    donors = list(Donor.objects.filter(user=user))
    if not donors:
        return {}
    counts = {"donations.Letter": 0, "donations.HonourLine": 0, "donations.Donor": 0, "mediafiles.MediaFile": 0}
    people = [donor for donor in donors if donor.kind in PEOPLE]
    letters = Letter.objects.filter(donor__in=people)
    drawings = set(letters.values_list("drawing_id", flat=True))
    counts["donations.Letter"] = letters.delete()[1].get("donations.Letter", 0)
    lines = HonourLine.objects.filter(donor__in=people)
    photos = set(lines.values_list("photo_id", flat=True))
    with translation.override(settings.LANGUAGE_CODE):
        anonymous = gettext("Anonymous")
    counts["donations.HonourLine"] = lines.update(donor=None, photo=None, shown_as=anonymous)
    counts["mediafiles.MediaFile"] = _media_remove(drawings | photos)
    for donor in donors:
        donor_anonymise(donor=donor)
        counts["donations.Donor"] += 1
    return counts


def legal_holds(*, child=None, user=None) -> list[str]:
    """A donor's gifts to a campaign whose accounts are still open keep the donor's record as it is."""
    if user is None:
        return []
    open_campaigns = (
        Contribution.objects.filter(donor__user=user, donor__kind__in=PEOPLE)
        .exclude(state=ContributionState.CANCELLED)
        .exclude(campaign__state=CampaignState.SETTLED)
        .values_list("campaign__title", flat=True)
        .distinct()
    )
    return [
        gettext(
            "%(campaign)s: this person gave to the campaign and its accounts are not settled yet. "
            "Their donor record can be erased once the settlement report closes the campaign."
        )
        % {"campaign": title}
        for title in sorted(set(open_campaigns))
    ]


def _invitations_purge(*, school, cutoff, now) -> int:
    expired = DonorInvitation.objects.filter(donor__school=school).filter(
        Q(expires_at__lt=cutoff) | Q(accepted_at__lt=cutoff)
    )
    return expired.delete()[1].get("donations.DonorInvitation", 0)


RETENTION = [
    {
        "key": "donations.invitations",
        "label": _("Donors' account invitations, after they expire or are used"),
        "days": 30,
        "purge": _invitations_purge,
    },
]
