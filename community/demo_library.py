"""The library part of the demo step "community": Sao Mai's lending library, with items on loan, one
overdue, and a costume with a waiting list. Idempotent: items and copies by name and label, a loan or a
reservation only where its copy or family has none yet."""

from __future__ import annotations

import datetime

from django.utils import timezone

# (name, category, ages, loan days, donor's credit, labels of the copies)
ITEMS = [
    ("Trang phục chú Cuội", "costume", (3, 6), 7, "", ["TP-CUOI-1"]),
    ("Trang phục chị Hằng", "costume", (3, 6), 7, "Gia đình bé Minh Khôi tặng", ["TP-HANG-1", "TP-HANG-2"]),
    ("Đèn ông sao", "prop", (2, 6), 7, "", ["DEN-1", "DEN-2", "DEN-3"]),
    ("Trống cơm biểu diễn", "prop", (4, 6), 7, "", ["TRONG-1"]),
    ("Bộ đồ chơi nấu ăn", "toy", (2, 5), 14, "", ["NAU-1", "NAU-2"]),
    ("Dế Mèn phiêu lưu ký (truyện tranh)", "book", (4, 6), 14, "", ["SACH-DM-1", "SACH-DM-2"]),
    ("Bộ lắp ghép STEAM", "kit", (4, 6), 14, "Công ty TNHH Đồ chơi Tuổi Thơ tặng", ["STEAM-1"]),
]


def seed(ctx) -> None:
    from community.models import LibraryCopy, LibraryItem, LibraryLoan, LibraryReservation
    from parents.models import Guardianship
    from schools.models import Child, School, StaffMembership, school_today

    school = School.objects.filter(slug="sao-mai").first()
    if school is None:
        return
    copies = {}
    for name, category, (age_from, age_to), days, credit, codes in ITEMS:
        item, _ = LibraryItem.objects.get_or_create(
            school=school,
            name=name,
            defaults={
                "category": category,
                "age_from": age_from,
                "age_to": age_to,
                "loan_days": days,
                "donor_credit": credit,
            },
        )
        for code in codes:
            copies[code], _ = LibraryCopy.objects.get_or_create(school=school, code=code, defaults={"item": item})

    def child(name):
        return Child.objects.filter(school=school, full_name=name, left_on__isnull=True).first()

    def guardian(kid):
        g = Guardianship.objects.active().filter(child=kid).order_by("-is_primary", "pk").first()
        return g.guardian if g else None

    desk = StaffMembership.objects.filter(school=school, user__email="teacher@saomai.test").first()
    khoi, an, linh = child("Nguyễn Minh Khôi"), child("Nguyễn Ngọc An"), child("Phạm Khánh Linh")
    if desk is None or not all((khoi, an, linh)):
        return
    today = school_today()
    now = timezone.now()
    loans = [
        # (label, child, lent days ago, due in days): the Cuội costume is out, with a waiting list;
        # the cooking set is overdue; a lantern is due back tomorrow.
        ("TP-CUOI-1", linh, 3, 4),
        ("NAU-1", khoi, 17, -3),
        ("DEN-1", an, 6, 1),
        ("SACH-DM-1", linh, 2, 12),
    ]
    for code, kid, ago, due_in in loans:
        copy = copies[code]
        if LibraryLoan.objects.filter(copy=copy).exists():
            continue
        LibraryLoan.objects.create(
            school=school,
            copy=copy,
            child=kid,
            borrower=guardian(kid),
            out_at=now - datetime.timedelta(days=ago),
            out_by=desk.user,
            due_on=today + datetime.timedelta(days=due_in),
            condition_out=copy.condition,
        )
    cuoi = copies["TP-CUOI-1"].item
    for kid, hours_ago in ((khoi, 30), (an, 5)):
        if not LibraryReservation.objects.filter(item=cuoi, child=kid).exists():
            LibraryReservation.objects.create(
                school=school,
                item=cuoi,
                child=kid,
                guardian=guardian(kid),
                created_at=now - datetime.timedelta(hours=hours_ago),
            )
