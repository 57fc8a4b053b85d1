"""Writes for families: invitations, guardianships and consent. One atomic function each.

Who looks after a child is told to the family at once: every new guardianship, and every
pick-up person added or removed, goes to the child's other guardians and the class teachers as
an always-sent notice (category "family": never held for a digest or the quiet hours).
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from coordination.lib import fragments
from notifications import budgets
from notifications.budgets import SmsBudgetExceeded
from notifications.channels import user_language
from notifications.models import Category, Channel
from notifications.services import account_message_send, notice_send
from parents.caching import forget_family_of
from parents.consent_texts import CONSENT_TEXTS
from parents.models import (
    RETIRED_PURPOSES,
    ConsentRecord,
    FamilyViewer,
    Guardianship,
    GuardianshipStatus,
    InvitationCode,
    Relationship,
)
from parents.policies import (
    can_decide_guardianship,
    can_invite_family_viewers,
    can_question_guardianship,
    can_record_consent,
    can_revoke_family_viewer,
    forget_guardianships,
    has_verified_contact,
    other_leaders_exist,
)
from schools import policies
from schools.models import LEADER_ROLES, Child, PickupPerson, StaffMembership, StaffRole

Status = GuardianshipStatus

# No 0/O, 1/I/L: the code is typed from paper on a phone keypad.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


class InvitationError(Exception):
    """A code that cannot be used, with a message for the person who typed it."""


def invitation_code_normalize(raw: str) -> str:
    return "".join(ch for ch in (raw or "").upper() if ch.isalnum())


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


@transaction.atomic
def invitation_create(*, child: Child, by, relationship: str = "", valid_days: int | None = None) -> InvitationCode:
    """Issue a fresh code that lets one guardian claim the child."""
    if not policies.can_manage_invitations(by, child):
        raise PermissionDenied
    days = valid_days or settings.INVITATION_VALID_DAYS
    expires_at = timezone.now() + datetime.timedelta(days=days)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return InvitationCode.objects.create(
                    school_id=child.school_id,
                    child=child,
                    code=_new_code(),
                    relationship=relationship,
                    created_by=by,
                    expires_at=expires_at,
                )
        except IntegrityError:
            continue
    raise RuntimeError("could not find a free invitation code")


@transaction.atomic
def invitation_revoke(*, invitation: InvitationCode, by) -> None:
    """Stop a code from working, for example when a letter went astray."""
    if not policies.can_manage_invitations(by, invitation.child):
        raise PermissionDenied
    InvitationCode.objects.filter(pk=invitation.pk, revoked_at__isnull=True, claimed_at__isnull=True).update(
        revoked_at=timezone.now()
    )


class GuardianshipError(Exception):
    """A decision about a guardianship that cannot be taken, with a message for the person."""


@transaction.atomic
def invitation_claim(*, code: str, user, relationship: str) -> Guardianship:
    """Link the user to the code's child, using up the code.

    A parent becomes an active guardian at once. A member of the child's school's staff gets a
    pending guardianship that counts for nothing until someone else confirms it
    (guardianship_decide): a teacher cannot make themselves a child's guardian alone.
    """
    normalized = invitation_code_normalize(code)
    invitation = (
        InvitationCode.objects.select_for_update().select_related("child__school").filter(code=normalized).first()
    )
    if invitation is None:
        raise InvitationError(_("This code is not valid. Check the letter from the school and try again."))
    if invitation.created_by_id is not None and invitation.created_by_id == user.pk:
        raise InvitationError(
            _("You created this code, so you cannot use it: it is for the child's family. Give them the letter.")
        )
    if invitation.claimed_at:
        if invitation.claimed_by_id == user.pk:
            raise InvitationError(_("You have already used this code: the child is on your home page."))
        raise InvitationError(_("This code has already been used. Ask the school for a new one."))
    if invitation.revoked_at:
        raise InvitationError(_("This code was cancelled by the school. Ask the school for a new one."))
    if invitation.expires_at <= timezone.now():
        raise InvitationError(_("This code has expired. Ask the school for a new one."))
    if invitation.child.left_on:
        raise InvitationError(_("This child no longer attends the school."))
    existing = Guardianship.objects.filter(child=invitation.child, guardian=user).exclude(status=Status.ENDED).first()
    if existing is not None:
        raise InvitationError(
            {
                Status.PENDING: _("Your request for this child is already waiting for the school's confirmation."),
                Status.SUSPENDED: _("Your link to this child is suspended until the school decides. Ask the school."),
            }.get(existing.status, _("You are already a guardian of this child."))
        )
    if relationship not in Relationship.values:
        relationship = invitation.relationship or Relationship.GUARDIAN
    staff = policies.is_staff_of(user, invitation.school_id)
    guardianship = Guardianship.objects.create(
        school_id=invitation.school_id,
        child=invitation.child,
        guardian=user,
        relationship=relationship,
        status=Status.PENDING if staff else Status.ACTIVE,
        is_primary=False if staff else not Guardianship.objects.active().filter(child=invitation.child).exists(),
    )
    guardianship.child = invitation.child
    if not staff:
        _end_following_as_guardian(child_id=invitation.child_id, user=user)
    invitation.claimed_by = user
    invitation.claimed_at = timezone.now()
    invitation.save(update_fields=["claimed_by", "claimed_at"])
    forget_guardianships(user)
    if staff:
        _tell_deciders(guardianship, title=CLAIM_PENDING_TITLE, body=CLAIM_PENDING_BODY, key="pending")
    else:
        _tell_new_guardian(guardianship, by=user)
    return guardianship


DECISIONS = ("confirm", "refuse", "restore", "end")


@transaction.atomic
def guardianship_decide(*, guardianship: Guardianship, by, decision: str) -> Guardianship:
    """Confirm or refuse a staff member's claim; restore or end a suspended guardianship.

    Only someone else may decide (parents.policies.can_decide_guardianship), and the decision is
    recorded with who and when. The portal's page and the admin's actions both come here.
    """
    guardianship = (
        Guardianship.objects.select_for_update(of=("self",))
        .select_related("child__school", "guardian")
        .get(pk=guardianship.pk)
    )
    if decision not in DECISIONS:
        raise GuardianshipError(_("Choose what to do: confirm, refuse, restore or end."))
    if by.pk == guardianship.guardian_id:
        raise GuardianshipError(
            _("You cannot decide about your own link to a child: another leader or member of the staff must.")
        )
    if not can_decide_guardianship(by, guardianship):
        raise PermissionDenied
    now = timezone.now()
    if decision in ("confirm", "refuse"):
        if guardianship.status != Status.PENDING:
            raise GuardianshipError(_("This request is not waiting for confirmation any more."))
        if decision == "confirm":
            guardianship.status = Status.ACTIVE
            guardianship.confirmed_by, guardianship.confirmed_at = by, now
            guardianship.is_primary = not Guardianship.objects.active().filter(child_id=guardianship.child_id).exists()
        else:
            guardianship.status = Status.ENDED
            guardianship.decided_by, guardianship.decided_at = by, now
    else:
        if guardianship.status != Status.SUSPENDED:
            raise GuardianshipError(_("Only a suspended guardian can be restored or ended."))
        guardianship.status = Status.ACTIVE if decision == "restore" else Status.ENDED
        guardianship.decided_by, guardianship.decided_at = by, now
    guardianship.save(
        update_fields=["status", "is_primary", "confirmed_by", "confirmed_at", "decided_by", "decided_at"]
    )
    if guardianship.status == Status.ACTIVE:
        _end_following_as_guardian(child_id=guardianship.child_id, user=guardianship.guardian)
    forget_guardianships(guardianship.guardian)
    if decision == "confirm":
        _tell_new_guardian(guardianship, by=by)
        _tell(
            guardianship.guardian, guardianship, CONFIRMED_TITLE, CONFIRMED_BODY, reverse("parents:home"), "confirmed"
        )
    elif decision == "refuse":
        _tell(guardianship.guardian, guardianship, REFUSED_TITLE, REFUSED_BODY, reverse("parents:home"), "refused")
    else:
        title, body = (RESTORED_TITLE, RESTORED_BODY) if decision == "restore" else (ENDED_TITLE, ENDED_BODY)
        recipients = [guardianship.guardian]
        if guardianship.disputed_by_id and guardianship.disputed_by_id != by.pk:
            recipients.append(guardianship.disputed_by)
        for person in recipients:
            _tell(person, guardianship, title, body, reverse("parents:home"), decision)
    return guardianship


@transaction.atomic
def guardianship_question(*, guardianship: Guardianship, by) -> bool:
    """Another guardian does not know this person: the guardianship is suspended at once.

    It counts for nothing until a leader of the school decides (guardianship_decide: restore or
    end). Returns False when it was suspended already.
    """
    guardianship = (
        Guardianship.objects.select_for_update(of=("self",))
        .select_related("child__school", "guardian")
        .get(pk=guardianship.pk)
    )
    if not can_question_guardianship(by, guardianship):
        raise PermissionDenied
    if guardianship.status == Status.SUSPENDED:
        return False
    if guardianship.decided_at is not None:
        raise GuardianshipError(
            _("The school has already looked into this guardian and kept them. Talk to the school if you are worried.")
        )
    guardianship.status = Status.SUSPENDED
    guardianship.disputed_by, guardianship.disputed_at = by, timezone.now()
    guardianship.save(update_fields=["status", "disputed_by", "disputed_at"])
    forget_guardianships(guardianship.guardian)
    _tell_deciders(guardianship, title=QUESTIONED_TITLE, body=QUESTIONED_BODY, key="questioned", by=by)
    _tell(guardianship.guardian, guardianship, SUSPENDED_TITLE, SUSPENDED_BODY, reverse("parents:home"), "suspended")
    return True


@transaction.atomic
def consent_record(*, guardian, child: Child, purpose: str, granted: bool) -> ConsentRecord:
    """Record a guardian giving or withdrawing consent for one purpose, with the text shown."""
    if not can_record_consent(guardian, child):
        raise PermissionDenied
    if purpose in RETIRED_PURPOSES:
        raise ValueError(f"consent purpose {purpose!r} is retired: nobody is asked for it any more")
    version, text = CONSENT_TEXTS[purpose]
    return ConsentRecord.objects.create(
        school_id=child.school_id,
        child=child,
        guardian=guardian,
        purpose=purpose,
        granted=granted,
        text_version=version,
        text=str(text),
    )


# --- Telling the family ------------------------------------------------------------------------------
# Messages about a child name the child by given name only, and link to the portal for the rest.

NEW_GUARDIAN_TITLE = gettext_lazy("%(child)s has a new guardian: %(person)s")
NEW_GUARDIAN_BODY = gettext_lazy(
    "%(person)s (%(relationship)s) is now a guardian of %(child)s and can see everything the school shares "
    "about them. If you do not know this person, say so from the link: they lose access at once until the "
    "school decides."
)
NEW_GUARDIAN_TEACHER_BODY = gettext_lazy("%(person)s (%(relationship)s) is now a guardian of %(child)s.")
CLAIM_PENDING_TITLE = gettext_lazy("To confirm: %(person)s asks to be a guardian of %(child)s")
CLAIM_PENDING_BODY = gettext_lazy(
    "%(person)s works at the school and used an invitation code for %(child)s. Until someone else confirms "
    "it, they are not the child's guardian. Confirm or refuse it from the link."
)
CONFIRMED_TITLE = gettext_lazy("You are now a guardian of %(child)s")
CONFIRMED_BODY = gettext_lazy("%(by)s confirmed your request. The child is on your family page.")
REFUSED_TITLE = gettext_lazy("Your request for %(child)s was refused")
REFUSED_BODY = gettext_lazy("%(by)s refused your request to be a guardian of %(child)s. Ask the school why.")
QUESTIONED_TITLE = gettext_lazy("To decide: a guardian of %(child)s does not know %(person)s")
QUESTIONED_BODY = gettext_lazy(
    "%(by)s said they do not know %(person)s, a guardian of %(child)s. %(person)s has no access to the child "
    "until the school decides: restore or end it from the link."
)
SUSPENDED_TITLE = gettext_lazy("Your link to %(child)s is suspended")
SUSPENDED_BODY = gettext_lazy(
    "Another guardian of %(child)s did not recognise you. Until the school decides, you cannot see the child "
    "in the portal. Talk to the school."
)
RESTORED_TITLE = gettext_lazy("%(person)s is a guardian of %(child)s again")
RESTORED_BODY = gettext_lazy("%(by)s looked into it and restored %(person)s as a guardian of %(child)s.")
ENDED_TITLE = gettext_lazy("%(person)s is no longer a guardian of %(child)s")
ENDED_BODY = gettext_lazy("%(by)s looked into it and ended the link of %(person)s to %(child)s.")
PICKUP_TITLE = gettext_lazy("%(child)s: the pick-up persons changed")
PICKUP_ADDED_BODY = gettext_lazy(
    "%(by)s added %(person)s to the people who may pick up %(child)s or be called in an emergency."
)
PICKUP_CHANGED_BODY = gettext_lazy(
    "%(by)s changed the details of %(person)s, who may pick up %(child)s or be called in an emergency."
)
PICKUP_REMOVED_BODY = gettext_lazy("%(by)s removed %(person)s from the people who may pick up %(child)s.")


def _name(user) -> str:
    if user is None:
        return ""
    return user.full_name or str(user)


def _context(guardianship: Guardianship, by=None) -> dict:
    return {
        "child": guardianship.child.given_name,
        "person": _name(guardianship.guardian),
        # The lazy label, so that each recipient reads it in their own language.
        "relationship": Relationship(guardianship.relationship).label,
        "by": _name(by),
    }


def _tell(recipient, guardianship: Guardianship, title, body, url: str, key: str, by=None) -> None:
    context = _context(guardianship, by=by or guardianship.decided_by or guardianship.confirmed_by)
    notice_send(
        recipient=recipient,
        category=Category.FAMILY,
        title=title,
        body=body,
        url=url,
        dedupe_key=f"family:guardianship:{guardianship.pk}:{key}:{recipient.pk}",
        school=guardianship.child.school,
        context=context,
    )


def _class_teachers(child: Child) -> list:
    if not child.classroom_id:
        return []
    return list(
        get_user_model()
        .objects.filter(
            staff_memberships__classrooms=child.classroom_id,
            staff_memberships__school_id=child.school_id,
            staff_memberships__role=StaffRole.TEACHER,
            staff_memberships__is_active=True,
        )
        .distinct()
        .order_by("pk")
    )


def _other_guardians(child: Child, *, besides: set[int]) -> list:
    return [
        g.guardian
        for g in Guardianship.objects.active().filter(child=child).select_related("guardian").order_by("pk")
        if g.guardian_id not in besides
    ]


def _deciders(guardianship: Guardianship) -> list:
    """Who may decide about the guardianship: the other leaders; with none, the rest of the staff."""
    memberships = StaffMembership.objects.filter(school_id=guardianship.school_id, is_active=True).exclude(
        user_id=guardianship.guardian_id
    )
    if other_leaders_exist(guardianship):
        memberships = memberships.filter(role__in=LEADER_ROLES)
    return [m.user for m in memberships.select_related("user").order_by("pk")]


def _tell_deciders(guardianship: Guardianship, *, title, body, key: str, by=None) -> None:
    url = reverse("parents:school_guardianships", args=[guardianship.child.school.slug])
    for person in _deciders(guardianship):
        if by is None or person.pk != by.pk:
            _tell(person, guardianship, title, body, url, key, by=by)


def _tell_new_guardian(guardianship: Guardianship, *, by) -> None:
    """A guardianship became active: its child's other guardians and class teachers hear of it now."""
    child = guardianship.child
    besides = {guardianship.guardian_id, by.pk}
    check = reverse("parents:guardianship_check", args=[guardianship.pk])
    for person in _other_guardians(child, besides=besides):
        _tell(person, guardianship, NEW_GUARDIAN_TITLE, NEW_GUARDIAN_BODY, check, "new", by=by)
    for person in _class_teachers(child):
        if person.pk not in besides:
            url = reverse("schools:child", args=[child.pk])
            _tell(person, guardianship, NEW_GUARDIAN_TITLE, NEW_GUARDIAN_TEACHER_BODY, url, "new", by=by)


