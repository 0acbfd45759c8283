"""In-app notifications of the career center."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sejahtera.careers.models import Notification


def notify(user, text: str, url: str = "") -> Notification | None:
    """Notify ``user`` (nothing for a seeker without an account)."""
    if user is None:
        return None
    return Notification.objects.create(user=user, text=str(text)[:255], url=url[:255])


def notify_employer(employer, text: str, url: str = "") -> list[Notification]:
    return [n for member in employer.members.select_related("user") if (n := notify(member.user, text, url))]


@transaction.atomic
def notification_mark_read(*, actor, notification: Notification | None = None) -> int:
    """Mark one notification (or, without one, all of the actor's) as read; returns how many changed."""
    unread = Notification.objects.filter(user=actor, read_at__isnull=True)
    if notification is not None:
        if notification.user_id != getattr(actor, "pk", None):
            raise PermissionDenied(_("This notification is not yours."))
        unread = unread.filter(pk=notification.pk)
    return unread.update(read_at=timezone.now())
