from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from celery import shared_task
from django.conf import settings
from django.db import DatabaseError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from notifications.channels import user_language
from notifications.models import Channel
from notifications.services import account_message_send
from schools.models import StaffMembership


# A database hiccup is tried again; the dedupe key keeps it to one e-mail.
@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=5)
def staff_welcome_send(membership_id: int) -> bool:
    """E-mail a new staff member a link to choose their password, once.

    The e-mail is an account message (notifications.services.
    account_message_send), so its delivery is tracked and retried like any
    other; its dedupe key makes a retried or duplicated task send nothing more.
    """
    membership = StaffMembership.objects.select_related("user", "school").get(pk=membership_id)
    user = membership.user
    if not user.email:
        return False
    key = default_token_generator.make_token(user)
    path = reverse("account_reset_password_from_key", kwargs={"uidb36": user_pk_to_url_str(user), "key": key})
    with translation.override(user_language(user)):
        context = {"membership": membership, "user": user, "link": settings.SITE_URL + path}
        subject = render_to_string("accounts/email/staff_welcome_subject.txt", context).strip()
        body = render_to_string("accounts/email/staff_welcome_message.txt", context)
    with transaction.atomic():
        notice = account_message_send(
            recipient=user,
            channel=Channel.EMAIL,
            title=subject,
            body=body,
            dedupe_key=f"account:staff-welcome:{membership_id}",
        )
        if notice is None:
            return False
        StaffMembership.objects.filter(pk=membership_id).update(welcome_sent_at=timezone.now())
    return True