def pickup_person_change_tell(*, person: PickupPerson, child: Child, by, change: str) -> None:
    """Tell the child's guardians and class teachers (but not who made it) that a pick-up person
    was added, changed or removed."""
    body = {"added": PICKUP_ADDED_BODY, "changed": PICKUP_CHANGED_BODY, "removed": PICKUP_REMOVED_BODY}[change]
    # A person is added and removed once, but may be changed many times.
    key = f"family:pickup:{person.pk}:{change}" + (f":{timezone.now().timestamp()}" if change == "changed" else "")
    context = {"child": child.given_name, "person": person.full_name, "by": _name(by)}
    guardians = _other_guardians(child, besides={by.pk})
    teachers = [t for t in _class_teachers(child) if t.pk != by.pk]
    for recipient in guardians + teachers:
        is_guardian = recipient in guardians
        notice_send(
            recipient=recipient,
            category=Category.FAMILY,
            title=PICKUP_TITLE,
            body=body,
            url=reverse("parents:pickup" if is_guardian else "schools:child", args=[child.pk]),
            dedupe_key=f"{key}:{recipient.pk}",
            school=child.school,
            context=context,
        )


# --- Family viewers: invited to follow a child, read-only ---------------------------------------------
# A guardian invites a family member with a link (an unguessable token, usable once, for
# FAMILY_VIEWER_INVITATION_DAYS); the person accepts with their own account and then follows the
# child read-only. The child's guardians are told at once, and any of them may revoke it.

