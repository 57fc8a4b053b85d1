"""Pages of the authorities' library of home activities and of commendations. Thin: the selectors scope,
the policies decide, the services write."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from activities import policies, selectors, services_library
from activities import selectors_library as library
from activities.forms_library import AdoptForm, CommendationForm, DecideForm, OfferForm
from activities.models import LibraryEntry
from coordination.lib.forms import errors_to_form
from schools.models import AgeGroup, Authority, Domain, school_today

ENTRIES_PER_PAGE = 20


@login_required
def library_home(request):
    """The libraries a person uses: their schools' commune and province, or the authorities they serve."""
    libraries = library.libraries_for(user=request.user)
    if not libraries:
        raise Http404
    if len(libraries) == 1:
        return redirect("activities:library", slug=libraries[0].slug)
    return render(request, "activities/library_home.html", {"libraries": libraries})


@login_required
def library_browse(request, slug: str):
    """Browse and search a library; its officers also see what waits for them, and what they refused."""
    authority = library.library_get(user=request.user, slug=slug)
    curator = policies.can_curate_library(request.user, authority)
    query = request.GET.get("q", "").strip()[:100]
    domain = request.GET.get("domain", "") if request.GET.get("domain") in Domain.values else ""
    age_group = request.GET.get("age", "") if request.GET.get("age") in AgeGroup.values else ""
    page = Paginator(
        library.library_entries(authority=authority, query=query, domain=domain, age_group=age_group),
        ENTRIES_PER_PAGE,
    ).get_page(request.GET.get("page"))
    waiting = list(library.library_entries(authority=authority, state=LibraryEntry.State.OFFERED)) if curator else []
    return render(
        request,
        "activities/library.html",
        {
            "authority": authority,
            "page": page,
            "waiting": waiting,
            "curator": curator,
            "query": query,
            "domain": domain,
            "age_group": age_group,
            "domains": Domain.choices,
            "age_groups": AgeGroup.choices,
        },
    )


@login_required
def library_entry(request, entry_id: int):
    """One activity of the library: to check and decide (officers), or to copy into a class (other schools)."""
    entry = library.library_entry_get(user=request.user, entry_id=entry_id)
    curator = policies.can_curate_library(request.user, entry.authority)
    classrooms = library.classrooms_for_adopting(user=request.user, entry=entry)
    return render(
        request,
        "activities/library_entry.html",
        {
            "entry": entry,
            "activity": entry.activity,
            "curator": curator,
            "decide_form": DecideForm(
                initial={"domain": entry.domain, "age_group": entry.age_group, "featured": entry.featured}
            )
            if curator
            else None,
            "adopt_form": AdoptForm(classrooms=classrooms) if classrooms else None,
        },
    )


@login_required
@require_POST
def library_decide(request, entry_id: int):
    entry = library.library_entry_get(user=request.user, entry_id=entry_id)
    if not policies.can_curate_library(request.user, entry.authority):
        raise Http404
    form = DecideForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services_library.library_entry_decide(
                entry=entry,
                by=request.user,
                approve=data["decision"] == "approve",
                no_child_checked=data["no_child_checked"],
                reason=data["reason"],
                domain=data["domain"],
                age_group=data["age_group"],
                featured=data["featured"],
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            if data["decision"] == "approve":
                messages.success(request, _("The activity is in the library: the schools under it can copy it."))
            else:
                messages.success(request, _("The activity is refused; the school sees your reason."))
            return redirect("activities:library_entry", entry_id=entry.pk)
    messages.error(request, _("Nothing was changed: correct what is marked below."))
    return render(
        request,
        "activities/library_entry.html",
        {"entry": entry, "activity": entry.activity, "curator": True, "decide_form": form, "adopt_form": None},
        status=400,
    )


@login_required
@require_POST
def library_adopt(request, entry_id: int):
    """Copy the activity into one of the person's classes, as a draft to adjust and publish."""
    entry = library.library_entry_get(user=request.user, entry_id=entry_id)
    classrooms = library.classrooms_for_adopting(user=request.user, entry=entry)
    if not classrooms:
        raise Http404
    form = AdoptForm(request.POST, classrooms=classrooms)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("classroom", [])))
        return redirect("activities:library_entry", entry_id=entry.pk)
    try:
        copy = services_library.library_entry_adopt(
            entry=entry, by=request.user, classroom=form.cleaned_data["classroom"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("activities:library_entry", entry_id=entry.pk)
    messages.success(
        request,
        _(
            "The activity is copied into your class as a draft, with its own copies of the files. "
            "Check it, then publish it."
        ),
    )
    return redirect("activities:detail", activity_id=copy.pk)


@login_required
def offer(request, activity_id: int):
    """A teacher or principal offers one of the school's published activities to an authority's library."""
    activity = selectors.activity_get_for_staff(user=request.user, activity_id=activity_id)
    if not policies.can_offer_to_library(request.user, activity):
        raise Http404
    authorities = Authority.objects.filter(pk__in=policies.library_authority_ids_of(activity.school)).order_by("-level")
    entries = list(activity.library_entries.select_related("authority"))
    form = OfferForm(request.POST or None, authorities=authorities)
    if request.method == "POST":
        if form.is_valid():
            try:
                services_library.library_offer(
                    activity=activity,
                    by=request.user,
                    authority=form.cleaned_data["authority"],
                    no_child_confirmed=form.cleaned_data["no_child_confirmed"],
                )
            except ValidationError as exc:
                errors_to_form(form, exc)
            else:
                messages.success(
                    request, _("The activity is offered: the authority's officer checks it, then decides.")
                )
                return redirect("activities:offer", activity_id=activity.pk)
        messages.error(request, _("Nothing was offered: correct what is marked below."))
    return render(
        request,
        "activities/library_offer.html",
        {"activity": activity, "form": form, "entries": entries},
        status=400 if request.method == "POST" else 200,
    )


def _authority_for_officer(user, slug: str) -> Authority:
    authority = Authority.objects.select_related("province").filter(slug=slug).first()
    if authority is None or not policies.can_curate_library(user, authority):
        raise Http404
    return authority


@login_required
def library_reuse(request, slug: str):
    """Which activities of the library were copied, how often, and by which schools (names only)."""
    authority = _authority_for_officer(request.user, slug)
    return render(
        request,
        "activities/library_reuse.html",
        {"authority": authority, "rows": library.library_reuse(authority=authority)},
    )


@login_required
def commendations(request, slug: str):
    """An authority's commendations of schools and their families, and the form to add one."""
    authority = _authority_for_officer(request.user, slug)
    schools = library.schools_under(authority=authority)
    form = CommendationForm(request.POST or None, schools=schools, initial={"awarded_on": school_today()})
    if request.method == "POST":
        if form.is_valid():
            try:
                services_library.commendation_create(authority=authority, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                errors_to_form(form, exc)
            except PermissionDenied:
                raise Http404 from None
            else:
                messages.success(request, _("The commendation is saved and shown on the school's public page."))
                return redirect("activities:commendations", slug=authority.slug)
        messages.error(request, _("Nothing was saved: correct what is marked below."))
    return render(
        request,
        "activities/commendations.html",
        {
            "authority": authority,
            "form": form,
            "commendations": library.commendations_of_authority(authority=authority),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def commendation_delete(request, slug: str, commendation_id: int):
    authority = _authority_for_officer(request.user, slug)
    commendation = library.commendation_get(user=request.user, authority=authority, commendation_id=commendation_id)
    services_library.commendation_delete(commendation=commendation, by=request.user)
    messages.success(request, _("The commendation is taken back: the school's public page no longer shows it."))
    return redirect("activities:commendations", slug=authority.slug)
