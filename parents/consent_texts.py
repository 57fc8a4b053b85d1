"""The texts a guardian agrees to. Changing a text means a new version."""

from django.utils.translation import gettext_lazy as _

from parents.models import ConsentPurpose

CONSENT_TEXTS = {
    ConsentPurpose.PORTFOLIO_PHOTOS: (
        "2026-01",
        _(
            "I agree that the school takes photos and short videos of my child's work and "
            "activities and keeps them in my child's private portfolio, which only my family "
            "and the school's staff can see. I can withdraw this consent at any time; the "
            "photos and videos are then hidden at once and deleted within 30 days."
        ),
    ),
    ConsentPurpose.SHARED_PHOTOS: (
        "2026-01",
        _(
            "I agree that photos in which my child can be recognised are shown to the other "
            "families of the class in shared galleries, and that my child's name may appear on "
            "the school's honour roll. I can withdraw this consent at any time; the photos and "
            "the name are then hidden at once and deleted within 30 days."
        ),
    ),
    ConsentPurpose.HEALTH_RECORDS: (
        "2026-01",
        _(
            "I agree that the school's nurse and the local health station record my child's "
            "height, weight and check-ups in the portal so that we can follow my child's growth "
            "together. Only my family, the class teachers and the nurse can see them, and every "
            "reading by staff is logged. I can withdraw this consent at any time."
        ),
    ),
    ConsentPurpose.HEALTH_SHARING: (
        "2026-12",
        _(
            "The school records my child's height, weight, check-ups and allergies under its duty of care, "
            "and only my family, the class teachers, the nurse and the school's leaders can see them. I agree "
            "that the school also gives the commune or ward health station my child's measurements and "
            "check-ups with my child's name, so that the station can follow my child. Without this consent, "
            "the station receives them under my child's code only. I can withdraw this consent at any time; "
            "lists made afterwards no longer carry the name."
        ),
    ),
    ConsentPurpose.VOICE_RECORDINGS: (
        "2026-12",
        _(
            "I agree that the teachers record my child's voice telling about their work or "
            "answering an activity, and keep the recordings in my child's private portfolio, which "
            "only my family, the family members I invite and the school's staff can hear. I can "
            "withdraw this consent at any time; the recordings are then hidden at once and deleted "
            "within 30 days."
        ),
    ),
    ConsentPurpose.DONOR_LETTER_DRAWINGS: (
        "2026-12",
        _(
            "I agree that a teacher may choose a photo of a drawing my child made and print it in a "
            "thank-you letter that the school sends to a donor. The letter does not name my child, and "
            "only the donor and the school's managers can open it. I can withdraw this consent at any "
            "time; letters made afterwards no longer show the drawing."
        ),
    ),
}
