"""The demo's donations (its step of `seed_demo`: "donations").

Sao Mai gets its bank account, a sponsorship team with a parents' board member (board@saomai.test,
a father of a Chồi 1 child, head of the board) and three campaigns, one in each public state:
- last spring's playground, settled: gifts, spending with its invoice, a settlement report
  co-signed by the board;
- the kitchen's oven and tools, open: cash (some anonymous), goods, work, a pledge still to come,
  spending with evidence, and one record waiting for the principal's approval;
- costumes for the festival, published for comment, with a family's comment and the answer;
and a draft the principal is still writing. Everything goes through the services, as the
accountant and the principal would, so the ledger is a real chain.

Run again, it adds nothing: a campaign whose title the school already has is left alone.
"""

from __future__ import annotations

import datetime
import tempfile
from pathlib import Path

from django.utils import timezone
from PIL import Image, ImageDraw

from accounts.demo import demo_user
from coordination.lib import fragments
from donations import services
from donations.hooks_public import board_topic
from donations.models import (
    Campaign,
    Donor,
    DonorDisplay,
    DonorKind,
    SchoolAccount,
    SpendingEvidence,
    TeamMember,
    TeamRole,
)
from parents.models import BoardMember, BoardRole, Guardianship, Relationship
from schools.models import Child, School, SchoolYear, StaffMembership, StaffRole

BOARD_EMAIL = "board@saomai.test"
PLAYGROUND = "Sân chơi vận động ngoài trời"
KITCHEN = "Lò nướng và dụng cụ nhà bếp"
COSTUMES = "Trang phục biểu diễn cho Tết Trung thu"
LIBRARY = "Tủ sách cho các lớp Mầm"


def _ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def _staff(school, role):
    membership = StaffMembership.objects.filter(school=school, role=role, is_active=True).select_related("user").first()
    return membership.user if membership else None


def _board_member(ctx, school):
    """board@saomai.test: a father of a Chồi 1 child, head of the parents' board this year."""
    user = demo_user(ctx, BOARD_EMAIL, "Phạm Văn Long", phone="+84987000031")
    year = SchoolYear.objects.filter(school=school, is_current=True).first()
    child = (
        Child.objects.filter(school=school, classroom__name="Chồi 1", left_on__isnull=True)
        .exclude(full_name="Phạm Khánh Linh")
        .order_by("full_name")
        .first()
    )
    if child is not None and not Guardianship.objects.filter(child=child, guardian=user).exists():
        Guardianship.objects.create(
            school=school, child=child, guardian=user, relationship=Relationship.FATHER, is_primary=False
        )
    if year is not None:
        BoardMember.objects.get_or_create(
            school=school, school_year=year, guardian=user, defaults={"role": BoardRole.HEAD}
        )
    return user


def _evidence_picture(path: Path, lines: list[str]) -> Path:
    """An invoice-like picture drawn with Pillow."""
    image = Image.new("RGB", (480, 360), (250, 250, 245))
    draw = ImageDraw.Draw(image)
    draw.rectangle([10, 10, 470, 350], outline=(60, 60, 60), width=3)
    for n, line in enumerate(lines):
        draw.text((30, 30 + 36 * n), line, fill=(20, 20, 20))
    image.save(path, "JPEG", quality=80)
    return path


def _donor(school, name, *, kind=DonorKind.PERSON, display=DonorDisplay.ANONYMOUS, user=None, **fields):
    donor = Donor.objects.filter(school=school, name=name).first()
    if donor is None:
        donor = Donor.objects.create(school=school, kind=kind, name=name, display=display, user=user, **fields)
    return donor


def _open(campaign, principal, *, days_ago: int):
    campaign = services.campaign_publish(campaign=campaign, by=principal, confirmed=set(services.CHECKLIST))
    campaign = services.campaign_open(
        campaign=campaign, by=principal, today=campaign.comment_until + datetime.timedelta(days=1)
    )
    # The demo pretends the plan was published long enough ago for its comment period to have run.
    opened = _ago(days_ago)
    Campaign.objects.filter(pk=campaign.pk).update(collect_from=opened)
    fragments.topic_changed(board_topic(campaign.school_id))  # update() sends no signal
    return campaign


