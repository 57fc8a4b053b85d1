"""Every picture a family's phone may load waits until it is scrolled to (loading="lazy") and keeps its
place on the page while it loads (width and height), so that a slow connection spends itself on what is
on the screen and the page does not jump under the reader's thumb.

The templates are read as written (every <img> of the portal's own templates; the Django admin's are
Django's), and the shared photo include is rendered for a photo whose size is not known. The browser's
accessibility scan checks the same on every page it opens (tests/browser/test_accessibility.py).
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string

from mediafiles.models import Kind, MediaFile, State

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Pages no family opens: the admin's own templates.
NOT_FAMILY_FACING = ("admin",)
# An above-the-fold logo may load at once; the portal has none today ("path": reason).
EAGER: dict[str, str] = {}

IMG = re.compile(r"<img\b(?:[^>{]|\{[^}]*\})*>", re.S)
WIDTH = re.compile(r'\swidth="')
HEIGHT = re.compile(r'\sheight="')
LAZY = re.compile(r'\sloading="lazy"')
COMMENT = re.compile(r"\{% comment %\}.*?\{% endcomment %\}|\{#.*?#\}", re.S)


def family_facing_templates() -> list[Path]:
    return sorted(
        path for path in TEMPLATES.rglob("*.html") if path.relative_to(TEMPLATES).parts[0] not in NOT_FAMILY_FACING
    )


def image_problems(text: str, *, eager: bool = False) -> list[str]:
    problems = []
    for tag in IMG.findall(text):
        missing = [
            name
            for name, pattern in (("loading=lazy", LAZY), ("width", WIDTH), ("height", HEIGHT))
            if not pattern.search(tag) and not (eager and name == "loading=lazy")
        ]
        if missing:
            problems.append(f"{' '.join(tag.split())[:120]} lacks {', '.join(missing)}")
    return problems


def test_every_img_in_the_templates_is_lazy_and_sized():
    problems = []
    checked = 0
    for path in family_facing_templates():
        name = str(path.relative_to(TEMPLATES))
        text = COMMENT.sub("", path.read_text(encoding="utf-8"))
        checked += len(IMG.findall(text))
        problems += [f"{name}: {p}" for p in image_problems(text, eager=name in EAGER)]
    assert checked >= 10  # the check reads the tags it means to read
    assert not problems, "\n".join(problems)


def test_the_check_names_an_img_without_lazy_loading_or_size():
    text = (
        '<img src="a.jpg" alt="" width="160" height="160">'
        '<img loading="lazy" src="{% url \'x\' %}" alt="{% translate "Ảnh" %}" width="120">'
        '<img loading="lazy" src="b.jpg" alt="" width="1" height="1">'
    )
    assert image_problems(text) == [
        '<img src="a.jpg" alt="" width="160" height="160"> lacks loading=lazy',
        '<img loading="lazy" src="{% url \'x\' %}" alt="{% translate "Ảnh" %}" width="120"> lacks height',
    ]


@pytest.mark.parametrize("size", ["thumb", "preview"])
def test_a_photo_of_unknown_size_still_keeps_its_place(size):
    """A photo whose size was never read (width and height empty) gets a phone photo's 4:3 box."""
    photo = MediaFile(
        id=uuid.uuid4(),
        kind=Kind.IMAGE,
        state=State.READY,
        original="media/a.jpg",
        thumbnail="media/a-thumb.jpg",
        preview="media/a-preview.jpg",
    )
    html = render_to_string("mediafiles/picture.html", {"media": photo, "alt": "Bé vẽ", "size": size})
    assert len(IMG.findall(html)) == 1
    assert not image_problems(html), html
    box = ('width="800" height="600"') if size == "preview" else ('width="360" height="270"')
    assert box in html


def test_a_photo_of_known_size_is_drawn_in_its_own_shape():
    photo = MediaFile(
        id=uuid.uuid4(), kind=Kind.IMAGE, state=State.READY, original="a.jpg", thumbnail="t.jpg", width=900, height=1200
    )
    html = render_to_string("mediafiles/picture.html", {"media": photo, "alt": "Bé vẽ"})
    assert 'width="270" height="360"' in html and 'loading="lazy"' in html