# A guardian passes the link on themselves (Zalo, a text of their own); the portal also sends it, if
# asked, to an address or number that belongs to a member: it writes to no one else (the same rule
# as accounts.adapter), and says the same whether or not it did, so that nobody learns through this
# form who has an account.
OPEN_INVITATIONS_PER_CHILD = 10
INVITATIONS_PER_GUARDIAN_DAY = 20

VIEWER_JOINED_TITLE = gettext_lazy("%(person)s now follows %(child)s")
VIEWER_JOINED_BODY = gettext_lazy(
    "%(person)s accepted the invitation of %(by)s and now follows %(child)s: the works, voice notes, shared "
    "home activities and portfolio, read-only. If this is not the person you invited, revoke it from the "
    "link: they lose access at once."
)
VIEWER_REVOKED_TITLE = gettext_lazy("%(person)s no longer follows %(child)s")
VIEWER_REVOKED_BODY = gettext_lazy("%(by)s revoked the access of %(person)s, who no longer follows %(child)s.")
VIEWER_LEFT_BODY = gettext_lazy("%(person)s stopped following %(child)s.")
INVITATION_TITLE = gettext_lazy("Invitation to follow %(child)s")
INVITATION_EMAIL = gettext_lazy(
    "%(by)s invites you to follow %(child)s on the portal of their school: the works, voice notes and "
    "portfolio, read-only.\n\nOpen this link to accept it with your own account (sign up if you have none). "
    "It works once, until %(expires)s:\n%(url)s"
)
INVITATION_SMS = gettext_lazy("%(by)s invites you to follow %(child)s on the school portal: %(url)s")


