"""Who may use the notifications' Zalo admin and cost page (merged into tests/test_authorization_matrix.py).

The cost and reach page is for whoever reads the deliveries: each school's leaders see their own
school's figures (another school's principal sees theirs), superusers every school's. Zalo's account,
templates and reports are the superuser's alone: a principal gets a refusal, never a glimpse.
"""

from __future__ import annotations

from tests.conftest import World
from tests.matrix_kit import SUPERUSER_ONLY, SUPERUSER_READS, Entry, admin_answers


def _zalo_account(w: World):
    from notifications.models import ZaloAccount

    return ZaloAccount.objects.create(pk=1, access_token="matrix-access", refresh_token="matrix-refresh")


def _zalo_template(w: World):
    from notifications.models import ZaloTemplate

    template = ZaloTemplate.objects.create(category="announcement", template_id="301234", approved=True)
    template.params.create(name="school_name", source="school", max_length=60)
    return template


def _zalo_event(w: World):
    from notifications.models import ZaloEvent

    return ZaloEvent.objects.create(event_name="user_received_message", signature_valid=True, outcome="delivered")


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
ADMIN_MODELS: dict = {
    # One row, made by the portal or by pasting a first refresh token: the list leads to it.
    "notifications/zaloaccount": (
        {
            **SUPERUSER_READS,
            "changelist": admin_answers(403, 403, superuser="redirect"),
        },
        _zalo_account,
    ),
    "notifications/zalotemplate": (SUPERUSER_ONLY, _zalo_template),
    "notifications/zaloevent": (SUPERUSER_READS, _zalo_event),
}
