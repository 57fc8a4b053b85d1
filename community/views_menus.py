"""Weekly menus: the families' menus, the kitchen's and leaders' week editor, the daily view with the
dietary flags, the foods with the school's prices and values, and the targets and meal fee.

Who may: community.policies_menus (through the selectors). Anyone refused gets a 404.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from community import selectors_menus as selectors
from community import services_menus as services
from community.forms_menus import OwnFoodForm, SchoolFoodForm, TargetsForm, band_parse, day_parse
from community.models.menus import AgeBand, Meal
from community.selectors_menus import week_start_of
from coordination.lib import fragments
from coordination.lib.offline import offline_page
from parents.policies import family_school_ids
from schools.models import school_today

GET = ["GET", "HEAD"]


def _week_url(school_id: int, band: str, week_start: datetime.date, anchor: str = "") -> str:
    query = urlencode({"band": band, "week": week_start.strftime("%d/%m/%Y")})
    url = f"{reverse('community:menu_week', args=[school_id])}?{query}"
    return f"{url}#{anchor}" if anchor else url


def _errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _week_posted(request) -> tuple[str, datetime.date]:
    band = band_parse(request.POST.get("band"))
    week, _ok = day_parse(request.POST.get("week"), week_start_of(school_today()))
    return band, week_start_of(week)


@login_required
@require_http_methods(GET)
@offline_page
def menu_family(request):
    """This week's and next week's menus of the person's children's age groups (light, printable)."""
    user = request.user

    def render_part() -> str:
        menus = selectors.family_menus(user=user)
        if menus is None:  # no child at school: nothing to show
            return ""
        return fragments.render_part("community/menus/_family.html", {"menus": menus}, request)

    # Kept until the schools' menus, dishes or foods, the children's classes or the person's children
    # change (coordination/lib/fragments.py); the day is part of the key, so a new week shows on time.
    content = fragments.cached(request, "community.family_menus", render_part, schools=family_school_ids(user) or ())
    if not content:
        raise Http404
    return render(request, "community/menus/family.html", {"content": content})


@login_required
@require_http_methods(GET)
def menu_kitchen(request):
    """The kitchen's and leaders' way in: the day's dishes of their (first) school."""
    school_ids = selectors.menu_writer_school_ids(request.user)
    if not school_ids:
        raise Http404
    return redirect("community:menu_day", min(school_ids))


@login_required
@require_http_methods(GET)
def menu_week(request, school_id: int):
    """The week editor: days, meals, dishes and ingredients, each day's balance and cost."""
    band = band_parse(request.GET.get("band"))
    week, ok = day_parse(request.GET.get("week"), school_today())
    week = week_start_of(week)
    page = selectors.menu_week(user=request.user, school_id=school_id, band=band, week_start=week)
    if page is None:
        raise Http404
    if not ok:
        messages.error(request, _("The week asked for could not be read (dd/mm/yyyy): here is this week."))
    query = request.GET.get("q", "").strip()
    found = selectors.food_search(user=request.user, school_id=school_id, q=query) if query else []
    return render(
        request,
        "community/menus/week.html",
        {
            "page": page,
            "bands": AgeBand.choices,
            "meals": Meal.choices,
            "query": query,
            "found": found,
            "can_set_targets": selectors.can_set_menu_targets(request.user, school_id),
        },
    )


@login_required
@require_POST
def menu_dish_add(request, school_id: int):
    if selectors.menu_school_for_writer(user=request.user, school_id=school_id) is None:
        raise Http404
    band, week = _week_posted(request)
    day, ok = day_parse(request.POST.get("day"), week)
    try:
        if not ok:
            raise ValidationError(_("Choose a school day of this week."))
        dish = services.menu_dish_add(
            school_id=school_id,
            band=band,
            week_start=week,
            day=day,
            meal=request.POST.get("meal", ""),
            name=request.POST.get("name", ""),
            by=request.user,
        )
    except ValidationError as error:
        _errors(request, error)
        return redirect(_week_url(school_id, band, week, f"day-{day:%Y-%m-%d}"))
    messages.success(request, _("%(dish)s added.") % {"dish": dish.name})
    return redirect(_week_url(school_id, band, week, f"dish-{dish.pk}"))


