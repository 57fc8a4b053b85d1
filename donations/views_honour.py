"""The honour roll's public page and poster, the thank-you letters' PDF, and the teachers' drawings page.

- the honour roll (`/schools/<slug>/honour/`) and its poster are public, for published rolls only
  (the school's managers may print a draft's poster to check it);
- a letter's PDF is for the donor's own account once it is sent, and for the school's managers;
  anyone else gets 404;
- the drawings page is for the school's teachers: it lists the letters waiting to be sent by the
  donor's public name only (no amounts), and lets a teacher put on one a drawing by a child of their
  class whose guardians consented.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from donations import honour, letters
from donations.models import ContributionEvidence, HonourLine, HonourRoll, Letter, SpendingEvidence
from donations.policies import can_manage_donations
from mediafiles.access import can_view_media
from mediafiles.models import Kind, MediaFile, State
from schools.models import Child, StaffRole
from schools.policies import access_for
from schools.selectors import public_school_get

# The photos a teacher chooses a drawing from: the school's latest photos that they may see.
DRAWING_PHOTOS = 60


def _manages(user, school_id: int) -> bool:
    return can_manage_donations(user, school_id)


def _pdf(content: bytes, name: str, *, private: bool) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Cache-Control"] = "private, no-store" if private else "public, max-age=300"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- The honour roll, in public


@require_safe
def honour_page(request, slug: str):
    school = public_school_get(slug=slug)
    rolls = honour.published_rolls(school=school)
    for roll in rolls:
        roll.shown_lines = [(line, honour.shown_name(line)) for line in roll.lines.all()]
    return render(request, "donations/honour/page.html", {"school": school, "rolls": rolls})


@require_safe
def honour_poster(request, slug: str, pk: int):
    school = public_school_get(slug=slug)
    lines = HonourLine.objects.select_related("donor").order_by("position", "pk")
    roll = get_object_or_404(
        HonourRoll.objects.select_related("school").prefetch_related(Prefetch("lines", queryset=lines)),
        pk=pk,
        school=school,
    )
    if roll.published_at is None and not _manages(request.user, school.pk):
        raise Http404
    return _pdf(honour.honour_poster_pdf(roll), f"honour-{roll.pk}.pdf", private=roll.published_at is None)


@require_safe
def honour_photo(request, slug: str, pk: int, line: int):
    found = get_object_or_404(
        HonourLine.objects.select_related("roll", "photo"),
        pk=line,
        roll_id=pk,
        roll__school__slug=slug,
        roll__published_at__isnull=False,
    )
    if not honour.line_photo_allowed(found):
        raise Http404
    photo = honour.photo_bytes(found.photo)
    if photo is None:
        raise Http404
    content, content_type = photo
    response = HttpResponse(content, content_type=content_type)
    response["Cache-Control"] = "public, max-age=300"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Letters


@login_required
@require_safe
def letter_pdf(request, pk: int):
    letter = get_object_or_404(Letter.objects.select_related("donor", "school", "drawing", "drawing_child"), pk=pk)
    # The donor opens their letter once it is sent (until then a teacher may still add a drawing).
    own = letter.sent_at is not None and letter.donor.user_id is not None and letter.donor.user_id == request.user.pk
    if not (own or _manages(request.user, letter.school_id)):
        raise Http404
    return _pdf(letters.letter_pdf(letter), f"thank-you-{letter.pk}.pdf", private=True)


# --- Drawings, for teachers


def _teacher_school_ids(user) -> set[int]:
    return access_for(user).schools_with({StaffRole.TEACHER})


def _teacher_or_404(user) -> set[int]:
    school_ids = _teacher_school_ids(user)
    if not school_ids:
        raise Http404
    return school_ids


@login_required
@require_safe
def drawings(request):
    school_ids = _teacher_or_404(request.user)
    waiting = (
        Letter.objects.filter(school_id__in=school_ids, sent_at__isnull=True)
        .select_related("donor")
        .order_by("created_at", "pk")
    )
    rows = [
        {"letter": letter, "to": letter.donor.public_name, "has_drawing": letter.drawing_id is not None}
        for letter in waiting
    ]
    return render(request, "donations/honour/drawings.html", {"rows": rows})


class DrawingForm(forms.Form):
    child = forms.TypedChoiceField(label=gettext_lazy("Child"), coerce=int)
    drawing = forms.ChoiceField(label=gettext_lazy("Photo of the drawing"), widget=forms.RadioSelect)


def _drawing_choices(user, letter: Letter) -> tuple[list[Child], list[MediaFile]]:
    taught = access_for(user).taught_classroom_ids
    children = list(
        Child.objects.filter(school_id=letter.school_id, classroom_id__in=taught, left_on__isnull=True).order_by(
            "full_name"
        )
    )
    consented = letters.drawing_child_ids(child_ids=[child.pk for child in children])
    children = [child for child in children if child.pk in consented]
    # Not the donations' own photos (invoices, gifts, transfer slips): a drawing is a child's.
    recent = (
        MediaFile.objects.filter(school_id=letter.school_id, kind=Kind.IMAGE, state=State.READY)
        .exclude(pk__in=ContributionEvidence.objects.values("media_id"))
        .exclude(pk__in=SpendingEvidence.objects.values("media_id"))
        .order_by("-created_at")[:DRAWING_PHOTOS]
    )
    photos = [media for media in recent if can_view_media(user, media)]
    return children, photos


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def drawing_attach(request, pk: int):
    school_ids = _teacher_or_404(request.user)
    letter = get_object_or_404(
        Letter.objects.select_related("donor"), pk=pk, school_id__in=school_ids, sent_at__isnull=True
    )
    children, photos = _drawing_choices(request.user, letter)
    form = DrawingForm(request.POST or None)
    form.fields["child"].choices = [(child.pk, child.full_name) for child in children]
    form.fields["drawing"].choices = [(str(media.pk), media.original_name) for media in photos]
    if request.method == "POST" and form.is_valid():
        child = next(c for c in children if c.pk == form.cleaned_data["child"])
        media = next(m for m in photos if str(m.pk) == form.cleaned_data["drawing"])
        try:
            letters.letter_attach_drawing(letter=letter, by=request.user, child=child, drawing=media)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The drawing is on the letter. Thank you!"))
            return redirect("donations:drawings")
    return render(
        request,
        "donations/honour/drawing_attach.html",
        {
            "letter": letter,
            "to": letter.donor.public_name,
            "form": form,
            "photos": photos,
            "no_children": not children,
        },
    )
