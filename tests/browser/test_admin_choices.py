"""A principal picks a child in the admin by searching, and finds only their own school's children."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from schools.models import PickupPerson
from tests import factories as f


def log_in(page: Page, login: str, password: str = f.PASSWORD) -> None:
    page.goto("/accounts/login/?next=/admin/")
    page.locator("#id_login").fill(login)
    page.locator("#id_password").fill(password)
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("#content")).to_be_visible()


def test_principal_finds_only_their_schools_children_when_adding_a_pickup_person(page: Page, live_server, world):
    log_in(page, world.principal.email)
    page.goto("/admin/schools/pickupperson/add/")
    # The school is the child's: only the child is chosen.

    # The child is chosen by a search (no id to type in), which only knows this school's children.
    expect(page.locator("#id_child.admin-autocomplete")).to_have_count(1)
    page.locator(".field-child .select2-selection").click()
    search = page.locator(".select2-search__field")
    search.fill("Ng")
    results = page.locator(".select2-results__option")
    expect(results.filter(has_text=world.child.full_name)).to_have_count(1)
    expect(results.filter(has_text=world.sibling.full_name)).to_have_count(1)
    expect(page.locator(".select2-results")).not_to_contain_text(world.other_school_child.full_name)
    search.fill(world.other_school_child.full_name)
    expect(results.filter(has_text=world.other_school_child.full_name)).to_have_count(0)
    search.fill("Khôi")
    results.filter(has_text=world.child.full_name).click()

    page.locator("#id_full_name").fill("Trần Văn Ông")
    page.locator("#id_relationship").fill("Ông nội")
    page.locator("#id_phone").fill("+84912345678")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_be_visible()
    person = PickupPerson.objects.get(full_name="Trần Văn Ông")
    assert (person.child, person.school, person.added_by) == (world.child, world.school, world.principal)
