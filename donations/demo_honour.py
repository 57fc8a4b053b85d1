"""The demo's honour roll and letters: from the contributions the demo received at Sao Mai, the roll of
the latest month with gifts, published, and thank-you letters for a few of them (one sent to a guardian's
account). Without received contributions the step makes nothing. Run again, it adds nothing."""

from __future__ import annotations

from coordination.lib import demo as demo_steps

STEP = "donations-honour"


def register() -> None:
    # After the steps that record the demo's contributions, whichever part registers them.
    before = tuple(name for name in demo_steps._steps if name.startswith("donations") and name != STEP)
    demo_steps.register(STEP, seed_honour, after=("families", *before))


def seed_honour(ctx) -> None:
    from accounts.models import User
    from donations import honour, letters
    from donations.models import Contribution, ContributionState, Letter, RollPeriod
    from schools.models import School

    school = School.objects.filter(slug="sao-mai").first()
    principal = User.objects.filter(email="principal@saomai.test").first()
    if school is None or principal is None:
        ctx.log("donations-honour: no Sao Mai demo; no honour roll")
        return
    received = Contribution.objects.filter(school=school, state=ContributionState.RECEIVED, received_on__isnull=False)
    latest = received.order_by("-received_on").first()
    if latest is None:
        ctx.log("donations-honour: no contribution received yet; no honour roll")
        return
    month = latest.received_on.replace(day=1)
    roll = school.honour_rolls.filter(period=RollPeriod.MONTH, starts_on=month).first()
    if roll is None or roll.published_at is None:
        roll = honour.honour_roll_draft(school=school, period=RollPeriod.MONTH, starts_on=month, by=principal)
        roll.intro = "Nhà trường trân trọng cảm ơn các gia đình và nhà hảo tâm đã chung tay vì các bé."
        roll.save(update_fields=["intro"])
        honour.honour_roll_publish(roll=roll, by=principal)
    if Letter.objects.filter(school=school).exists():
        return
    first_gifts = {}
    for contribution in received.select_related("donor").order_by("received_on", "pk"):
        first_gifts.setdefault(contribution.donor_id, contribution)
    # A guardian's letter first, sent to their account; the others wait for a teacher's drawing.
    chosen = sorted(first_gifts.values(), key=lambda gift: gift.donor.user_id is None)[:3]
    for number, contribution in enumerate(chosen):
        letter = letters.letter_create(donor=contribution.donor, by=principal, contribution=contribution)
        if number == 0 and contribution.donor.user_id is not None:
            letters.letter_send(letter=letter, by=principal)
