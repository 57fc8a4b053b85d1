"""Texts that several parts of the app show: the flags of a measurement."""

from django.utils.translation import gettext_lazy as _

FLAG_TEXTS = {
    "wfa": _("Weight-for-age is outside WHO's plausible range (below −6 or above +5)."),
    "hfa": _("Length/height-for-age is outside WHO's plausible range (below −6 or above +6)."),
    "wfh": _("Weight-for-length/height is outside WHO's plausible range (below −5 or above +5)."),
    "bmi": _("BMI-for-age is outside WHO's plausible range (below −5 or above +5)."),
    "weight_change": _("The weight changed by %(change)s kg since %(date)s: more than the school's %(limit)s kg."),
    "height_change": _("The height grew by %(change)s cm since %(date)s: more than the school's %(limit)s cm."),
    "height_loss": _("The height is %(change)s cm less than on %(date)s: a child does not get shorter."),
}
