"""Record ids written into pages stay plain digits.

With Indonesian number formatting (``USE_THOUSAND_SEPARATOR``) ``{{ enrolment.pk }}`` renders
the id 1234 as "1.234": a checkbox or hidden field carrying it would post an id that matches
nothing once a table passes a thousand rows. Ids go out with ``|stringformat:"d"``, ``|unlocalize``
or through ``{% url %}``."""

import re
from pathlib import Path

from django.template import Context, Template
from django.utils import translation

import sejahtera

TEMPLATES = Path(sejahtera.__file__).parent / "templates"
BARE_ID = re.compile(r"\{\{\s*[\w.]+(?:\.pk|\.id|(?<!auto)_id)\s*\}\}")  # not a form field's auto_id


def test_no_template_writes_a_bare_record_id():
    offenders = [f"{path.relative_to(TEMPLATES)}:{number}: {line.strip()}"
                 for path in sorted(TEMPLATES.rglob("*.html"))
                 for number, line in enumerate(path.read_text().splitlines(), start=1) if BARE_ID.search(line)]
    assert offenders == []


def test_the_id_filter_keeps_digits_where_numbers_are_grouped():
    page = Template('<input value="{{ pk|stringformat:"d" }}"> {{ pk }}')
    with translation.override("id"):
        assert page.render(Context({"pk": 12345})) == '<input value="12345"> 12.345'


def test_every_template_compiles():
    from django.template.loader import get_template

    for path in sorted(TEMPLATES.rglob("*.html")):
        get_template(str(path.relative_to(TEMPLATES)))  # raises TemplateSyntaxError on a broken tag
