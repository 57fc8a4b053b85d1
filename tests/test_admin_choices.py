"""Every choice in every admin form is the leader's own school's: generated from the admin registry.

For every registered admin, a principal opens its add and change forms. Every field of the form and
of its inline formsets that chooses objects (a ModelChoiceField or ModelMultipleChoiceField) is
posted with objects of another school, and with accounts that are not linked to the school: Django
answers "Select a valid choice", the object's name appears nowhere on the page, nothing is saved,
and the same field does accept one of the school's own choices. On a change form the relations
shown read-only ignore a posted id. A form the principal may not use refuses the post. A new
admin, field or inline is covered without writing anything here; a field that chooses a new kind
of object fails until it has a maker in OUTSIDERS.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.contrib import admin
from django.db import transaction
from django.forms import ModelChoiceField
from django.utils.html import escape

from tests import factories as f
from tests.admin_forms import browser_data
from tests.conftest import World
from tests.test_authorization_matrix import ADMIN_MODELS

pytestmark = pytest.mark.django_db

INVALID_CHOICE = "Select a valid choice."


def _distinct_user(user, name: str):
    # The factories' names ("Người dùng 12") contain one another; an outsider must be recognisable.
    user.full_name = name
    user.save(update_fields=["full_name"])
    return user


def _foreign_year(w: World):
    from schools.models import SchoolYear

    return SchoolYear.objects.create(
        school=w.other_school,
        name="Năm Hoa Sen",
        starts_on=datetime.date(2030, 9, 1),
        ends_on=datetime.date(2031, 5, 31),
    )


def _foreign_users(w: World) -> list:
    return [
        _distinct_user(w.foreign_parent, "Ngô Thị Phương Hoa Sen"),  # a guardian at the other school
        _distinct_user(w.foreign_teacher, "Lý Văn Giáo Hoa Sen"),  # staff of the other school
        _distinct_user(w.former_parent, "Vương Thị Đã Rời"),  # their child has left this school
        _distinct_user(w.deactivated_staff, "Đoàn Văn Đã Nghỉ"),  # no longer on the staff
        f.UserFactory(full_name="Người Lạ Không Quen", email="stranger@example.test"),  # linked to no school
    ]


def _foreign_staff(w: World) -> list:
    _distinct_user(w.foreign_teacher, "Lý Văn Giáo Hoa Sen")
    return [w.foreign_teacher.staff_memberships.get()]


def _foreign_media(w: World) -> list:
    from tests.activities.makers import photo_make

    media = photo_make(school=w.other_school, by=w.foreign_teacher)
    media.original_name = "hoa-sen-rieng.jpg"
    media.save(update_fields=["original_name"])
    return [media]


def _foreign_notice(w: World) -> list:
    from notifications.models import Notice

    return [
        Notice.objects.create(
            recipient=w.foreign_parent, school=w.other_school, category="activity", title="Tin riêng Hoa Sen"
        )
    ]


def _foreign_announcement(w: World) -> list:
    from tests.announcements.makers import announcement_make

    return [announcement_make(school=w.other_school, by=w.foreign_teacher, title="Thông báo riêng Hoa Sen")]


def _foreign_activity(w: World) -> list:
    from tests.activities.makers import activity_make

    return [
        activity_make(
            school=w.other_school, by=w.foreign_teacher, classrooms=[w.foreign_classroom], title="Hoạt động Hoa Sen"
        )
    ]


def _foreign_campaign(w: World):
    from donations import services
    from donations.models import Campaign

    found = Campaign.objects.filter(school=w.other_school).first()
    if found is not None:
        return found
    return services.campaign_create(
        school=w.other_school,
        by=w.other_principal,
        title="Quỹ riêng Hoa Sen",
        purpose="Sân chơi mới.",
        beneficiaries="Các lớp Hoa Sen.",
        use_plan="Mua cầu trượt.",
        uses=["facilities"],
        wishes=[("Cầu trượt Hoa Sen", 1, True)],
    )


def _foreign_donor(w: World) -> list:
    from donations.models import Donor

    return [Donor.objects.create(school=w.other_school, kind="business", name="Nhà hảo tâm Hoa Sen")]


def _foreign_contribution(w: World) -> list:
    from tests.donations.makers_honour import received_make

    donor = _foreign_donor(w)[0]
    return [received_make(campaign=_foreign_campaign(w), donor=donor, received_on=datetime.date(2026, 11, 2))]


# Objects a Sao Mai leader must never be able to choose, by the model a field chooses from.
OUTSIDERS: dict[str, Callable[[World], list]] = {
    "schools.school": lambda w: [w.other_school],
    "schools.authority": lambda w: [w.other_school.authority],
    "schools.schoolyear": lambda w: [_foreign_year(w)],
    "schools.classroom": lambda w: [w.foreign_classroom],
    "schools.child": lambda w: [w.other_school_child],
    "schools.staffmembership": _foreign_staff,
    "schools.pickupperson": lambda w: [f.PickupPersonFactory(child=w.other_school_child, full_name="Bà Lưu Hoa Sen")],
    "accounts.user": _foreign_users,
    "mediafiles.mediafile": _foreign_media,
    "notifications.notice": _foreign_notice,
    "announcements.announcement": _foreign_announcement,
    "activities.activity": _foreign_activity,
    "donations.campaign": lambda w: [_foreign_campaign(w)],
    "donations.wishitem": lambda w: list(_foreign_campaign(w).wishes.all()),
    "donations.donor": _foreign_donor,
    "donations.contribution": _foreign_contribution,
}


def outsiders(world: World, model) -> list:
    """Made once per test: the same objects answer every field that chooses from this model."""
    label = model._meta.label_lower
    if label not in OUTSIDERS:
        pytest.fail(f"an admin form chooses {label}: add a maker of another school's {label} to OUTSIDERS")
    made = world.__dict__.setdefault("_outsiders", {})
    if label not in made:
        made[label] = OUTSIDERS[label](world)
    return made[label]


def _foreign_goods(w: World) -> list:
    from donations.models import Campaign, Contribution, Donor

    campaign = Campaign.objects.create(
        school=w.other_school, title="Bếp Hoa Sen", purpose="Bếp", beneficiaries="Các lớp", use_plan="Mua nồi"
    )
    donor = Donor.objects.create(school=w.other_school, kind="business", name="Nhà tặng nồi Hoa Sen")
    return [
        Contribution.objects.create(
            school=w.other_school, campaign=campaign, donor=donor, kind="in_kind", items="Nồi Hoa Sen", quantity=1
        )
    ]


# Gifts of goods (handover records, the asset register choose them).
OUTSIDERS["donations.contribution"] = _foreign_goods


def _registered() -> list[str]:
    return sorted(f"{model._meta.app_label}/{model._meta.model_name}" for model in admin.site._registry)


def _model(path: str):
    from django.apps import apps

    return apps.get_model(*path.split("/"))


def _snapshot(model) -> dict:
    """Every row of the model, of its inlines' models and of their many-to-many tables."""
    model_admin = admin.site._registry[model]
    models = [model, *(inline.model for inline in model_admin.inlines)]
    tables = {}
    for each in models:
        for m2m in each._meta.many_to_many:
            through = m2m.remote_field.through
            tables[through._meta.label] = list(through.objects.order_by("pk").values())
        tables[each._meta.label] = list(each.objects.order_by("pk").values())
    return tables


