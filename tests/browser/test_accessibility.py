"""Every persona's journey, page by page, through axe-core: no serious or critical violation anywhere.

One browser context per persona, signed in by its session cookie, walks the pages of that
persona's journey in one go; each page is scanned as a phone shows it (where wide tables
scroll sideways) and must declare the page's language. All findings are gathered and
reported together, so one run names every page that fails.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from tests.activities.makers import activity_make, answer_make
from tests.browser.axe import describe, install_axe, violations_of
from tests.browser.conftest import PHONE_VIEWPORT
from tests.donations import makers as donations
from tests.health.record_makers import DAYS_ACROSS_60, measure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def journeys(w, activity, campaign) -> dict[str, list[str]]:
    school, child, classroom = w.school.slug, w.child.pk, w.classroom.pk
    return {
        "anonymous": [
            "/",
            "/accounts/login/",
            "/accounts/signup/",
            f"/schools/{school}/",
            f"/schools/{school}/transparency/",
        ],
        "parent": [
            "/family/",
            f"/children/{child}/activities/",
            f"/activities/{activity.pk}/",
            f"/activities/{activity.pk}/children/{child}/answer/",
            f"/health/children/{child}/",
            f"/children/{child}/consents/",
        ],
        "family_viewer": ["/family/", f"/children/{child}/portfolio/"],
        "teacher": [
            "/teacher/",
            f"/classes/{classroom}/",
            f"/activities/{activity.pk}/participation/",
            f"/classes/{classroom}/works/new/",
        ],
        "principal": [
            f"/schools/{school}/manage/",
            f"/schools/{school}/activities/participation/",
            f"/schools/{school}/announcements/new/",
            f"/reports/schools/{school}/",
        ],
        "nurse": ["/health/", f"/health/classes/{classroom}/measure/", f"/health/schools/{school}/summary/"],
        "kitchen": [f"/menus/school/{w.school.pk}/day/", f"/menus/school/{w.school.pk}/week/"],
        "accountant": ["/admin/donations/contribution/"],
        # The other parent sits on the parents' board.
        "other_parent": [f"/schools/{school}/campaigns/", f"/schools/{school}/campaigns/{campaign.pk}/"],
        "officer": [
            f"/authorities/{w.school.authority.slug}/",
            f"/health/authorities/{w.school.authority.slug}/",
            "/reports/submitted/",
        ],
    }


def sign_in(context, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def test_every_journey_page_has_no_serious_accessibility_violation(browser, live_server, world, csp_violations):
    activity = activity_make(school=world.school, by=world.teacher, classrooms=[world.classroom])
    answer_make(activity=activity, child=world.child, by=world.parent)
    for on, weight, height in DAYS_ACROSS_60:
        measure(world.child, world.nurse, on, weight, height)
    campaign = donations.opened(world)  # seats the other parent on the board

    failures: list[str] = []
    scanned = 0
    for persona, paths in journeys(world, activity, campaign).items():
        context = browser.new_context(viewport=PHONE_VIEWPORT, locale="en-US", base_url=live_server.url)
        context.on("console", csp_violations.listen)
        install_axe(context)
        if persona != "anonymous":
            sign_in(context, live_server, world.persona(persona))
        page = context.new_page()
        for path in paths:
            response = page.goto(path)
            if response is None or response.status != 200:
                failures.append(f"{persona} {path}: answered {response and response.status}, not 200")
                continue
            lang = page.locator("html").get_attribute("lang")
            if lang != "vi":
                failures.append(f"{persona} {path}: <html lang={lang!r}>, not the page's language 'vi'")
            found = violations_of(page)
            if found:
                failures.append(f"{persona} " + describe(path, found))
            scanned += 1
        context.close()

    assert not failures, "\n".join(failures)
    assert scanned == sum(len(p) for p in journeys(world, activity, campaign).values())
    csp_violations.check()


PAGE_WITH_BARRIERS = """<!DOCTYPE html>
<html lang="vi"><head><title>probe</title></head><body><main>
<div id="wide" style="overflow-x: auto; width: 100px"><p style="width: 400px">Bảng rộng: bảy cột số liệu.</p></div>
<input type="text" name="nameless">
</main></body></html>"""


def test_the_scan_names_a_scroll_region_out_of_keyboard_reach_and_an_unlabelled_field(page, live_server):
    # Served at the portal's address, without its policy: the probe's inline styles must apply.
    page.route(
        f"{live_server.url}/a11y-probe/",
        lambda route: route.fulfill(status=200, content_type="text/html; charset=utf-8", body=PAGE_WITH_BARRIERS),
    )
    page.goto("/a11y-probe/")

    found = {v["id"]: v for v in violations_of(page)}

    assert {"scrollable-region-focusable", "label"} <= set(found)
    assert found["scrollable-region-focusable"]["nodes"][0]["target"] == "#wide"
    assert "scrollable-region-focusable" in describe("/a11y-probe/", list(found.values()))
    # The fix the portal's templates use makes the region reachable.
    page.locator("#wide").evaluate(
        "el => { el.tabIndex = 0; el.setAttribute('role', 'region'); el.ariaLabel = 'Bảng'; }"
    )
    assert "scrollable-region-focusable" not in {v["id"] for v in violations_of(page)}
