"""static/js/upload.js in a real browser: chunks, a dropped connection resumed, a form held back until done."""

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


def test_a_photo_goes_up_in_chunks_survives_a_dropped_connection_and_the_form_waits(page, tmp_path):
    school = f.SchoolFactory()
    teacher = f.StaffFactory(school=school, role="teacher", user=f.UserFactory(email="co@example.test")).user
    photo = noisy_png(tmp_path / "tranh-ve.png")

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
            const script = document.createElement("script");
            script.src = "/static/js/upload.js";
            document.head.append(script);
        }""",
        widget,
    )
    page.wait_for_function("window.mediaUploadReady === true")

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
