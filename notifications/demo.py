"""The demo's Zalo: approved templates for announcements and pick-up notices, and who chose Zalo.

parent@saomai.test gets school announcements by Zalo. teacher@saomai.test chose
Zalo for pick-up notices, but the console backend answers "no Zalo account"
for her number (ZALO_CONSOLE_NO_ACCOUNT), so the demo's pick-up notices show
the fallback: the console prints the Zalo refusal, then the text message.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from notifications.models import Category, Preference, ZaloTemplate, ZaloTemplateParam

Source = ZaloTemplateParam.Source

# Template ids as Zalo gives them once it approved a template; parameters as written in them.
TEMPLATES = {
    Category.ANNOUNCEMENT: (
        "412001",
        [("loai_tin", Source.KIND, 30), ("tieu_de", Source.TITLE, 80), ("truong", Source.SCHOOL, 60)]
        + [("duong_dan", Source.LINK, 100)],
    ),
    Category.PICKUP: (
        "412002",
        [("loai_tin", Source.KIND, 30), ("ten_be", Source.CHILD, 30), ("duong_dan", Source.LINK, 100)],
    ),
}
CHOICES = {"parent@saomai.test": Category.ANNOUNCEMENT, "teacher@saomai.test": Category.PICKUP}


def seed_zalo(ctx) -> None:
    for category, (template_id, params) in TEMPLATES.items():
        template, created = ZaloTemplate.objects.get_or_create(
            category=category, defaults={"template_id": template_id, "approved": True}
        )
        if created:
            ZaloTemplateParam.objects.bulk_create(
                ZaloTemplateParam(template=template, name=name, source=source, max_length=length)
                for name, source, length in params
            )
    for email, category in CHOICES.items():
        user = get_user_model().objects.filter(email=email).first()
        if user is None:
            continue
        preference, _created = Preference.objects.get_or_create(user=user)
        choice = preference.choice_for(category)
        preference.channels = {**preference.channels, category.value: {**choice, "zalo": True}}
        preference.save(update_fields=["channels", "updated_at"])
