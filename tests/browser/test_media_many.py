"""Many photos at once in a real browser (templates/mediafiles/upload_many.html, static/js/upload.js):
a few go up at a time, each with its progress, a dropped connection is resumed, each file announces
itself checked and ready (its id and thumbnail) to the page, and a form sent meanwhile waits for all."""

from __future__ import annotations

import os
import re

import pytest
from django.template.loader import render_to_string
from PIL import Image

from mediafiles.models import MediaFile, State
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What the page hears from the widget: the documented events, in order.
LISTEN = """() => {
    window.heard = [];
    window.running = 0;
    window.mostAtOnce = 0;
    const box = document.querySelector("[data-media-upload-many]");
    for (const name of ["media:queued", "media:start", "media:progress", "media:uploaded", "media:checked",
                        "media:ready", "media:failed", "media:settled"]) {
        box.addEventListener(name, (event) => {
            const d = event.detail || {};
            if (name === "media:start") window.running += 1;
            if (name === "media:uploaded" || (name === "media:failed" && d.id === undefined)) window.running -= 1;
            window.mostAtOnce = Math.max(window.mostAtOnce, window.running);
            window.heard.push({name, index: d.index, id: d.id || null, thumbUrl: d.thumbUrl || null,
                               thumbWebpUrl: d.thumbWebpUrl || null, sent: d.sent, total: d.total,
                               file: d.file ? d.file.name : null, checked: d.checked});
        });
    }
}"""


def noisy_png(path, side: int):
    """A photo that does not compress: a few hundred kilobytes, so that it goes up in pieces."""
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(path)
    return path


def teacher_on_a_page_with_many_photos(page, school) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_login").fill("co@example.test")
    page.locator("#id_password").fill(f.PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/teacher/|/$"))
    widget = render_to_string(
        "mediafiles/upload_many.html", {"name": "photos", "school": school, "label": "Ảnh các sản phẩm", "camera": True}
    )
    page.evaluate(
        """(widget) => {
            const form = document.createElement("form");
            form.method = "get";
            form.action = "/healthz";
            form.id = "works";
            form.innerHTML = widget + '<button type="submit">Lưu</button>';
            form.prepend(document.querySelector("input[name=csrfmiddlewaretoken]").cloneNode());
            document.querySelector("main").append(form);
            const script = document.createElement("script");
            script.src = "/static/js/upload.js";
            document.head.append(script);
        }""",
        widget,
    )
    page.wait_for_function(
        "window.mediaUploadReady === true && !!document.querySelector('[data-media-upload-many]').mediaUploadMany"
    )
    page.evaluate(LISTEN)


def test_a_teacher_picks_several_photos_at_once_and_each_goes_up_with_its_progress(page, tmp_path):
    school = f.SchoolFactory()
    teacher = f.StaffFactory(school=school, role="teacher", user=f.UserFactory(email="co@example.test")).user
    photos = [noisy_png(tmp_path / f"san-pham-{n}.png", side=300 + 20 * n) for n in range(5)]
    teacher_on_a_page_with_many_photos(page, school)

    patches: list[str] = []

    def drop_one_chunk(route):
        if route.request.method == "PATCH":
            patches.append(route.request.url)
            if len(patches) == 2:  # a phone that lost the connection in the middle of the batch
                route.abort("connectionreset")
                return
        route.continue_()

    page.route(re.compile(r".*/media/uploads/[0-9a-f-]+/$"), drop_one_chunk)

    page.get_by_label("Ảnh các sản phẩm").set_input_files([str(p) for p in photos])
    items = page.locator("[data-media-list] li")
    assert items.count() == 5
    page.wait_for_function("window.heard.filter(e => e.name === 'media:ready').length === 5", timeout=60_000)

    heard = page.evaluate("window.heard")
    ready = sorted((e for e in heard if e["name"] == "media:ready"), key=lambda e: e["index"])
    media = {str(m.pk): m for m in MediaFile.objects.filter(uploaded_by=teacher)}
    assert len(media) == 5 and all(m.state == State.READY for m in media.values())
    assert [e["file"] for e in ready] == [p.name for p in photos]
    for event in ready:
        assert event["id"] in media
        assert event["thumbUrl"] == f"/media/{event['id']}/thumb"
        assert event["thumbWebpUrl"] == f"/media/{event['id']}/thumb-webp"
        assert media[event["id"]].original_name == event["file"]
        thumb = page.request.get(event["thumbWebpUrl"])
        assert thumb.status == 200 and thumb.headers["content-type"] == "image/webp"
    # Each file was checked before it was ready, and reported its own progress up to the whole file.
    for index, photo in enumerate(photos):
        mine = [e for e in heard if e["index"] == index]
        names = [e["name"] for e in mine]
        assert names.index("media:checked") < names.index("media:ready"), names
        progress = [e for e in mine if e["name"] == "media:progress"]
        assert progress[-1]["sent"] == progress[-1]["total"] == photo.stat().st_size
    assert page.evaluate("window.mostAtOnce") == 3, "three at a time, never more"
    assert len(set(patches)) == 5 and len(patches) >= 6, "the dropped chunk was sent again"

    for item in items.all():
        assert item.get_attribute("data-state") == "ready"
        assert item.locator("progress").get_attribute("value") == "100"
        assert item.locator("img.media-upload-thumb").evaluate("img => img.complete && img.naturalWidth > 0")
    summary = page.locator("[data-media-summary]")
    assert summary.get_attribute("aria-live") == "polite"
    assert "5" in summary.inner_text()
    ids = page.locator("input[type=hidden][name=photos]").evaluate_all("inputs => inputs.map(i => i.value)")
    assert sorted(ids) == sorted(media)

    # The same photo chosen again is not sent twice.
    page.get_by_label("Ảnh các sản phẩm").set_input_files(str(photos[0]))
    assert items.count() == 5
    assert MediaFile.objects.filter(uploaded_by=teacher).count() == 5


def test_a_form_sent_while_the_photos_go_up_waits_for_all_of_them(page, tmp_path):
    school = f.SchoolFactory()
    teacher = f.StaffFactory(school=school, role="teacher", user=f.UserFactory(email="co@example.test")).user
    photos = [noisy_png(tmp_path / f"anh-{n}.png", side=400) for n in range(4)]
    teacher_on_a_page_with_many_photos(page, school)

    page.get_by_label("Ảnh các sản phẩm").set_input_files([str(p) for p in photos])
    page.locator("#works button[type=submit]").click()  # at once: the form waits
    page.wait_for_url(re.compile(r"/healthz\?"), timeout=60_000)

    sent = re.findall(r"photos=([0-9a-f-]{36})", page.url)
    made = MediaFile.objects.filter(uploaded_by=teacher)
    assert sorted(sent) == sorted(str(m.pk) for m in made)
    assert len(sent) == 4 and all(m.state == State.READY for m in made)