class FamilyViewerError(Exception):
    """An invitation that cannot be made or used, with a message for the person."""


def family_viewer_url(viewer: FamilyViewer) -> str:
    """The invitation's link, as the guardian passes it on."""
    return settings.SITE_URL + reverse("parents:follow", args=[viewer.token])


def _new_viewer_token() -> str:
    # 256 bits: the link is all it takes to accept.
    return secrets.token_urlsafe(32)


@dataclass
class InvitationSent:
    """A new invitation; `refused` says why the text message could not go (an SMS budget was spent)."""

    viewer: FamilyViewer
    refused: str = ""


def family_viewer_invite(
    *, child: Child, by, name: str, relationship: str, send_to: str = "", client_ip: str = ""
) -> InvitationSent:
    """A guardian invites a family member to follow the child; the link is sent to `send_to` if it is a member's."""
    viewer = _family_viewer_create(child=child, by=by, name=name, relationship=relationship, send_to=send_to)
    refused = ""
    if send_to:
        try:
            _invitation_send(viewer, by=by, address=send_to, client_ip=client_ip)
        except SmsBudgetExceeded as exc:
            refused = str(exc.message)
    return InvitationSent(viewer=viewer, refused=refused)


@transaction.atomic
def _family_viewer_create(*, child: Child, by, name: str, relationship: str, send_to: str) -> FamilyViewer:
    if not can_invite_family_viewers(by, child):
        raise PermissionDenied
    # The child's row is the lock: two guardians inviting at once still count each other's invitations.
    Child.objects.select_for_update().filter(pk=child.pk).first()
    now = timezone.now()
    if FamilyViewer.objects.open(now).filter(child=child).count() >= OPEN_INVITATIONS_PER_CHILD:
        raise FamilyViewerError(
            ngettext(
                "%(child)s already has %(n)d invitation waiting to be accepted. "
                "Cancel it first if you no longer need it.",
                "%(child)s already has %(n)d invitations waiting to be accepted. Cancel one you no longer need first.",
                OPEN_INVITATIONS_PER_CHILD,
            )
            % {"child": child.given_name, "n": OPEN_INVITATIONS_PER_CHILD}
        )
    today = FamilyViewer.objects.filter(invited_by=by, invited_at__gte=now - datetime.timedelta(days=1)).count()
    if today >= INVITATIONS_PER_GUARDIAN_DAY:
        raise FamilyViewerError(_("You have made many invitations today. Try again tomorrow."))
    return FamilyViewer.objects.create(
        school_id=child.school_id,
        child=child,
        name=name.strip(),
        relationship=relationship.strip(),
        invited_by=by,
        token=_new_viewer_token(),
        sent_to=send_to,
        invited_at=now,
        expires_at=now + datetime.timedelta(days=settings.FAMILY_VIEWER_INVITATION_DAYS),
    )


