from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from schools.models import StaffMembership


@shared_task(bind=True, max_retries=5, default_retry_delay=60, acks_late=True)
def staff_welcome_send(self, membership_id: int) -> bool:
    """E-mail a new staff member a link to choose their password, once."""
    # Claim the job with a conditional update so that a retried or duplicated
    # task never sends the welcome twice.
    claimed = StaffMembership.objects.filter(Q(pk=membership_id), Q(welcome_sent_at__isnull=True)).update(
        welcome_sent_at=timezone.now()
    )
    if not claimed:
        return False
    membership = StaffMembership.objects.select_related("user", "school").get(pk=membership_id)
    user = membership.user
    key = default_token_generator.make_token(user)
    path = reverse("account_reset_password_from_key", kwargs={"uidb36": user_pk_to_url_str(user), "key": key})
    with translation.override(user.language or "vi"):
        context = {"membership": membership, "user": user, "link": settings.SITE_URL + path}
        subject = render_to_string("accounts/email/staff_welcome_subject.txt", context).strip()
        body = render_to_string("accounts/email/staff_welcome_message.txt", context)
    try:
        send_mail(subject, body, None, [user.email])
    except Exception as exc:
        StaffMembership.objects.filter(pk=membership_id).update(welcome_sent_at=None)
        raise self.retry(exc=exc) from exc
    return True
