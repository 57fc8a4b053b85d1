from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from activities import charts, feedcache, policies, selectors, services
from activities.cards import activity_card_pdf
from activities.forms import ActivityForm, AnswerForm, CaptionsForm, FeedbackForm
from activities.models import Activity, Sticker
from coordination.lib.offline import offline_page
from schools import selectors as school_selectors
from schools.models import ChildRead
from schools.services import child_reads_log

ACTIVITIES_PER_PAGE = feedcache.PER_PAGE
STAFF_ACTIVITIES_PER_PAGE = 20


def _errors_to_form(form, exc: ValidationError) -> None:
    """A service's refusal, shown beside the field it is about (or above the form)."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        if field == "photos":
            field = "photo_1"
        elif field == "media" and "photo" in form.fields:
            field = _media_field(form)
        target = field if field in form.fields or field == NON_FIELD_ERRORS else None
        for error in errors:
            form.add_error(target, error)


def _media_field(form) -> str:
    """The answer's widget that the refused file came from, so that the reason shows beside it."""
    data = getattr(form, "cleaned_data", None) or {}
    return next((name for name in getattr(form, "MEDIA_FIELDS", ()) if data.get(name)), "photo")


def _say(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


# --- Families ---------------------------------------------------------------------------------------


@login_required
@offline_page
def feed(request, child_id: int):
    """A child's class feed, newest first: what the family can do at home this week."""
    number = request.GET.get("page", "")
    number = max(1, int(number)) if number.isdigit() else 1
    # What the page reads after the family's children, read with them (activities/feedcache.py).
    along = feedcache.read_next(child_id=child_id, page=number, per_page=ACTIVITIES_PER_PAGE, language=get_language())
    child = selectors.feed_child_get(user=request.user, child_id=child_id, along=along)
    page = feedcache.feed_page(child=child, page=number, per_page=ACTIVITIES_PER_PAGE, language=get_language())
    return render(
        request,
        "activities/feed.html",
        {
            "child": child,
            "items": mark_safe(page["html"]),  # noqa: S308 (rendered by our own template)
            "page_number": number,
            "has_next": page["has_next"],
        },
    )


@login_required
def detail(request, activity_id: int):
    activity = selectors.activity_get(user=request.user, activity_id=activity_id)
    children = policies.activity_children(request.user, activity)
    family = None
    if children:
        services.activity_mark_viewed(activity=activity, guardian=request.user, children=children)
        family = selectors.activity_for_family(activity=activity, children=children)
    staff_view = policies.staff_can_view_activity(request.user, activity)
    return render(
        request,
        "activities/detail.html",
        {
            "activity": activity,
            "family": family,
            "staff_view": staff_view,
            "can_edit": policies.can_edit_activity(request.user, activity),
            "can_caption": staff_view and policies.can_caption_activity(request.user, activity),
            "can_follow": policies.can_follow_participation(request.user, activity),
            "can_offer": policies.can_offer_to_library(request.user, activity),
        },
    )


@login_required
def child_answers(request, child_id: int):
    """A child's answers that the teacher approved for the class, read-only: what an invited family viewer
    (a grandparent) sees of home activities. No activities to answer, nothing to change."""
    number = request.GET.get("page", "")
    page = selectors.child_shared_answers(
        user=request.user, child_id=child_id, page=max(1, int(number)) if number.isdigit() else 1
    )
    return render(request, "activities/child_answers.html", {"page": page, "child": page.child})


@login_required
def answer(request, activity_id: int, child_id: int):
    """A guardian sends a photo, a short clip or a voice recording (and a note) for one child."""
    activity = selectors.activity_get(user=request.user, activity_id=activity_id)
    child = next((c for c in policies.activity_children(request.user, activity) if c.pk == child_id), None)
    if child is None or not policies.can_answer(request.user, activity, child):
        raise Http404
    form = AnswerForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.answer_create(
                    activity=activity,
                    child=child,
                    by=request.user,
                    media=form.chosen_media(),
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                _errors_to_form(form, exc)
            else:
                messages.success(
                    request,
                    _("Thank you! Your answer is sent. Only your family and the teachers can see it."),
                )
                return redirect("activities:detail", activity_id=activity.pk)
        messages.error(request, _("Nothing was sent: correct what is marked below."))
    return render(request, "activities/answer_form.html", {"activity": activity, "child": child, "form": form})


@login_required
@require_POST
def share(request, answer_id: int):
    """The family offers its answer to the class, or takes it back."""
    answer = selectors.answer_get(user=request.user, answer_id=answer_id)
    if not policies.can_share_answer(request.user, answer):
        raise Http404
    action = request.POST.get("action")
    try:
        if action == "offer":
            services.answer_offer(answer=answer, by=request.user)
            messages.success(request, _("Offered to the class: other families see it once a teacher approves it."))
        elif action == "withdraw":
            services.answer_withdraw(answer=answer, by=request.user)
            messages.success(request, _("Taken back: only your family and the teachers see it now."))
        else:
            messages.error(request, _("Choose whether to offer the answer to the class or take it back."))
    except ValidationError as exc:
        _say(request, exc)
    return redirect("activities:detail", activity_id=answer.activity_id)


# --- Staff: posting -----------------------------------------------------------------------------------


def _activity_form_page(request, *, school, activity: Activity | None):
    classrooms = selectors.classrooms_for_posting(user=request.user, school=school)
    initial = {}
    if activity is not None:
        initial = {
            "title": activity.title,
            "domain": activity.domain,
            "age_group": activity.age_group,
            "classrooms": list(activity.classrooms.all()),
            "materials": activity.materials,
            "instructions": activity.instructions,
            "answer_by": activity.answer_by,
            "video": str(activity.video_id or ""),
            "voice": str(activity.voice_id or ""),
        }
        for name, photo in zip(ActivityForm.PHOTO_FIELDS, activity.photos.all(), strict=False):
            initial[name] = str(photo.media_id)
    elif request.GET.get("classroom", "").isdigit():
        chosen = classrooms.filter(pk=int(request.GET["classroom"])).first()
        if chosen is not None:
            initial = {"classrooms": [chosen.pk], "age_group": chosen.age_group}
    form = ActivityForm(request.POST or None, classrooms=classrooms, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            publish = "draft" not in request.POST
            fields = {
                "title": data["title"],
                "instructions": data["instructions"],
                "materials": data["materials"],
                "domain": data["domain"],
                "age_group": data["age_group"],
                "classrooms": list(data["classrooms"]),
                "answer_by": data["answer_by"],
                "video": "" if request.POST.get("remove_video") else data["video"],
                "voice": "" if request.POST.get("remove_voice") else data["voice"],
                "photos": [
                    value
                    for name, value in zip(ActivityForm.PHOTO_FIELDS, form.photos(), strict=True)
                    if not request.POST.get(f"remove_{name}")
                ],
                "publish": publish,
            }
            try:
                if activity is None:
                    activity = services.activity_create(school=school, by=request.user, **fields)
                else:
                    activity = services.activity_update(activity=activity, by=request.user, **fields)
            except ValidationError as exc:
                _errors_to_form(form, exc)
            else:
                _say_published(request, activity, publish=publish)
                return redirect("activities:detail", activity_id=activity.pk)
        messages.error(request, _("Nothing was saved: correct what is marked below."))
    return render(
        request,
        "activities/form.html",
        {"school": school, "form": form, "activity": activity, "has_classes": classrooms.exists()},
    )


def _say_published(request, activity: Activity, *, publish: bool) -> None:
    if activity.is_published:
        messages.success(request, _("The activity is published: the families of its classes are being told."))
    elif activity.is_waiting:
        messages.success(
            request,
            _("The activity will publish when the video is ready. The families are told then; you need do nothing."),
        )
    elif not publish:
        messages.success(request, _("The draft is saved. No family sees it until you publish it."))


@login_required
def create(request, slug: str):
    school = selectors.school_get_for_activities(user=request.user, slug=slug)
    return _activity_form_page(request, school=school, activity=None)


@login_required
def edit(request, activity_id: int):
    activity = selectors.activity_get_for_staff(user=request.user, activity_id=activity_id)
    if not policies.can_edit_activity(request.user, activity):
        if activity.is_published:
            messages.info(request, _("A published activity cannot be changed here; ask a principal to fix it."))
            return redirect("activities:detail", activity_id=activity.pk)
        raise Http404
    return _activity_form_page(request, school=activity.school, activity=activity)


@login_required
def captions(request, activity_id: int):
    """The video's captions and the voice recording's transcript, for families who cannot hear them."""
    activity = selectors.activity_get_for_staff(user=request.user, activity_id=activity_id)
    if not policies.can_caption_activity(request.user, activity):
        raise Http404
    form = CaptionsForm(request.POST or None, request.FILES or None, video=activity.video, voice=activity.voice)
    if request.method == "POST" and form.is_valid():
        services.activity_media_texts_set(
            activity=activity,
            captions=form.cleaned_data.get("captions_checked", "") if activity.video_id else None,
            captions_language=(form.cleaned_data.get("captions_language") or None) if activity.video_id else None,
            transcript=form.cleaned_data.get("transcript", "") if activity.voice_id else None,
        )
        messages.success(request, _("The captions and the transcript are saved."))
        return redirect("activities:detail", activity_id=activity.pk)
    return render(request, "activities/captions.html", {"activity": activity, "form": form})


@login_required
@require_POST
def publish(request, activity_id: int):
    activity = selectors.activity_get_for_staff(user=request.user, activity_id=activity_id)
    if activity.is_published:
        messages.info(request, _("This activity is already published."))
    elif not policies.can_publish_activity(request.user, activity):
        raise Http404
    else:
        try:
            services.activity_publish(activity=activity, by=request.user)
        except ValidationError as exc:
            _say(request, exc)
        else:
            _say_published(request, activity, publish=True)
    return redirect("activities:detail", activity_id=activity.pk)


@login_required
def card(request, activity_id: int):
    """The one-page printable card, with a QR code to the activity, for families who get it on paper."""
    activity = selectors.activity_get(user=request.user, activity_id=activity_id)
    response = HttpResponse(activity_card_pdf(activity=activity), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="activity-{activity.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def school_activities(request, slug: str):
    """The school's activities: all of them for leaders, their classes' and their own for a teacher."""
    school = selectors.school_get_for_activities(user=request.user, slug=slug)
    classroom_id = int(request.GET["classroom"]) if request.GET.get("classroom", "").isdigit() else None
    classrooms = selectors.classrooms_for_posting(user=request.user, school=school)
    page = Paginator(
        selectors.activities_for_staff(user=request.user, school=school, classroom_id=classroom_id),
        STAFF_ACTIVITIES_PER_PAGE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "activities/school_list.html",
        {
            "school": school,
            "page": page,
            "classrooms": classrooms,
            "classroom_id": classroom_id,
            "page_query": f"classroom={classroom_id}" if classroom_id else "",
            "is_leader": policies.is_leader_of(request.user, school),
        },
    )


# --- Staff: following answers ----------------------------------------------------------------------------


@login_required
def participation(request, activity_id: int):
    """Who opened the activity and who answered, class by class; the answers, to review and reply to."""
    activity = selectors.activity_get_for_staff(user=request.user, activity_id=activity_id)
    if not policies.can_follow_participation(request.user, activity):
        raise Http404
    classes = selectors.activity_participation(user=request.user, activity=activity)
    # The answers shown are the children's records: one row per child answered, in one INSERT.
    answered = [row.child for participation in classes for row in participation.rows if row.answer is not None]
    child_reads_log(reader=request.user, children=answered, area=ChildRead.Area.ACTIVITIES)
    return render(
        request,
        "activities/participation.html",
        {
            "activity": activity,
            "classes": classes,
            "feedback_form": FeedbackForm(),
            "stickers": Sticker.choices,
        },
    )


@login_required
@require_POST
def nudge(request, activity_id: int, classroom_id: int):
    activity = selectors.activity_get_for_staff(user=request.user, activity_id=activity_id)
    classroom = get_object_or_404(activity.classrooms.all(), pk=classroom_id)
    if not policies.can_nudge(request.user, activity, classroom):
        raise Http404
    try:
        told = services.activity_nudge(activity=activity, classroom=classroom, by=request.user)
    except ValidationError as exc:
        _say(request, exc)
    else:
        messages.success(
            request,
            ngettext(
                "A reminder is on its way to %(n)d family of %(classroom)s.",
                "A reminder is on its way to %(n)d families of %(classroom)s.",
                told,
            )
            % {"n": told, "classroom": classroom.name},
        )
    return redirect("activities:participation", activity_id=activity.pk)


@login_required
@require_POST
def review(request, answer_id: int):
    answer = selectors.answer_get(user=request.user, answer_id=answer_id)
    if not policies.can_review_answer(request.user, answer):
        raise Http404
    decision = request.POST.get("decision")
    try:
        if decision not in ("approve", "decline"):
            raise ValidationError(_("Choose whether to show the answer to the class or keep it private."))
        services.answer_review(answer=answer, by=request.user, approve=decision == "approve")
    except ValidationError as exc:
        _say(request, exc)
    else:
        if decision == "approve":
            messages.success(request, _("The answer is shown to the families of the class."))
        else:
            messages.success(request, _("The answer stays private to the family and the teachers."))
    return redirect(_participation_anchor(answer))


@login_required
@require_POST
def feedback(request, answer_id: int):
    answer = selectors.answer_get(user=request.user, answer_id=answer_id)
    if not policies.can_review_answer(request.user, answer):
        raise Http404
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the stickers shown, and keep the comment short."))
    else:
        try:
            services.answer_feedback(
                answer=answer,
                by=request.user,
                comment=form.cleaned_data["comment"],
                sticker=form.cleaned_data["sticker"],
            )
        except ValidationError as exc:
            _say(request, exc)
        else:
            messages.success(request, _("Your feedback is saved and the family has been told."))
    return redirect(_participation_anchor(answer))


def _participation_anchor(answer) -> str:
    from django.urls import reverse

    return reverse("activities:participation", args=[answer.activity_id]) + f"#answer-{answer.pk}"


@login_required
def school_participation(request, slug: str):
    """The principal's view: each class's answer rate week by week, against the 60–70 % band."""
    school = school_selectors.school_get_managed(user=request.user, slug=slug)
    series = selectors.school_participation(school=school)
    return render(
        request,
        "activities/school_participation.html",
        {
            "school": school,
            "charts": [charts.rate_chart(s, band=selectors.TARGET_BAND) for s in series],
            "series": series,
            "weeks": series[0].weeks if series else [],
            "band": [round(x * 100) for x in selectors.TARGET_BAND],
        },
    )
