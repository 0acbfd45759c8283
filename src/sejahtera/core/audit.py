"""Writing the audit log: record changes and reads of personal data."""

import datetime
import decimal
from collections.abc import Iterable

from django.db import models

from sejahtera.core.models import AuditEvent


def _plain(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (datetime.date, datetime.datetime, decimal.Decimal)):
        return str(value)
    return value


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict:
    """The audited values of ``instance``: foreign keys by their id."""
    values = {}
    for name in fields:
        field = instance._meta.get_field(name)
        values[name] = _plain(getattr(instance, field.attname))
    return values


def diff(before: dict, after: dict) -> dict:
    return {name: [before.get(name), value] for name, value in after.items() if before.get(name) != value}


def object_type(instance: models.Model) -> str:
    return instance._meta.label_lower


def audit_record(
    *,
    actor,
    action: str,
    instance: models.Model,
    region_code: str = "",
    changes: dict | None = None,
    summary: str = "",
    channel: str = "web",
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=object_type(instance),
        object_id=str(instance.pk),
        region_code=region_code,
        changes=changes or {},
        summary=summary[:255],
        channel=channel,
    )


def access_log(*, actor, instance: models.Model, region_code: str = "", channel: str = "web") -> AuditEvent:
    """Record that ``actor`` read a personal record."""
    return audit_record(actor=actor, action=AuditEvent.Action.VIEW, instance=instance,
                        region_code=region_code, channel=channel)
