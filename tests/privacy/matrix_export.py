"""The family's copy of its data: URLs (merged into tests/test_authorization_matrix.py).

Anyone signed in may ask for a copy of their own data and see their own copies. A copy's download link
answers only its own person (the parent here); anyone else gets a 404, never a hint that it exists.
"""

from __future__ import annotations

from tests.conftest import World
from tests.matrix_kit import SIGNED_IN_200, Entry, expect


def _parents_copy(w: World):
    import datetime

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from privacy.models import Export

    export = Export.objects.create(
        user=w.parent,
        status=Export.Status.READY,
        finished_at=timezone.now(),
        expires_at=timezone.now() + datetime.timedelta(days=7),
    )
    export.file.save("copy.zip", ContentFile(b"PK\x05\x06" + b"\0" * 18), save=True)
    return export


def _exports(w: World):
    from privacy.models import Export

    return sorted(Export.objects.values_list("user_id", flat=True))


MATRIX: dict[str, Entry | list[Entry]] = {
    "privacy/exports/": [
        Entry("/privacy/exports/", SIGNED_IN_200),
        Entry("/privacy/exports/", expect(others="redirect"), method="post", data=lambda w: {}, effect=_exports),
    ],
    "privacy/exports/<str:token>/download/": Entry(
        lambda w: f"/privacy/exports/{w.made.token}/download/", expect(parent=200), setup=_parents_copy
    ),
}