def _value(field: ModelChoiceField, obj) -> str:
    return str(getattr(obj, field.to_field_name or "pk"))


def _choice_slots(response) -> list[dict]:
    """Each place of the form shown that chooses objects: main-form fields and inline-formset fields."""
    slots = []
    form = response.context["adminform"].form
    for name, field in form.fields.items():
        if isinstance(field, ModelChoiceField):
            slots.append({"name": name, "field": field, "errors": lambda r, name=name: _main_errors(r, name)})
    for index, inline_formset in enumerate(response.context["inline_admin_formsets"]):
        formset = inline_formset.formset
        rows = formset.total_form_count()
        if rows == 0 and not inline_formset.has_add_permission:
            continue  # nothing to post into
        for name, field in formset.empty_form.fields.items():
            # The row's own id is looked up among the parent's rows only (an unknown one is a new row).
            if isinstance(field, ModelChoiceField) and name != formset.model._meta.pk.name:
                slots.append(
                    {
                        "name": f"{formset.prefix}-0-{name}",
                        "field": field,
                        "new_row": (formset.prefix, rows) if rows == 0 else None,
                        "errors": lambda r, index=index, name=name: _inline_errors(r, index, name),
                    }
                )
    return slots


def _main_errors(response, name) -> list[str]:
    if response.context is None or "adminform" not in response.context:
        return []
    return [error.code for error in response.context["adminform"].form.errors.as_data().get(name, [])]


def _inline_errors(response, index, name) -> list[str]:
    if response.context is None or "inline_admin_formsets" not in response.context:
        return []
    formset = response.context["inline_admin_formsets"][index].formset
    return [error.code for form in formset.forms for error in form.errors.as_data().get(name, [])]


def _post(client, url, data, slot, value_list) -> object:
    data = {**data, slot["name"]: value_list, "_save": "Save"}
    if slot.get("new_row"):
        prefix, rows = slot["new_row"]
        data[f"{prefix}-TOTAL_FORMS"] = [str(rows + 1)]
    return client.post(url, data)


