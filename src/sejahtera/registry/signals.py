"""Signals other apps listen to, so the registry need not know them."""

from django.dispatch import Signal

# Sent inside the writing transaction when families' members, surveys or addresses changed.
# ``family_ids``: the families touched (a person's old and new family on a move), or ``None``
# after an import, which may touch any family of its region.
families_changed = Signal()
