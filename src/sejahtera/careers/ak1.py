"""The AK/1 card (kartu kuning): the job seeker's registration card as a printable PDF.

``ak1_pdf(seeker)`` renders ``templates/careers/ak1.html`` with WeasyPrint on an A6 page: the
Disnaker header of the installation's regency, the AK/1 number and validity, the seeker's name,
full NIK (it is the resident's own card), place and date of birth, sex, address and desa,
education, skills, and a box for the pass photo. No font is shipped or downloaded: the page asks
for fonts Debian has (DejaVu, Liberation) and WeasyPrint falls back to any installed one.

Who may print it is the views' business (``web.views.ak1``); they also log each printing.
"""

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from sejahtera.careers.models import JobSeeker
from sejahtera.regions.models import Region
from sejahtera.registry.choices import Education, Sex


@dataclass(frozen=True)
class Ak1Card:
    number: str
    issued_on: object
    valid_until: object
    name: str
    nik: str
    birth_place: str
    birth_date: object
    sex: str
    address: str
    desa: str
    kecamatan: str
    regency: str
    education: str
    major: str
    skills: tuple[str, ...]
    valid: bool


def ak1_card(seeker: JobSeeker) -> Ak1Card:
    """What the card shows, read in three queries."""
    seeker = JobSeeker.objects.select_related("person__family").get(pk=seeker.pk)
    person, family = seeker.person, seeker.person.family
    codes = [seeker.desa_code, seeker.desa_code[:6], seeker.desa_code[:4] or settings.SEJAHTERA_REGENCY]
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    address = ""
    if family is not None:
        address = family.address
        if family.rt or family.rw:
            address = f"{address} RT {family.rt or '-'}/RW {family.rw or '-'}".strip()
    return Ak1Card(
        number=seeker.ak1_number, issued_on=seeker.ak1_issued_on, valid_until=seeker.ak1_valid_until,
        name=person.name, nik=person.nik or "", birth_place=person.birth_place, birth_date=person.birth_date,
        sex=str(Sex(person.sex).label) if person.sex in Sex.values else person.sex, address=address,
        desa=names.get(codes[0], codes[0]), kecamatan=names.get(codes[1], codes[1]),
        regency=names.get(codes[2], codes[2]),
        education=str(Education(seeker.education).label) if seeker.education in Education.values else "",
        major=seeker.major, skills=tuple(seeker.skills.order_by("name").values_list("name", flat=True)),
        valid=seeker.ak1_valid_until >= timezone.localdate())


def ak1_html(seeker: JobSeeker) -> str:
    return render_to_string("careers/ak1.html", {"card": ak1_card(seeker)})


def ak1_pdf(seeker: JobSeeker) -> bytes:
    """The card as PDF bytes (A6, one page)."""
    from weasyprint import HTML  # imported here: pango loads only when a card is printed

    return HTML(string=ak1_html(seeker)).write_pdf()
