"""An employer registering itself on the portal: its contact's login and the employer, in one step.

The contact's email is the login name. The account and the employer are written together or not
at all: a refused NIB or KBLI code leaves no account behind.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sejahtera.careers.models import Employer
from sejahtera.careers.services.employers import employer_register
from sejahtera.core.audit import audit_record
from sejahtera.core.models import AuditEvent


def _new_account(*, email: str, password: str, contact_name: str):
    User = get_user_model()
    username = email.strip().lower()
    if not username:
        raise ValidationError({"contact_email": [_("Give the email address the contact person logs in with.")]})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"contact_email": [_("An account with this email address exists already; log in.")]})
    user = User(username=username, email=username, first_name=contact_name.strip()[:150])
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    user.set_password(password)
    user.save()
    return user


@transaction.atomic
def employer_account_register(*, name: str, nib: str, kbli_code: str, address: str, desa_code: str,
                              contact_name: str, contact_phone: str, contact_email: str, password: str,
                              consent: bool) -> tuple:
    """Create the contact person's account and register the employer (waiting for Disnaker).

    Returns ``(user, employer)``. The acceptance of the privacy notice is audited with the account.
    """
    if not consent:
        raise ValidationError({"consent": [_("Accept the privacy notice to register.")]})
    user = _new_account(email=contact_email, password=password, contact_name=contact_name)
    audit_record(actor=user, action=AuditEvent.Action.CREATE, instance=user, region_code=desa_code.replace(".", ""),
                 changes={"username": [None, user.username], "privacy_notice_accepted_at":
                          [None, timezone.now().isoformat()]}, summary="careers: employer account")
    employer: Employer = employer_register(
        actor=user, user=user, name=name, nib=nib, kbli_code=kbli_code, address=address, desa_code=desa_code,
        contact_name=contact_name, contact_phone=contact_phone, contact_email=user.email)
    return user, employer
