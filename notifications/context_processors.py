from django.utils.functional import SimpleLazyObject

from notifications.selectors import notices_unread_count


def bell(request):
    """The unread count for the header's bell: one query, and only when a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notifications_unread": SimpleLazyObject(lambda: notices_unread_count(user=user))}
