"""The breach register: URLs and its admin model (merged into tests/test_authorization_matrix.py).

The object: a breach at Sao Mai naming the parent's child. Sao Mai's leaders and the superuser manage it;
Hoa Sen's principal has the register (of their own school: empty) and finds nothing of Sao Mai's. Everyone
else is answered 404.
"""

from __future__ import annotations

from tests.conftest import World
from tests.matrix_kit import READ_ONLY, Entry, expect

MANAGERS = expect(leaders=200, superuser=200)
MANAGERS_ACT = expect(leaders="redirect", superuser="redirect")


def _breach(w: World):
    import datetime

    from django.utils import timezone

    from privacy.models import Breach

    breach = Breach.objects.create(
        school=w.school,
        title="Gửi nhầm ảnh của lớp Lá 1",
        found_at=timezone.now() - datetime.timedelta(hours=3),
        data_affected="Ảnh của trẻ",
        people_affected=2,
        reported_by=w.principal,
    )
    breach.children.set([w.child])
    return breach


def _breaches(w: World):
    from privacy.models import Breach

    return sorted(Breach.objects.values_list("pk", "title"))


def _steps(w: World):
    from privacy.models import Breach

    return sorted(Breach.objects.values_list("pk", "status", "authority_notified_at", "families_told_at"))


def _new_breach(w: World) -> dict:
    from django.utils import timezone

    return {
        "school": w.school.pk,
        "title": "Mất sổ liên lạc",
        "found_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "data_affected": "Số điện thoại phụ huynh",
        "people_affected": 1,
        "children": [w.child.pk],
    }


def _url(suffix: str = ""):
    return lambda w: f"/privacy/breaches/{w.made.pk}/{suffix}"


MATRIX: dict[str, Entry | list[Entry]] = {
    "privacy/breaches/": Entry("/privacy/breaches/", expect(leaders=200, other_principal=200, superuser=200)),
    "privacy/breaches/new/": [
        Entry("/privacy/breaches/new/", expect(leaders=200, other_principal=200, superuser=200)),
        # Hoa Sen's principal is offered Hoa Sen only: Sao Mai's breach is refused, and nothing is saved.
        Entry(
            "/privacy/breaches/new/",
            expect(leaders="redirect", superuser="redirect", other_principal=200),
            method="post",
            data=_new_breach,
            effect=_breaches,
            changes_for=frozenset({"principal", "vice_principal", "superuser"}),
        ),
    ],
    "privacy/breaches/<int:breach_id>/": Entry(_url(), MANAGERS, setup=_breach, shows="Gửi nhầm ảnh của lớp Lá 1"),
    "privacy/breaches/<int:breach_id>/draft/": Entry(_url("draft/"), MANAGERS, setup=_breach, shows="Ảnh của trẻ"),
    "privacy/breaches/<int:breach_id>/notified/": Entry(
        _url("notified/"), MANAGERS_ACT, method="post", setup=_breach, data=lambda w: {}, effect=_steps
    ),
    "privacy/breaches/<int:breach_id>/tell/": Entry(
        _url("tell/"),
        MANAGERS_ACT,
        method="post",
        setup=_breach,
        data=lambda w: {"tell-message": "Nhà trường xin thông báo."},
        effect=_steps,
    ),
    "privacy/breaches/<int:breach_id>/close/": Entry(
        _url("close/"),
        MANAGERS_ACT,
        method="post",
        setup=_breach,
        data=lambda w: {"close-note": "Đã xử lý."},
        effect=_steps,
    ),
}

ADMIN_MODELS: dict = {
    "privacy/breach": (READ_ONLY, _breach),
}
