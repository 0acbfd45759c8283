"""Whether the main menu shows the Disnaker links (career center, BLK training)."""

from django import template

from sejahtera.careers.access import is_disnaker_staff

register = template.Library()


@register.filter
def works_for_disnaker(user) -> bool:
    """Disnaker officers and heads, and system administrators: who reaches the Disnaker staff pages."""
    return is_disnaker_staff(user)