@login_required
@require_POST
def menu_week_copy(request, school_id: int):
    if selectors.menu_school_for_writer(user=request.user, school_id=school_id) is None:
        raise Http404
    band, week = _week_posted(request)
    try:
        services.menu_week_copy(school_id=school_id, band=band, week_start=week, by=request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Last week's menu was copied into this week. Check it, then publish it."))
    return redirect(_week_url(school_id, band, week))


@login_required
@require_POST
def menu_week_publish(request, school_id: int):
    if selectors.menu_school_for_writer(user=request.user, school_id=school_id) is None:
        raise Http404
    band, week = _week_posted(request)
    try:
        if request.POST.get("action") == "unpublish":
            services.menu_unpublish(school_id=school_id, band=band, week_start=week, by=request.user)
            messages.success(request, _("The menu is no longer shown to families."))
        else:
            services.menu_publish(school_id=school_id, band=band, week_start=week, by=request.user)
            messages.success(request, _("The menu is published: families see it."))
    except ValidationError as error:
        _errors(request, error)
    return redirect(_week_url(school_id, band, week))


@login_required
@require_POST
def menu_dish(request, dish_id: int):
    """Rename or remove a dish."""
    dish = selectors.dish_for_writer(user=request.user, dish_id=dish_id)
    if dish is None:
        raise Http404
    menu = dish.menu
    if request.POST.get("action") == "delete":
        services.menu_dish_remove(dish=dish, by=request.user)
        messages.success(request, _("%(dish)s removed.") % {"dish": dish.name})
        return redirect(_week_url(menu.school_id, menu.band, menu.week_start, f"day-{dish.day:%Y-%m-%d}"))
    try:
        services.menu_dish_rename(dish=dish, name=request.POST.get("name", ""), by=request.user)
    except ValidationError as error:
        _errors(request, error)
    return redirect(_week_url(menu.school_id, menu.band, menu.week_start, f"dish-{dish.pk}"))


@login_required
@require_POST
def menu_ingredient_add(request, dish_id: int):
    dish = selectors.dish_for_writer(user=request.user, dish_id=dish_id)
    if dish is None:
        raise Http404
    menu = dish.menu
    try:
        services.menu_ingredient_add(
            dish=dish, food_text=request.POST.get("food", ""), grams=request.POST.get("grams", ""), by=request.user
        )
    except ValidationError as error:
        _errors(request, error)
    return redirect(_week_url(menu.school_id, menu.band, menu.week_start, f"dish-{dish.pk}"))


@login_required
@require_POST
def menu_ingredient(request, ingredient_id: int):
    """Change an ingredient's grams, or take it out."""
    ingredient = selectors.ingredient_for_writer(user=request.user, ingredient_id=ingredient_id)
    if ingredient is None:
        raise Http404
    dish, menu = ingredient.dish, ingredient.dish.menu
    try:
        if request.POST.get("action") == "delete":
            services.menu_ingredient_remove(ingredient=ingredient, by=request.user)
        else:
            services.menu_ingredient_change(ingredient=ingredient, grams=request.POST.get("grams", ""), by=request.user)
    except ValidationError as error:
        _errors(request, error)
    return redirect(_week_url(menu.school_id, menu.band, menu.week_start, f"dish-{dish.pk}"))


@login_required
@require_POST
def menu_substitute(request, dish_id: int):
    """The dish one child gets instead (set on the daily view by the kitchen or a leader)."""
    dish = selectors.dish_for_writer(user=request.user, dish_id=dish_id)
    if dish is None:
        raise Http404
    try:
        child_id = int(request.POST.get("child", ""))
    except ValueError:
        child_id = 0
    try:
        services.menu_substitute_set(dish=dish, child_id=child_id, name=request.POST.get("name", ""), by=request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Substitute dish saved."))
    if request.POST.get("next") == "week":
        return redirect(_week_url(dish.menu.school_id, dish.menu.band, dish.menu.week_start, f"dish-{dish.pk}"))
    url = reverse("community:menu_day", args=[dish.menu.school_id])
    return redirect(f"{url}?{urlencode({'on': dish.day.strftime('%d/%m/%Y')})}#dish-{dish.pk}")


@login_required
@require_http_methods(GET)
def menu_day(request, school_id: int):
    """The day's dishes per class, flagged for the children who must avoid them, with their substitutes."""
    day, ok = day_parse(request.GET.get("on"), school_today())
    page = selectors.menu_daily(user=request.user, school_id=school_id, day=day)
    if page is None:
        raise Http404
    if not ok:
        messages.error(request, _("The day asked for could not be read (dd/mm/yyyy): here is today."))
    page["can_write"] = selectors.can_write_menus(request.user, school_id)
    page["previous_day"] = day - datetime.timedelta(days=1)
    page["next_day"] = day + datetime.timedelta(days=1)
    page["week_start"] = week_start_of(day)
    return render(request, "community/menus/day.html", page)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def menu_foods(request, school_id: int):
    """Search the table and the school's own foods; add one of the school's own."""
    query = request.GET.get("q", "").strip()
    found = selectors.food_search(user=request.user, school_id=school_id, q=query)
    if found is None:
        raise Http404
    if request.method != "POST" and request.GET.get("format") == "json":
        # The week editor's suggestions (static/js/community-menus.js): code and names only.
        foods = [{"code": food.code, "name": food.name_vi, "name_en": food.name_en} for food, _values in found[:20]]
        return JsonResponse({"foods": foods})
    form = OwnFoodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            food = services.school_food_create(
                school_id=school_id,
                code=data["code"],
                name_vi=data["name_vi"],
                values={k: data[k] for k in ("inedible_pct", "kcal", "protein_g", "fat_g", "carbohydrate_g")},
                allergens=data["allergens"],
                price_per_kg=data["price_per_kg"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(food)s added to the school's foods.") % {"food": food.name_vi})
            return redirect(f"{reverse('community:menu_foods', args=[school_id])}?{urlencode({'q': food.code})}")
    school = selectors.menu_school_for_writer(user=request.user, school_id=school_id)
    to_price = selectors.foods_to_price(user=request.user, school_id=school_id)
    context = {"school": school, "query": query, "found": found, "form": form, "to_price": to_price}
    return render(request, "community/menus/foods.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def menu_food(request, school_id: int, food_id: int):
    """A food as the school uses it: its price, the values the table lacks, its allergen groups."""
    found = selectors.food_for_writer(user=request.user, school_id=school_id, food_id=food_id)
    if found is None:
        raise Http404
    food, own = found
    initial = {}
    if own is not None:
        initial = {
            name: getattr(own, name)
            for name in ("price_per_kg", "inedible_pct", "kcal", "protein_g", "fat_g", "carbohydrate_g")
        }
        initial["allergens"] = own.allergens if own.allergens is not None else food.allergens
        initial["use_default_allergens"] = own.allergens is None
    else:
        initial = {"allergens": food.allergens, "use_default_allergens": True}
    form = SchoolFoodForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.school_food_save(
                school_id=school_id,
                food=food,
                price_per_kg=data["price_per_kg"],
                values={k: data[k] for k in ("inedible_pct", "kcal", "protein_g", "fat_g", "carbohydrate_g")},
                allergens=None if data["use_default_allergens"] else data["allergens"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(food)s saved for the school.") % {"food": food.name_vi})
            return redirect("community:menu_food", school_id, food.pk)
    school = selectors.menu_school_for_writer(user=request.user, school_id=school_id)
    return render(request, "community/menus/food.html", {"school": school, "food": food, "own": own, "form": form})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def menu_targets(request, school_id: int):
    """The principal's targets and daily meal fee per age group (empty: the programme's defaults)."""
    page = selectors.menu_targets_page(user=request.user, school_id=school_id)
    if page is None:
        raise Http404
    rows = page["rows"]
    forms_by_band = {}
    for band, _label in AgeBand.choices:
        row = rows.get(band)
        initial = {name: getattr(row, name) for name in TargetsForm.base_fields} if row else {}
        posted = request.method == "POST" and request.POST.get("band") == band
        forms_by_band[band] = TargetsForm(request.POST if posted else None, band=band, initial=initial, prefix=band)
    if request.method == "POST":
        band = request.POST.get("band")
        form = forms_by_band.get(band)
        if form is None:
            raise Http404
        if form.is_valid():
            data = dict(form.cleaned_data)
            fee = data.pop("daily_fee")
            try:
                services.menu_targets_save(school_id=school_id, band=band, values=data, daily_fee=fee, by=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Targets and meal fee saved."))
                return redirect("community:menu_targets", school_id)
    page["forms"] = [(band, label, forms_by_band[band], page["targets"][band]) for band, label in AgeBand.choices]
    return render(request, "community/menus/targets.html", page)


@login_required
@require_POST
def menu_prices(request, school_id: int):
    """The kitchen's prices per kg of the foods of this week and next, saved at once."""
    if selectors.menu_school_for_writer(user=request.user, school_id=school_id) is None:
        raise Http404
    prices = {}
    for name, value in request.POST.items():
        if name.startswith("price-") and name[6:].isdigit():
            prices[int(name[6:])] = value
    try:
        count = services.school_food_prices_save(school_id=school_id, prices=prices, by=request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(
            request,
            ngettext("Prices saved (%(count)s food).", "Prices saved (%(count)s foods).", count) % {"count": count},
        )
    return redirect(f"{reverse('community:menu_foods', args=[school_id])}#prices")
