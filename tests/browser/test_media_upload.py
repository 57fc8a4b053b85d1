"""static/js/upload.js in a real browser: chunks, a dropped connection resumed, a form held back until the
file is uploaded and checked, and a refusal by the worker shown on the page without a reload."""

from __future__ import annotations

import os
import re

import pytest
from django.template.loader import render_to_string
from PIL import Image

from mediafiles.models import MediaFile, State
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def noisy_png(path, side: int = 1000):
    """About 3 MB that does not compress: several chunks for the client."""
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(path)
    return path


def sign_in_with_a_form(page, school, *, script: bool = True) -> None:
    """A teacher signed in, on a page with a form that holds an upload widget for a photo
    (and, unless `script` is false, the script that drives it)."""
    page.goto("/accounts/login/")
    page.locator("#id_login").fill("co@example.test")
    page.locator("#id_password").fill(f.PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/teacher/|/$"))

    widget = render_to_string(
        "mediafiles/upload_widget.html", {"name": "photo", "kind": "image", "school": school, "label": "Ảnh"}
    )
    page.evaluate(
        """(widget) => {
            const form = document.createElement("form");
            form.method = "get";
            form.action = "/healthz";
            form.id = "answer";
            form.innerHTML = widget + '<button type="submit">Gửi</button>';
            form.prepend(document.querySelector("input[name=csrfmiddlewaretoken]").cloneNode());
            document.querySelector("main").append(form);
        }""",
        widget,
    )
    if script:
        load_the_script(page)


def load_the_script(page) -> None:
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.src = "/static/js/upload.js";
            document.head.append(script);
        }"""
    )
    page.wait_for_function("window.mediaUploadReady === true")


def a_teacher(school):
    return f.StaffFactory(school=school, role="teacher", user=f.UserFactory(email="co@example.test")).user


def test_a_photo_goes_up_in_chunks_survives_a_dropped_connection_and_the_form_waits(page, tmp_path):
    """Tasks run in-process here (the embedded default): the last chunk comes back with the result."""
    school = f.SchoolFactory()
    teacher = a_teacher(school)
    photo = noisy_png(tmp_path / "tranh-ve.png")
    sign_in_with_a_form(page, school)

    patches = []

    def drop_the_first_chunk(route):
        if route.request.method == "PATCH":
            patches.append(route.request.headers.get("upload-offset"))
            if len(patches) == 1:
                route.abort("connectionreset")
                return
        route.continue_()

    page.route(re.compile(r".*/media/uploads/[0-9a-f-]+/$"), drop_the_first_chunk)

    page.get_by_label("Ảnh").set_input_files(str(photo))
    # Sent at once, while the upload is still going: the form waits for it.
    page.locator("#answer button[type=submit]").click()
    page.wait_for_url(re.compile(r"/healthz\?.*photo=[0-9a-f-]{36}"), timeout=30_000)

    media = MediaFile.objects.get()
    assert media.uploaded_by == teacher
    assert f"photo={media.pk}" in page.url
    assert media.received == media.size == photo.stat().st_size
    assert media.state == State.READY, media.failure_reason
    assert patches[0] == patches[1] == "0", patches  # the dropped chunk was sent again from the server's offset
    assert len(patches) >= 3, "the file went up in several chunks"


def test_a_photo_chosen_before_the_script_has_loaded_still_goes_up(page, tmp_path):
    """On a slow phone the page shows its fields before its deferred script runs: a photo chosen
    then must not be lost (the form would go without it)."""
    school = f.SchoolFactory()
    teacher = a_teacher(school)
    photo = noisy_png(tmp_path / "chon-som.png", side=200)
    sign_in_with_a_form(page, school, script=False)

    page.get_by_label("Ảnh").set_input_files(str(photo))
    assert page.locator("input[name=photo]").input_value() == ""
    load_the_script(page)

    hidden = page.locator("input[name=photo]")
    page.wait_for_function(
        "() => /^[0-9a-f-]{36}$/.test(document.querySelector('input[name=photo]').value)", timeout=30_000
    )
    media = MediaFile.objects.get()
    assert hidden.input_value() == str(media.pk)
    assert media.uploaded_by == teacher
    assert media.received == media.size == photo.stat().st_size


@pytest.fixture
def worker_queue(monkeypatch):
    """Finished uploads wait here for "the worker" (the test), as they would in the broker."""
    from mediafiles import services

    queued: list[str] = []
    monkeypatch.setattr(services, "_queue_processing", lambda media_id: queued.append(str(media_id)))
    return queued


def run_the_worker(queued: list[str]) -> None:
    from mediafiles import tasks

    for media_id in queued:
        tasks.media_process.apply(args=[media_id])


def test_a_refusal_by_the_worker_is_shown_without_a_page_load_and_the_form_stays(page, tmp_path, worker_queue):
    from django.utils import translation

    school = f.SchoolFactory()
    a_teacher(school)
    fake = tmp_path / "tranh-ve.png"
    fake.write_text("Not a picture, only words. " * 400)
    sign_in_with_a_form(page, school)
    widget = page.locator("[data-media-upload]")

    page.get_by_label("Ảnh").set_input_files(str(fake))
    page.wait_for_function("document.querySelector('[data-media-upload]').dataset.mediaState === 'checking'")
    address = page.url
    page.locator("#answer button[type=submit]").click()  # held back while the file is checked
    assert len(worker_queue) == 1
    run_the_worker(worker_queue)

    page.wait_for_function("document.querySelector('[data-media-upload]').dataset.mediaState === 'failed'")
    media = MediaFile.objects.get()
    assert media.state == State.FAILED
    with translation.override("vi"):
        expected = translation.gettext(
            "This file is not a photo that we can show. Choose a JPEG, PNG, WebP or GIF photo."
        )
    status = widget.locator("[data-media-status]")
    assert expected in status.inner_text() and "error" in status.get_attribute("class")
    assert page.url == address, "the form was not sent"
    assert page.locator("input[name=photo]").input_value() == ""


def test_a_form_sent_while_the_file_is_checked_goes_once_it_passed(page, tmp_path, worker_queue):
    school = f.SchoolFactory()
    a_teacher(school)
    photo = noisy_png(tmp_path / "tranh-ve.png", side=200)
    sign_in_with_a_form(page, school)

    page.get_by_label("Ảnh").set_input_files(str(photo))
    page.wait_for_function("document.querySelector('[data-media-upload]').dataset.mediaState === 'checking'")
    page.locator("#answer button[type=submit]").click()
    page.wait_for_timeout(1500)  # a few rounds of asking the status: still held
    assert "/healthz" not in page.url
    run_the_worker(worker_queue)

    page.wait_for_url(re.compile(r"/healthz\?.*photo=[0-9a-f-]{36}"), timeout=30_000)
    assert MediaFile.objects.get().state == State.READY
