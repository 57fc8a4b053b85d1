"""Who may use the notifications' cost page in the admin (merged into tests/test_authorization_matrix.py).

The cost and reach page is for whoever reads the deliveries: each school's leaders see their own
school's figures (another school's principal sees theirs), superusers every school's.
"""

from __future__ import annotations

from tests.conftest import World
from tests.matrix_kit import Entry, admin_answers


def _reach_school_figures(w: World):
    from notifications.models import Delivery, Notice

    notice = Notice.objects.create(
        recipient=w.parent, school=w.school, category="announcement", title="Họp phụ huynh", dedupe_key="reach"
    )
    Delivery.objects.create(notice=notice, channel="zalo", state="sent")


MATRIX: dict[str, Entry | list[Entry]] = {
    # Figures per month of the schools the person leads (the select lists only those).
    "admin/notifications/delivery/reach/": [
        Entry(
            "/admin/notifications/delivery/reach/",
            admin_answers(200, 200),
            setup=_reach_school_figures,
            shows={"principal": "Sao Mai", "vice_principal": "Sao Mai", "other_principal": "Hoa Sen"},
        ),
        # Another school named in the address changes nothing for a leader who does not lead it.
        Entry(
            lambda w: f"/admin/notifications/delivery/reach/?school={w.school.pk}",
            admin_answers(200, 200),
            shows={"other_principal": "Hoa Sen"},
        ),
    ],
}
ADMIN_MODELS: dict = {}
