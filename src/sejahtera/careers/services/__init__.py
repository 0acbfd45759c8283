"""Writes of the career center: ``<noun>_<verb>(*, actor, ...)``, atomic, audited."""

from sejahtera.careers.services.accounts import (  # noqa: F401  the seeker's own portal account
    seeker_account_register, seeker_certificate_add, seeker_certificate_remove, seeker_experience_add,
    seeker_experience_remove)
from sejahtera.careers.services.applications import (
    application_create,
    application_hire,
    application_invite,
    application_message_send,
    application_messages_mark_read,
    application_reject,
    application_shortlist,
    application_withdraw,
)
from sejahtera.careers.services.employer_accounts import employer_account_register
from sejahtera.careers.services.employers import (
    employer_member_add,
    employer_register,
    employer_update,
    employer_verify,
)
from sejahtera.careers.services.notifications import notification_mark_read
from sejahtera.careers.services.placements import placement_confirm, placement_record
from sejahtera.careers.services.referrals import referral_accept, referral_decline, referral_offer  # noqa: F401
from sejahtera.careers.services.seekers import seeker_register, seeker_renew_ak1, seeker_update
from sejahtera.careers.services.vacancies import (
    vacancy_close,
    vacancy_create,
    vacancy_fill,
    vacancy_open,
    vacancy_submit,
    vacancy_update,
    vacancy_verify,
)

__all__ = [
    "application_create", "application_hire", "application_invite", "application_message_send",
    "application_messages_mark_read", "application_reject", "application_shortlist", "application_withdraw",
    "employer_account_register",
    "employer_member_add", "employer_register", "employer_update", "employer_verify", "notification_mark_read",
    "placement_confirm", "placement_record", "seeker_register", "seeker_renew_ak1", "seeker_update",
    "vacancy_close", "vacancy_create", "vacancy_fill", "vacancy_open", "vacancy_submit", "vacancy_update",
    "vacancy_verify",
]