def _member_at(address: str):
    """The active member whose verified e-mail address or phone number this is, or None."""
    from allauth.account.models import EmailAddress

    users = get_user_model().objects.filter(is_active=True)
    if "@" in address:
        found = EmailAddress.objects.filter(email__iexact=address, verified=True, user__is_active=True).first()
        return found.user if found else None
    return users.filter(phone=address, phone_verified=True).first()


def _invitation_send(viewer: FamilyViewer, *, by, address: str, client_ip: str) -> None:
    """Send the link to a member's address, at once, as an account message (its text is erased once sent).

    Nothing goes to an address that is no member's, but a number is counted against the SMS budgets
    either way, so that a member's number and a stranger's run out alike.
    """
    channel = Channel.EMAIL if "@" in address else Channel.SMS
    member = _member_at(address)
    if member is None:
        if channel == Channel.SMS:
            budgets.sms_budget_take(kind=budgets.Kind.ACCOUNT, number=address, ip=client_ip)
        return
    context = {
        "by": _name(by),
        "child": viewer.child.given_name,
        "url": family_viewer_url(viewer),
        "expires": formats.date_format(timezone.localtime(viewer.expires_at), "SHORT_DATE_FORMAT"),
    }
    with translation.override(user_language(member)):
        title = str(INVITATION_TITLE) % context
        body = str(INVITATION_EMAIL if channel == Channel.EMAIL else INVITATION_SMS) % context
    account_message_send(
        recipient=member,
        channel=channel,
        address=address,
        title=title,
        body=body,
        dedupe_key=f"family:viewer-invitation:{viewer.pk}",
        client_ip=client_ip,
    )