def _attack_choices(client, world, model, url, page, form_id) -> int:
    """Post every choosing field with outsiders; returns how many fields were tried."""
    data = browser_data(page.content.decode(), form_id)
    tried = 0
    for slot in _choice_slots(page):
        field = slot["field"]
        for outsider in outsiders(world, field.queryset.model):
            assert not field.queryset.filter(pk=outsider.pk).exists(), f"{url} {slot['name']} offers {outsider!r}"
            before = _snapshot(model)
            response = _post(client, url, data, slot, [_value(field, outsider)])
            where = f"{url} {slot['name']}={outsider!r}"
            assert response.status_code == 200, f"{where}: answered {response.status_code}"
            assert "invalid_choice" in slot["errors"](response), where
            page_text = response.content.decode()
            assert INVALID_CHOICE in page_text, where
            assert str(outsider) not in page_text and escape(str(outsider)) not in page_text, f"{where}: named"
            assert _snapshot(model) == before, f"{where}: saved"
        own = field.queryset.first()
        if own is not None:
            response = _post(client, url, data, slot, [_value(field, own)])
            assert "invalid_choice" not in slot["errors"](response), f"{url} {slot['name']} refuses its own {own!r}"
        tried += 1
    return tried


def _relations(model) -> list:
    return [
        field
        for field in model._meta.get_fields()
        if field.is_relation and field.concrete and not field.auto_created and field.editable
    ]


def _relation_values(obj) -> dict:
    obj.refresh_from_db()
    values = {}
    for field in _relations(type(obj)):
        if field.many_to_many:
            values[field.name] = sorted(getattr(obj, field.name).values_list("pk", flat=True))
        else:
            values[field.name] = getattr(obj, field.attname)
    return values


def _attack_read_only_relations(client, world, obj, url, form_id) -> int:
    """Relations shown but not editable ignore an id posted for them."""
    page = client.get(url)  # afresh: the checks of the choices saved the school's own choices
    form = page.context["adminform"].form
    shown_read_only = [field for field in _relations(type(obj)) if field.name not in form.fields]
    if not shown_read_only:
        return 0
    data = browser_data(page.content.decode(), form_id)
    for field in shown_read_only:
        data[field.name] = [str(outsiders(world, field.related_model)[0].pk)]
    before = _relation_values(obj)
    client.post(url, {**data, "_save": "Save"})
    assert _relation_values(obj) == before, f"{url}: a read-only relation took a posted id"
    return len(shown_read_only)


@pytest.mark.parametrize("model_path", _registered())
def test_admin_forms_offer_and_accept_only_the_schools_own_objects(model_path, world, client):
    model = _model(model_path)
    _table, make_object = ADMIN_MODELS[model_path]
    obj = make_object(world)
    client.cookies["django_language"] = "en"
    client.force_login(world.principal)
    form_id = f"{model._meta.model_name}_form"
    for view, url in (("add", f"/admin/{model_path}/add/"), ("change", f"/admin/{model_path}/{obj.pk}/change/")):
        page = client.get(url)
        editable = page.status_code == 200 and (view == "add" or page.context.get("has_change_permission"))
        if not editable:
            # A form the principal may not use (superusers' models, records nobody edits) refuses posts.
            before = _snapshot(model)
            response = client.post(url, {field.name: "1" for field in _relations(model)} | {"_save": "Save"})
            assert response.status_code == 403, f"{url}: a post answered {response.status_code}"
            assert _snapshot(model) == before
            continue
        _attack_choices(client, world, model, url, page, form_id)
        if view == "change":
            _attack_read_only_relations(client, world, obj, url, form_id)


def test_the_generated_checks_reach_every_kind_of_choice(world, client):
    """The walk above is not empty: today's forms choose schools, years, classes, children and accounts."""
    client.force_login(world.principal)
    chosen = set()
    for model_path in _registered():
        _table, make_object = ADMIN_MODELS[model_path]
        with transaction.atomic():
            obj = make_object(world)
            for url in (f"/admin/{model_path}/add/", f"/admin/{model_path}/{obj.pk}/change/"):
                page = client.get(url)
                if page.status_code == 200 and page.context.get("adminform"):
                    chosen |= {slot["field"].queryset.model._meta.label_lower for slot in _choice_slots(page)}
            transaction.set_rollback(True)
    assert {"schools.school", "schools.schoolyear", "schools.classroom", "schools.child", "accounts.user"} <= chosen


def test_an_inlines_choices_are_scoped_too(world, client, monkeypatch):
    """An inline that chooses objects (here a child's classes, made editable for the test) is scoped alike."""
    from schools.admin_base import SchoolScopedInline
    from schools.models import Child, Enrolment

    class EditableEnrolments(SchoolScopedInline):
        model = Enrolment
        fields = ["classroom", "starts_on"]

    monkeypatch.setattr(admin.site._registry[Child], "inlines", [EditableEnrolments])
    client.cookies["django_language"] = "en"
    client.force_login(world.principal)
    for url in ("/admin/schools/child/add/", f"/admin/schools/child/{world.child.pk}/change/"):
        page = client.get(url)
        slots = _choice_slots(page)
        assert [slot["name"] for slot in slots] == ["school", "enrolments-0-classroom"]
        assert _attack_choices(client, world, Child, url, page, "child_form") == 2
