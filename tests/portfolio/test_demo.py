"""The portfolio's demo step: every Sao Mai child has a few works with generated photos (where the
family agreed) and ready QR codes; Khôi has a voice note and a replaced label; his grandmother follows
him; the label sheet and the album come after. Run twice, it adds nothing."""

from __future__ import annotations

import io
import wave

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from coordination.lib import demo as demo_steps
from mediafiles.models import MediaFile
from portfolio import demo, policies
from portfolio.models import Album, LabelSheet, PrintoutState, RevokedToken, Work, WorkPhoto
from schools.models import Child

pytestmark = pytest.mark.django_db


def counts():
    return (
        Work.objects.count(),
        WorkPhoto.objects.count(),
        RevokedToken.objects.count(),
        MediaFile.objects.count(),
        LabelSheet.objects.count(),
        Album.objects.count(),
    )


def test_the_step_runs_before_the_printed_outputs():
    order = [step.name for step in demo_steps.steps_in_order()]
    assert order.index("families") < order.index(demo.STEP) < order.index("portfolio-printing")


def test_pictures_differ_from_work_to_work(tmp_path):
    import random

    rng = random.Random(1)
    made = set()
    for n, subject in enumerate(["family", "animal", "bridge", "family"]):
        path = demo._picture(tmp_path / f"{n}.jpg", subject=subject, rng=rng)
        with Image.open(path) as image:
            assert image.size == demo.SIZE
            made.add(image.tobytes())
    assert len(made) == 4
    sound = demo._voice(tmp_path / "voice.wav")
    with wave.open(str(sound)) as recording:
        assert recording.getnframes() / recording.getframerate() > 2


def check_the_demo_works(client, settings):
    """Called by tests/test_demo.py on the demo seeded once for every app's checks."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert all(counts()[:4])

    children = Child.objects.filter(school__slug="sao-mai", left_on__isnull=True, classroom__isnull=False)
    per_child = {c.pk: c.works.count() for c in children.prefetch_related("works")}
    assert set(per_child.values()) <= {2, 3} and len(per_child) > 100
    works = Work.objects.filter(school__slug="sao-mai")
    assert all(work.qr_ready for work in works)
    with default_storage.open(works.first().qr_png.name) as png:
        assert Image.open(io.BytesIO(png.read())).format == "PNG"
    # Photos only for the children whose guardians agreed to portfolio photos.
    with_photos = set(WorkPhoto.objects.values_list("work__child_id", flat=True))
    assert with_photos and with_photos <= policies.consented_child_ids(list(per_child), policies.PHOTOS)
    assert works.filter(photos__isnull=True).exists()
    assert not MediaFile.objects.filter(work_photo__isnull=False).exclude(state="ready").exists()
    sha = list(WorkPhoto.objects.values_list("media__sha256", flat=True))
    assert len(set(sha)) == len(sha)

    khoi = Child.objects.get(school__slug="sao-mai", full_name="Nguyễn Minh Khôi")
    assert per_child[khoi.pk] == 3
    voiced = Work.objects.get(child=khoi, voice__isnull=False)
    assert voiced.voice.kind == "audio" and voiced.voice.state == "ready"
    assert khoi.pk in policies.consented_child_ids([khoi.pk], policies.VOICE)
    revoked = RevokedToken.objects.get()
    assert revoked.work.child == khoi and revoked.token != revoked.work.token

    # The label sheet for Lá 1 and the album for Khôi's mother, from these works.
    assert LabelSheet.objects.get().state == PrintoutState.READY
    assert Album.objects.get(child=khoi, requested_by__email="parent@saomai.test").state == PrintoutState.READY

    # His grandmother sees his works, read-only, in his portfolio.
    assert client.login(username="grandma@saomai.test", password=demo_steps.DEMO_PASSWORD)
    from accounts.models import User

    grandma = User.objects.get(email="grandma@saomai.test")
    assert all(policies.can_view_work(grandma, work) for work in khoi.works.all())
    html = client.get(f"/children/{khoi.pk}/portfolio/").content.decode()
    assert f"/w/{voiced.token}" in html and voiced.title in html and "Voice note" in html
    other = Work.objects.exclude(child=khoi).first()
    assert not policies.can_view_work(grandma, other)
    # The QR address of the voiced work opens its page for her, with the child's voice.
    page = client.get(f"/w/{voiced.token}")
    assert page.status_code == 200 and voiced.title in page.content.decode() and "<audio" in page.content.decode()
    assert client.get(f"/w/{other.token}").status_code == 404
    # The replaced label opens nothing for her (she is not a guardian), as for any unknown code.
    assert client.get(f"/w/{revoked.token}").status_code == 404
