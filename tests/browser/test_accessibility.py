"""Every persona's journey, page by page, through axe-core: no serious or critical violation anywhere.

One browser context per persona, signed in by its session cookie, walks the pages of that
persona's journey in one go; each page is scanned as a phone shows it (where wide tables
scroll sideways) and must declare the page's language; its pictures load lazily and keep
their place (width and height) while they load. All findings are gathered and
reported together, so one run names every page that fails.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Error as PlaywrightError

from tests.activities.makers import activity_make, answer_make, voice_make
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


def the_rest(w, made) -> dict[str, list[str]]:
    """The other pages of each persona's journeys: community, donations (the settlement a board member
    co-signs, the honour roll, the thank-you pages), portfolio, privacy, reports, follow-up."""
    school, child, classroom = w.school.slug, w.child.pk, w.classroom.pk
    ward, province = w.school.authority.slug, w.school.authority.province.slug
    board = f"/schools/{school}/transparency/"
    return {
        "anonymous": [
            f"{board}campaigns/{made.board.open.pk}/",
            f"{board}campaigns/{made.board.closed.pk}/settlement/",
            f"{board}ledger/",
            f"/schools/{school}/honour/",
            "/privacy/",
            "/accounts/password/reset/",
            "/accounts/login/code/",
            f"/follow/{made.follow.token}/",
            f"/donations/invitations/{made.donor_invitation.token}/",
            f"/feedback/schools/{school}/answered/",
        ],
        "parent": [
            f"/children/{child}/",
            f"/children/{child}/portfolio/",
            f"/w/{made.work.token}",
            f"/children/{child}/albums/",
            f"/albums/{made.album.pk}/",
            f"/children/{child}/ready-for-school/",
            f"/children/{child}/pickup/",
            f"/children/{child}/family-viewers/",
            f"/children/{child}/pickup-notices/",
            f"/children/{child}/shared-answers/",
            "/announcements/",
            f"/announcements/{made.announcement.pk}/",
            "/notifications/",
            "/notifications/preferences/",
            "/events/",
            f"/events/{made.event.pk}/",
            "/library/",
            "/menus/",
            "/feedback/",
            f"/feedback/schools/{school}/new/",
            "/polls/",
            f"/polls/{made.poll.pk}/",
            "/donations/mine/",
            f"/donations/mine/{made.gift.pk}/",
            f"/schools/{school}/campaigns/{made.board.open.pk}/pledge/",
            "/privacy/my/",
            "/privacy/exports/",
            f"/privacy/requests/{made.request.pk}/",
            f"/privacy/children/{child}/reads/",
            "/join/",
            "/accounts/email/",
            "/accounts/password/change/",
            "/accounts/phone/change/",
            "/accounts/2fa/",
            f"/notifications/{made.notice.pk}/",
            f"/schools/{school}/campaigns/{made.board.open.pk}/",
        ],
        "family_viewer": [f"/w/{made.work.token}", "/notifications/", f"/follow/{made.follow.token}/"],
        # The other parent sits on the parents' board: the settlement waits for their signature.
        "other_parent": [
            f"{board}campaigns/{made.board.closed.pk}/settlement/",
            f"{board}books/",
            f"/schools/{school}/campaigns/",
        ],
        "teacher": [
            "/works/",
            f"/classes/{classroom}/works/",
            f"/works/{made.work.pk}/edit/",
            f"/works/{made.work.pk}/transcript/",
            f"/classes/{classroom}/labels/",
            f"/labels/{made.sheet.pk}/",
            f"/activities/{made.activity.pk}/",
            f"/activities/{made.activity.pk}/edit/",
            f"/activities/{made.activity.pk}/captions/",
            f"/schools/{school}/activities/",
            f"/schools/{school}/activities/new/",
            "/activity-library/",
            f"/activity-library/{made.library_entry.pk}/",
            "/donations/drawings/",
            f"/donations/drawings/{made.letter.pk}/",
            "/library/desk/",
            f"/library/items/{made.library['item'].pk}/",
            f"/library/families/{child}/",
            f"/events/{made.event.pk}/gallery/",
            f"/classes/{classroom}/pickup-notices/",
            "/pickup-notices/today/",
            f"/announcements/{made.announcement.pk}/receipts/",
        ],
        "principal": [
            f"/schools/{school}/manage/staff/",
            f"/schools/{school}/manage/guardians/",
            f"/schools/{school}/announcements/",
            f"/events/schools/{school}/new/",
            f"/events/{made.event.pk}/organise/",
            f"/events/{made.event.pk}/edit/",
            f"/feedback/schools/{school}/inbox/",
            f"/feedback/{made.feedback.pk}/",
            f"/polls/schools/{school}/new/",
            f"/privacy/schools/{school}/requests/",
            f"/privacy/schools/{school}/requests/{made.request.pk}/",
            f"/privacy/schools/{school}/holds/",
            f"/privacy/schools/{school}/retention/",
            "/privacy/breaches/",
            f"/privacy/breaches/{made.breach.pk}/",
            f"/privacy/breaches/{made.breach.pk}/draft/",
            "/privacy/breaches/new/",
            f"/privacy/schools/{school}/requests/paper/",
            f"/reports/schools/{school}/submit/",
            f"/reports/schools/{school}/submissions/",
            f"{board}books/",
            f"/health/schools/{school}/reads/",
            f"/menus/school/{w.school.pk}/targets/",
        ],
        "nurse": [
            f"/health/children/{child}/",
            f"/health/schools/{school}/checkups/",
            f"/health/checkups/{made.checkup.pk}/",
            f"/health/schools/{school}/follow-up/",
            f"/health/children/{child}/follow-up/",
            f"/health/classes/{classroom}/summary/",
            f"/health/schools/{school}/import/",
        ],
        "kitchen": [
            f"/menus/school/{w.school.pk}/foods/",
            f"/menus/school/{w.school.pk}/foods/{made.rice}/",
        ],
        "accountant": ["/admin/donations/", "/admin/donations/campaign/", f"{board}books/"],
        "officer": [
            f"/authorities/{ward}/activity-library/",
            f"/authorities/{ward}/commendations/",
            f"/authorities/{ward}/activity-library/reuse/",
            "/feedback/authority/",
            f"/reports/area/{ward}/",
            f"/reports/submissions/{made.submission.pk}/",
        ],
        "province_officer": [
            f"/authorities/{province}/",
            f"/reports/area/{province}/",
            f"/health/authorities/{province}/",
        ],
    }


def the_rest_made(world):
    """What the rest of the journeys show, made the way the authorisation matrix makes it."""
    from types import SimpleNamespace

    from notifications.models import Notice
    from tests.activities import matrix as activities
    from tests.activities import matrix_library as activity_library
    from tests.announcements import matrix as announcements
    from tests.community import matrix_events as events
    from tests.community import matrix_library as library
    from tests.community import matrix_menus as menus
    from tests.donations import matrix_campaigns as campaigns
    from tests.donations import matrix_honour as honour
    from tests.donations import matrix_public as public
    from tests.feedback import matrix as feedback
    from tests.health import matrix_followup as followup
    from tests.parents import matrix as parents
    from tests.portfolio import matrix_printing as printing
    from tests.privacy import matrix_breaches as breaches
    from tests.privacy import matrix_requests as requests
    from tests.reports import matrix_school as reports

    made = SimpleNamespace(board=public._board(world))
    honour._roll_with_photo(world)  # the gift's photo on the public roll
    made.letter = honour._letter(world)
    made.gift = made.letter.contribution  # the parent's own gift, thanked by the letter
    made.activity = activities._with_video(world)
    made.library_entry = activity_library._entry(world)
    activity_library._commendation(world)
    made.announcement = announcements._announcement(world)
    announcements._pickup_notice(world)
    made.event = events._festival(world)
    made.library = library._made(world)
    made.menu = menus._menu(world)
    made.feedback = feedback._escalated(world)
    made.poll = feedback._poll(world)
    made.checkup = followup._checkup(world)
    made.sheet = printing._ready_sheet(world)
    made.work = made.sheet.classroom.works.get()
    made.work.voice = voice_make(school=world.school, by=world.teacher)  # the child telling about it
    made.work.save(update_fields=["voice"])
    made.album = printing._ready_album("child", "parent")(world)
    made.request = requests._request(world)
    made.breach = breaches._breach(world)
    made.submission = reports._submitted(world)
    made.follow = parents._open_invitation(world)
    made.donor_invitation = campaigns._invitation(world)
    feedback._publishable(world)
    made.notice = Notice.objects.create(
        recipient=world.parent, school=world.school, category="activity", title="Hoạt động mới", dedupe_key="a11y"
    )
    made.rice = menus._rice(world)
    return made


# An <img> that loads before it is scrolled to, or makes the page jump when it comes (the admin's icons are Django's).
UNSIZED_IMAGES = """() => Array.from(document.querySelectorAll("img"))
  .filter((img) => img.getAttribute("loading") !== "lazy" || !img.hasAttribute("width") || !img.hasAttribute("height"))
  .map((img) => img.outerHTML.slice(0, 120))"""


def sign_in(context, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def scan(browser, live_server, world, csp_violations, pages: dict[str, list[str]]) -> tuple[int, list[str]]:
    """Each persona's pages in one browser context: the pages scanned and what was found wrong."""
    failures: list[str] = []
    scanned = 0
    for persona, paths in pages.items():
        context = browser.new_context(viewport=PHONE_VIEWPORT, locale="en-US", base_url=live_server.url)
        context.on("console", csp_violations.listen)
        install_axe(context)
        if persona != "anonymous":
            sign_in(context, live_server, world.persona(persona))
        page = context.new_page()
        for path in paths:
            try:
                response = page.goto(path)
            except PlaywrightError as error:  # an empty error page (a 405) is the browser's own error
                failures.append(f"{persona} {path}: {error.message.splitlines()[0]}")
                continue
            if response is None or response.status != 200:
                failures.append(f"{persona} {path}: answered {response and response.status}, not 200")
                continue
            lang = page.locator("html").get_attribute("lang")
            if lang != "vi":
                failures.append(f"{persona} {path}: <html lang={lang!r}>, not the page's language 'vi'")
            found = violations_of(page)
            if found:
                failures.append(f"{persona} " + describe(path, found))
            if not path.startswith("/admin/"):
                failures += [
                    f"{persona} {path}: {img} is not lazy, or has no width and height"
                    for img in page.evaluate(UNSIZED_IMAGES)
                ]
            scanned += 1
        context.close()
    return scanned, failures


def test_every_journey_page_has_no_serious_accessibility_violation(browser, live_server, world, csp_violations):
    activity = activity_make(school=world.school, by=world.teacher, classrooms=[world.classroom])
    answer_make(activity=activity, child=world.child, by=world.parent)
    for on, weight, height in DAYS_ACROSS_60:
        measure(world.child, world.nurse, on, weight, height)
    campaign = donations.opened(world)  # seats the other parent on the board

    pages = journeys(world, activity, campaign)
    scanned, failures = scan(browser, live_server, world, csp_violations, pages)

    assert not failures, "\n".join(failures)
    assert scanned == sum(len(p) for p in pages.values())
    csp_violations.check()


def test_the_rest_of_every_journey_has_no_serious_accessibility_violation(browser, live_server, world, csp_violations):
    for on, weight, height in DAYS_ACROSS_60:
        measure(world.child, world.nurse, on, weight, height)
    pages = the_rest(world, the_rest_made(world))

    scanned, failures = scan(browser, live_server, world, csp_violations, pages)

    assert not failures, "\n".join(failures)
    assert scanned == sum(len(p) for p in pages.values())
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