@transaction.atomic
def family_viewer_accept(*, token: str, user) -> FamilyViewer:
    """The invited person accepts with their own account and follows the child from now on."""
    viewer = (
        FamilyViewer.objects.select_for_update(of=("self",))
        .select_related("child__school", "invited_by")
        .filter(token=token)
        .first()
    )
    if viewer is None:
        raise FamilyViewerError(_("This invitation link is not valid. Ask the family for a new one."))
    problem = family_viewer_refusal(viewer=viewer, user=user)
    if problem:
        raise FamilyViewerError(problem)
    viewer.viewer = user
    viewer.accepted_at = timezone.now()
    try:
        with transaction.atomic():
            viewer.save(update_fields=["viewer", "accepted_at"])
    except IntegrityError:
        # Another invitation for the same child, accepted by the same person at the same moment.
        raise FamilyViewerError(_("You already follow %(child)s.") % {"child": viewer.child.given_name}) from None
    forget_guardianships(user)
    _tell_guardians_about_viewer(viewer, title=VIEWER_JOINED_TITLE, body=VIEWER_JOINED_BODY, key="joined")
    return viewer


def family_viewer_refusal(*, viewer: FamilyViewer, user) -> str:
    """Why this person cannot accept this invitation now, in their language; empty when they can."""
    if viewer.accepted_at and viewer.viewer_id == user.pk and not viewer.revoked_at:
        return _("You have already accepted this invitation: %(child)s is on your family page.") % {
            "child": viewer.child.given_name
        }
    if viewer.revoked_at:
        return _("This invitation was cancelled by the child's family. Ask them for a new link if you need one.")
    if viewer.accepted_at:
        return _("This invitation has already been used. Each link works once: ask the family for a new one.")
    if viewer.expires_at <= timezone.now():
        return _("This invitation has expired. Ask the family for a new link.")
    if not Guardianship.objects.active().filter(child_id=viewer.child_id, guardian_id=viewer.invited_by_id).exists():
        # The person who invited is no longer a guardian (ended, or suspended until the school decides).
        return _("This invitation is no longer valid. Ask the family for a new link.")
    if viewer.child.left_on:
        return _("This child no longer attends the school: the invitation cannot be used.")
    if not has_verified_contact(user):
        return _("Verify your e-mail address or phone number first, then open the link again.")
    if Guardianship.objects.filter(child_id=viewer.child_id, guardian=user).exclude(status=Status.ENDED).exists():
        return _(
            "You are a guardian of this child, or have asked to be one: a guardian cannot also follow the "
            "child as a family viewer."
        )
    if FamilyViewer.objects.current().filter(child_id=viewer.child_id, viewer=user).exists():
        return _("You already follow %(child)s.") % {"child": viewer.child.given_name}
    return ""