def _spend(campaign, *, accountant, principal, use, description, amount, days_ago, scratch, approve=True):
    spending = services.spending_record(
        campaign=campaign,
        by=accountant,
        use=use,
        description=description,
        amount=amount,
        spent_on=_ago(days_ago),
    )
    from mediafiles import services as media_services

    path = _evidence_picture(
        scratch / f"hoa-don-{spending.pk}.jpg", ["HOA DON BAN HANG", description[:40], f"{amount:,} VND"]
    )
    media = media_services.media_ingest(school=campaign.school, by=accountant, kind="image", path=path)
    SpendingEvidence.objects.create(spending=spending, media=media, caption="Hóa đơn")
    if approve:
        services.spending_approve(spending=spending, by=principal)
    return spending


def seed_donations(ctx) -> None:
    school = School.objects.filter(slug="sao-mai").first()
    if school is None:
        return
    principal, accountant = _staff(school, StaffRole.PRINCIPAL), _staff(school, StaffRole.ACCOUNTANT)
    if principal is None or accountant is None:
        return
    SchoolAccount.objects.get_or_create(
        school=school,
        defaults={
            "bank_name": "VietinBank",
            "bank_bin": "970415",
            "account_number": "113000268686",
            "account_name": "TRUONG MAM NON SAO MAI",
        },
    )
    board = _board_member(ctx, school)
    TeamMember.objects.get_or_create(
        school=school, user=principal, defaults={"role": TeamRole.LEAD, "appointed_by": principal}
    )
    TeamMember.objects.get_or_create(school=school, user=accountant, defaults={"appointed_by": principal})
    TeamMember.objects.get_or_create(school=school, user=board, defaults={"appointed_by": principal})
    known = set(Campaign.objects.filter(school=school).values_list("title", flat=True))

    from accounts.models import User

    parent = User.objects.filter(email="parent@saomai.test").first()
    parent2 = User.objects.filter(email="parent2@saomai.test").first()
    bakery = _donor(
        school,
        "Công ty TNHH Bánh Mì Vàng",
        kind=DonorKind.BUSINESS,
        display=DonorDisplay.NAME,
        email="lienhe@banhmivang.test",
        phone="+84225000111",
        address="Thủy Nguyên, Hải Phòng",
        tax_code="0201234567",
    )
    kind_lady = _donor(school, "Bà Nguyễn Thị Nhân", email="nhan@example.test", phone="+84912000333")
    club = _donor(
        school,
        "Hội Phụ nữ phường Thủy Nguyên",
        kind=DonorKind.ORGANISATION,
        display=DonorDisplay.CHOSEN,
        display_name="Hội Phụ nữ phường",
    )

    with tempfile.TemporaryDirectory(prefix="demo-donations-") as tmp:
        scratch = Path(tmp)
        if PLAYGROUND not in known:
            campaign = services.campaign_create(
                school=school,
                by=principal,
                title=PLAYGROUND,
                purpose="Làm mới sân chơi vận động: thảm cao su và bộ leo trèo cho trẻ.",
                beneficiaries="Trẻ của tất cả các lớp.",
                use_plan="Mua và lắp thảm cao su an toàn, một bộ leo trèo liên hoàn.",
                uses=["facilities", "equipment"],
                target_amount=25_000_000,
                wishes=[("Bộ leo trèo liên hoàn", 1, True)],
            )
            campaign = _open(campaign, principal, days_ago=200)
            for who, amount, days in ((bakery, 10_000_000, 190), (kind_lady, 5_000_000, 185), (club, 3_000_000, 180)):
                services.contribution_record(
                    campaign=campaign,
                    donor=who,
                    by=accountant,
                    kind="cash",
                    amount=amount,
                    received_on=_ago(days),
                )
            services.contribution_record(
                campaign=campaign,
                donor=club,
                by=accountant,
                kind="work",
                hours="24",
                work_description="Lắp thảm cao su cùng nhà trường",
                received_on=_ago(170),
            )
            _spend(
                campaign,
                accountant=accountant,
                principal=principal,
                use="facilities",
                description="Thảm cao su 60 m²",
                amount=16_500_000,
                days_ago=172,
                scratch=scratch,
            )
            campaign = services.campaign_close(campaign=campaign, by=principal)
            settlement = services.settlement_prepare(
                campaign=campaign,
                by=principal,
                summary=(
                    "Sân chơi đã có thảm cao su mới. Số dư 1.500.000 đ chuyển sang quỹ mua đồ chơi ngoài trời, "
                    "đã báo cáo phụ huynh."
                ),
            )
            services.settlement_cosign(settlement=settlement, by=board)
            ctx.log("donations: a settled campaign (the playground)")

        if KITCHEN not in known:
            campaign = services.campaign_create(
                school=school,
                by=principal,
                title=KITCHEN,
                purpose="Bếp ăn bán trú cần một lò nướng và dụng cụ mới để nấu các món bánh cho trẻ.",
                beneficiaries="Toàn bộ trẻ ăn bán trú.",
                use_plan="Mua một lò nướng công nghiệp, bộ dao thớt inox và khay nướng; lắp đặt tại bếp.",
                uses=["equipment", "facilities"],
                target_amount=30_000_000,
                wishes=[("Lò nướng công nghiệp", 1, True), ("Bộ dao thớt inox", 5, True), ("Khay nướng", 20, True)],
            )
            campaign = _open(campaign, principal, days_ago=20)
            oven, knives, trays = list(campaign.wishes.order_by("position"))
            if parent is not None:
                family = services.donor_for_guardian(school=school, user=parent)
                Donor.objects.filter(pk=family.pk).update(display=DonorDisplay.NAME)
                services.contribution_record(
                    campaign=campaign,
                    donor=family,
                    by=accountant,
                    kind="cash",
                    amount=500_000,
                    received_on=_ago(15),
                )
            services.contribution_record(
                campaign=campaign,
                donor=kind_lady,
                by=accountant,
                kind="cash",
                amount=2_000_000,
                received_on=_ago(12),
            )
            services.contribution_record(
                campaign=campaign,
                donor=bakery,
                by=accountant,
                kind="in_kind",
                wish=trays,
                quantity=20,
                estimated_value=3_000_000,
                condition="Mới",
                received_on=_ago(10),
            )
            services.contribution_record(
                campaign=campaign,
                donor=_donor(school, "Anh Trần Văn Mộc"),
                by=accountant,
                kind="work",
                hours="6",
                work_description="Đóng kệ để khay nướng",
                received_on=_ago(8),
            )
            if parent2 is not None:
                services.contribution_pledge(
                    campaign=campaign,
                    donor=services.donor_for_guardian(school=school, user=parent2),
                    by=parent2,
                    kind="in_kind",
                    wish=knives,
                    quantity=2,
                    condition="Mới",
                )
            _spend(
                campaign,
                accountant=accountant,
                principal=principal,
                use="equipment",
                description="Bộ dao thớt inox (3 bộ)",
                amount=1_800_000,
                days_ago=5,
                scratch=scratch,
            )
            _spend(
                campaign,
                accountant=accountant,
                principal=principal,
                use="facilities",
                description="Ổ cắm điện riêng cho lò nướng",
                amount=450_000,
                days_ago=2,
                scratch=scratch,
                approve=False,
            )
            ctx.log("donations: an open campaign (the kitchen's oven), with gifts and spending")

        if COSTUMES not in known:
            campaign = services.campaign_create(
                school=school,
                by=principal,
                title=COSTUMES,
                purpose="Các lớp cần trang phục để biểu diễn trong đêm hội Trăng rằm.",
                beneficiaries="Trẻ các lớp Chồi và Lá.",
                use_plan="Mua 20 bộ trang phục và đạo cụ; sau lễ hội đưa vào thư viện đồ chơi để các gia đình mượn.",
                uses=["activities", "equipment"],
                wishes=[("Bộ trang phục biểu diễn", 20, False)],
            )
            campaign = services.campaign_publish(campaign=campaign, by=principal, confirmed=set(services.CHECKLIST))
            if parent is not None:
                comment = services.comment_add(
                    campaign=campaign,
                    by=parent,
                    body="Gia đình có thể tặng vải may trang phục thay vì tiền được không ạ?",
                )
                services.comment_answer(
                    comment=comment,
                    by=principal,
                    answer="Được ạ. Nhà trường nhận vải và sẽ ghi vào danh sách hiện vật khi mở vận động.",
                )
            ctx.log("donations: a plan published for comment (costumes)")

        if LIBRARY not in known:
            services.campaign_create(
                school=school,
                by=principal,
                title=LIBRARY,
                purpose="Mỗi lớp Mầm có một tủ sách tranh.",
                beneficiaries="Trẻ các lớp Mầm.",
                use_plan="Mua tủ gỗ thấp và sách tranh.",
                uses=["equipment"],
            )
