"""The demo's privacy data (step "privacy", after the families): a request of parent@saomai.test
acknowledged and in progress, a copy of that family's data ready to download, a closed breach record.
formerparent@saomai.test's child left in May: the privacy page shows the day the child's data is erased."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from parents.models import Guardianship
from privacy.models import Breach, BreachEvent, Export, PrivacyRequest, RequestKind
from schools.models import School, StaffMembership


def seed_demo_step(ctx) -> None:
    school = School.objects.filter(slug="sao-mai").first()
    parent = get_user_model().objects.filter(email="parent@saomai.test").first()
    if school is None or parent is None:
        return
    principal = StaffMembership.objects.filter(school=school, user__email="principal@saomai.test").first()
    principal = principal.user if principal else None
    _request(ctx, school=school, parent=parent, principal=principal)
    _export(ctx, parent=parent)
    _breach(ctx, school=school, principal=principal)


def _request(ctx, *, school, parent, principal) -> None:
    from privacy import services

    if PrivacyRequest.objects.filter(requester=parent).exists():
        return
    guardianship = Guardianship.objects.filter(guardian=parent, child__school=school).select_related("child").first()
    request = services.request_make(
        user=parent,
        kind=RequestKind.CORRECTION,
        child=guardianship.child if guardianship else None,
        details="Ngày sinh của cháu trên cổng bị sai: đúng là 12/04/2021.",
    )
    if principal is not None:
        services.request_acknowledge(request=request, by=principal)
        services.request_note(request=request, by=principal, note="Đã đối chiếu giấy khai sinh; sẽ sửa trong tuần.")
    ctx.log("privacy: a request of parent@saomai.test, acknowledged and in progress")


def _export(ctx, *, parent) -> None:
    from privacy.exporting import export_build

    if Export.objects.filter(user=parent, status=Export.Status.READY).exists():
        return
    export = Export.objects.create(user=parent)
    export_build(export_id=export.pk)
    ctx.log("privacy: a copy of parent@saomai.test's family data, ready to download")


def _breach(ctx, *, school, principal) -> None:
    title = "Danh sách lớp Lá 1 gửi nhầm vào nhóm Zalo phụ huynh lớp khác"
    if Breach.objects.filter(school=school, title=title).exists():
        return
    found = timezone.now() - datetime.timedelta(days=40)
    breach = Breach.objects.create(
        school=school,
        title=title,
        description="Giáo viên gửi nhầm ảnh chụp danh sách lớp (họ tên, ngày sinh) vào nhóm Zalo của lớp Chồi 1.",
        found_at=found,
        occurred_at=found - datetime.timedelta(hours=3),
        data_affected="Họ tên và ngày sinh của trẻ lớp Lá 1",
        people_affected=28,
        consequences="Thấp: tin nhắn đã được thu hồi sau 20 phút.",
        measures="Thu hồi tin nhắn, đề nghị phụ huynh xoá ảnh đã tải, nhắc lại quy định gửi tài liệu.",
        status=Breach.Status.CLOSED,
        reported_by=principal,
        authority_notified_at=found + datetime.timedelta(hours=30),
        families_told_at=found + datetime.timedelta(hours=26),
        closed_at=found + datetime.timedelta(days=5),
        closing_note="Đã xử lý xong; không có thiệt hại.",
    )
    for hours, action in ((0, "recorded"), (26, "families_told"), (30, "authority_notified"), (120, "closed")):
        BreachEvent.objects.create(
            school=school, breach=breach, by=principal, action=action, at=found + datetime.timedelta(hours=hours)
        )
    ctx.log("privacy: a closed breach record at Sao Mai")