@transaction.atomic
def family_viewer_revoke(*, viewer: FamilyViewer, by) -> bool:
    """Revoke a viewer's access (or cancel an open invitation) at once, recording who and when.

    Returns False when it was revoked already.
    """
    viewer = (
        FamilyViewer.objects.select_for_update(of=("self",)).select_related("child__school", "viewer").get(pk=viewer.pk)
    )
    if not can_revoke_family_viewer(by, viewer):
        raise PermissionDenied
    if viewer.revoked_at:
        return False
    viewer.revoked_at, viewer.revoked_by = timezone.now(), by
    viewer.save(update_fields=["revoked_at", "revoked_by"])
    if viewer.viewer is not None:
        forget_guardianships(viewer.viewer)
        if viewer.accepted_at:
            body = VIEWER_LEFT_BODY if by.pk == viewer.viewer_id else VIEWER_REVOKED_BODY
            _tell_guardians_about_viewer(viewer, title=VIEWER_REVOKED_TITLE, body=body, key="revoked", besides={by.pk})
    return True


def _end_following_as_guardian(*, child_id: int, user) -> None:
    """A family viewer who becomes a guardian of the child follows them as a guardian from now on."""
    rows = FamilyViewer.objects.current().filter(child_id=child_id, viewer=user)
    schools = set(rows.values_list("school_id", flat=True))
    if not schools:
        return
    rows.update(revoked_at=timezone.now(), revoked_by=user)
    forget_family_of([user.pk])  # update() sends no signal (parents/caching.py)
    fragments.schools_changed(schools)  # the guardians' cards name their child's followers


def _tell_guardians_about_viewer(viewer: FamilyViewer, *, title, body, key: str, besides=frozenset()) -> None:
    child = viewer.child
    context = {
        "child": child.given_name,
        "person": _name(viewer.viewer),
        "by": _name(viewer.revoked_by if key == "revoked" else viewer.invited_by),
    }
    url = reverse("parents:viewers", args=[child.pk])
    for guardian in _other_guardians(child, besides=set(besides)):
        notice_send(
            recipient=guardian,
            category=Category.FAMILY,
            title=title,
            body=body,
            url=url,
            dedupe_key=f"family:viewer:{viewer.pk}:{key}:{guardian.pk}",
            school=child.school,
            context=context,
        )
