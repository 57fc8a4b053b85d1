"""Who may use the donations' campaign pages (merged into tests/test_authorization_matrix.py).

A published campaign and the school's list of campaigns are public; a draft is seen by the school's
managers only (404 for everyone else). Families of the school (and its staff) comment on a plan
published for comment; the principal answers. Guardians of a child at the school pledge. A donor's
page, their contributions, receipts and display choice are their own: everyone else gets a 404.
"""

from __future__ import annotations

from tests.conftest import World
from tests.matrix_kit import SIGNED_IN_200, Entry, expect

TITLE = "Lò nướng cho bếp ăn"
MANAGERS_200 = expect(anonymous=404, others=404, leaders=200, accountant=200, superuser=200)
# A guardian of a child at the school now (not the former parent), and the school's active staff.
COMMENTERS = expect(
    others=403,
    parent="redirect",
    other_parent="redirect",
    school_teachers="redirect",
    leaders="redirect",
    nurse="redirect",
    accountant="redirect",
    kitchen="redirect",
)
PLEDGERS = expect(others=403, parent=200, other_parent=200)
OWNER_ONLY = expect(parent=200)


def _campaign(state: str):
    def make(w: World):
        from tests.donations import campaign_makers as m

        m.account(w.school)
        return m.campaign(w.school, state=state, title=TITLE)

    return make


def _campaign_url(suffix: str = ""):
    return lambda w: f"/schools/{w.school.slug}/campaigns/{w.made.pk}/{suffix}"


def _comments(w: World) -> list:
    from donations.models import Comment

    return list(Comment.objects.values_list("pk", flat=True))


def _contributions(w: World) -> list:
    from donations.models import Contribution

    return list(Contribution.objects.values_list("pk", "state"))


def _comment(w: World):
    from donations.models import Comment

    campaign = _campaign("comment")(w)
    return Comment.objects.create(campaign=campaign, author=w.parent, body="Lò có an toàn không?")


def _answers(w: World) -> list:
    from donations.models import Comment

    return list(Comment.objects.values_list("answer", flat=True))


def _gift(state: str = "pledged"):
    """The parent's own contribution (as a guardian donor of Sao Mai)."""

    def make(w: World):
        from tests.donations import campaign_makers as m

        campaign = _campaign("open")(w)
        donor = m.guardian_donor(w.school, w.parent)
        return m.contribution(campaign, donor, amount=450_000, state=state, receipt=7)

    return make


def _mine(suffix: str = ""):
    return lambda w: f"/donations/mine/{w.made.pk}/{suffix}"


def _displays(w: World) -> list:
    from donations.models import Donor

    return list(Donor.objects.values_list("pk", "display", "display_name"))


def _invitation(w: World):
    from donations.services_invitations import donor_invite
    from tests.donations import campaign_makers as m

    return donor_invite(donor=m.donor(w.school), by=w.accountant)


MATRIX: dict[str, Entry | list[Entry]] = {
    "schools/<slug:slug>/campaigns/": [
        Entry(
            lambda w: f"/schools/{w.school.slug}/campaigns/",
            expect(anonymous=200, others=200),
            shows=TITLE,
            setup=_campaign("open"),
        ),
        Entry("/schools/no-such-school/campaigns/", expect(anonymous=404)),
    ],
    "schools/<slug:slug>/campaigns/<int:pk>/": [
        Entry(_campaign_url(), expect(anonymous=200, others=200), shows=TITLE, setup=_campaign("open")),
        Entry(_campaign_url(), expect(anonymous=200, others=200), shows=TITLE, setup=_campaign("comment")),
        Entry(_campaign_url(), MANAGERS_200, shows=TITLE, setup=_campaign("draft")),
    ],
    "schools/<slug:slug>/campaigns/<int:pk>/comments/": Entry(
        _campaign_url("comments/"),
        COMMENTERS,
        method="post",
        data=lambda w: {"body": "Xin cho biết thêm về lò nướng."},
        effect=_comments,
        setup=_campaign("comment"),
    ),
    "schools/<slug:slug>/campaigns/<int:pk>/pledge/": [
        Entry(_campaign_url("pledge/"), PLEDGERS, shows=TITLE, setup=_campaign("open")),
        Entry(
            _campaign_url("pledge/"),
            expect(others=403, parent="redirect", other_parent="redirect"),
            method="post",
            data=lambda w: {"kind": "cash", "amount": "200000", "display": "anonymous", "language": "vi"},
            effect=_contributions,
            setup=_campaign("open"),
        ),
    ],
    "donations/comments/<int:comment_id>/answer/": Entry(
        lambda w: f"/donations/comments/{w.made.pk}/answer/",
        expect(principal="redirect", superuser="redirect"),
        method="post",
        data=lambda w: {"answer": "Lò có khóa an toàn."},
        effect=_answers,
        setup=_comment,
    ),
    "donations/mine/": Entry("/donations/mine/", SIGNED_IN_200, shows={"parent": TITLE}, setup=_gift()),
    "donations/mine/<int:pk>/": Entry(_mine(), OWNER_ONLY, shows=TITLE, setup=_gift()),
    "donations/mine/<int:pk>/cancel/": Entry(
        _mine("cancel/"), expect(parent="redirect"), method="post", effect=_contributions, setup=_gift()
    ),
    "donations/mine/<int:pk>/receipt.pdf": Entry(
        lambda w: f"/donations/mine/{w.made.pk}/receipt.pdf", OWNER_ONLY, setup=_gift("received")
    ),
    "donations/mine/donors/<int:pk>/display/": Entry(
        lambda w: f"/donations/mine/donors/{w.made.donor_id}/display/",
        expect(parent="redirect"),
        method="post",
        data=lambda w: {f"d{w.made.donor_id}-display": "name", f"d{w.made.donor_id}-language": "vi"},
        effect=_displays,
        setup=_gift(),
    ),
    # Anyone with the link: who is not signed in is asked to sign in or sign up first.
    "donations/invitations/<str:token>/": [
        Entry(
            lambda w: f"/donations/invitations/{w.made.token}/", expect(anonymous=200, others=200), setup=_invitation
        ),
        Entry("/donations/invitations/unknown-token/", expect(anonymous=200, others=404)),
    ],
}
ADMIN_MODELS: dict = {}
