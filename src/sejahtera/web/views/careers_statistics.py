"""The career center's statistics page for Disnaker and planners, with its CSV and XLSX export.

Counts only (``careers.statistics.career_statistics``, in the user's aggregate scopes): seekers
registered, vacancies and their openings, applications, placements, trainees (BLK) and interns of
one year, by month, kecamatan, sex, age group and education, and again for members of poor families
(desil 1-4). Who may open it: Disnaker staff (officers and heads of Disnaker, system
administrators) and planners; everyone else gets 403 (other agencies, desa and kecamatan operators,
job seekers and employers). ``?format=csv`` or ``?format=xlsx`` downloads the tables (one row per
table row, the file in Indonesian whatever the interface language, written with the registry's
export helpers, and logged).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import reduce, wraps
from operator import or_

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from sejahtera.accounts.roles import Role
from sejahtera.careers.access import is_disnaker_staff
from sejahtera.careers.statistics import CareerStatistics, career_statistics
from sejahtera.regions.models import Region
from sejahtera.registry import exports
from sejahtera.registry.choices import Education, Sex
from sejahtera.registry.importing.pipeline import common_region
from sejahtera.training.selectors.statistics import AGE_GROUPS, OLDEST_GROUP
from sejahtera.web.views.exports import export_file_response
from sejahtera.web.views.welfare import plotly_url
from sejahtera.welfare.selectors import aggregate_scopes

FIRST_YEAR = 2015  # the year selector goes back to here at most
YEARS_SHOWN = 6

# (name, label, in the poor-family tables) in the column order of the tables and the export.
FIGURES = (
    ("seekers", gettext_lazy("Job seekers registered"), True),
    ("vacancies", gettext_lazy("Vacancies opened"), False),
    ("openings", gettext_lazy("Openings"), False),
    ("applications", gettext_lazy("Applications"), True),
    ("placements", gettext_lazy("Placements"), True),
    ("trainees", gettext_lazy("BLK trainees"), True),
    ("interns", gettext_lazy("Interns"), True),
)
VACANCY_FIGURES = frozenset({"vacancies", "openings"})
DIMENSIONS = (
    ("month", gettext_lazy("Month")),
    ("kecamatan", gettext_lazy("District (kecamatan)")),
    ("sex", gettext_lazy("Sex")),
    ("age_group", gettext_lazy("Age group")),
    ("education", gettext_lazy("Education")),
)
VACANCY_DIMENSIONS = frozenset({"month", "kecamatan", "education"})
SECTIONS = (("all", gettext_lazy("All job seekers")), ("poor", gettext_lazy("Members of poor families (desil 1-4)")))
CHART_COLOURS = {"seekers": "#225ea8", "vacancies": "#7fcdbb", "openings": "#41b6c4", "applications": "#fe9929",
                 "placements": "#cc4c02", "trainees": "#6a51a3", "interns": "#807dba"}

# The export is Indonesian whatever the interface language (like the registry's exports).
EXPORT_HEADER = ["Tahun", "Bagian", "Dimensi", "Kode", "Uraian", "Pencari kerja terdaftar", "Lowongan dibuka",
                 "Formasi", "Lamaran", "Penempatan", "Peserta pelatihan BLK", "Peserta magang"]
EXPORT_SECTIONS = {"all": "Semua", "poor": "Keluarga miskin (desil 1-4)"}
EXPORT_DIMENSIONS = {"month": "Bulan", "kecamatan": "Kecamatan", "sex": "Jenis kelamin", "age_group": "Kelompok umur",
                     "education": "Pendidikan"}


# -- who may see it ------------------------------------------------------------------------------

def may_see_statistics(user) -> bool:
    """Disnaker staff (system administrators included) and planners."""
    if not getattr(user, "is_authenticated", False):
        return False
    return is_disnaker_staff(user) or any(m.role == Role.PLANNER for m in user.active_memberships)


def statistics_page(view):
    """Signed in, Disnaker staff or a planner, never cached; 403 for everyone else."""
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not may_see_statistics(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return never_cache(login_required(wrapped))


# -- the tables ----------------------------------------------------------------------------------

@dataclass
class TableRow:
    key: object
    code: str  # the key as text: "3", "320101", "L", "15-24", "5", "" (not recorded)
    label: str
    values: list  # one per column; None where the figure has no such dimension
    cells: list = field(default_factory=list)  # (figure, value) per column


@dataclass
class Table:
    section: str
    dimension: str
    title: str
    columns: list[tuple[str, str]]  # (figure, label)
    rows: list[TableRow] = field(default_factory=list)
    total: list = field(default_factory=list)

    @property
    def total_cells(self) -> list[tuple[str, object]]:
        return [(name, value) for (name, _label), value in zip(self.columns, self.total, strict=True)]


def _counts(stats: CareerStatistics, figure: str, dimension: str, poor: bool) -> dict | None:
    """``{key: count}`` of one figure along one dimension; None when the figure has no such dimension."""
    if figure == "trainees":
        column = "poor_trainees" if poor else "trainees"
        return {row["key"]: row[column] for row in stats.training.get(dimension, [])}
    if figure in VACANCY_FIGURES and dimension not in VACANCY_DIMENSIONS:
        return None
    groups = getattr(stats, figure).by.get(dimension, ())
    return {group.key: (group.poor if poor else group.value) for group in groups}


def _total(stats: CareerStatistics, figure: str, poor: bool) -> int:
    if figure == "trainees":
        return stats.training.get("total", {}).get("poor_trainees" if poor else "trainees", 0) or 0
    value = getattr(stats, figure)
    return (value.poor if poor else value.total) or 0


def kecamatan_of_scopes(user) -> list[tuple[str, str]]:
    """(code, name) of every kecamatan in the user's aggregate scopes, by name."""
    scopes = aggregate_scopes(user)
    if not scopes:
        return []
    q = reduce(or_, (Q(code__startswith=scope) if len(scope) <= 6 else Q(code=scope[:6]) for scope in scopes))
    rows = Region.objects.filter(q, level=Region.Level.KECAMATAN, is_current=True).order_by("name")
    return list(rows.values_list("code", "name"))


def _keys(dimension: str, kecamatan: list[tuple[str, str]]) -> list[tuple[object, str]]:
    """Every key of a dimension, in order, with its label (zeros shown too)."""
    if dimension == "month":
        return [(number, str(MONTHS[number])) for number in range(1, 13)]
    if dimension == "kecamatan":
        return list(kecamatan)
    if dimension == "sex":
        return [(value, str(label)) for value, label in Sex.choices]
    if dimension == "age_group":
        return [(label, label) for _age, label in AGE_GROUPS] + [(OLDEST_GROUP, OLDEST_GROUP)]
    return [(value, str(label)) for value, label in Education.choices]


def _unrecorded(dimension: str) -> str:
    if dimension == "education":  # a vacancy without a minimum education counts here too
        return _("Not recorded (vacancies: no minimum)")
    return _("Not recorded")


def build_tables(stats: CareerStatistics, kecamatan: list[tuple[str, str]]) -> list[Table]:
    """The tables of the page: per section (all, poor), one per dimension."""
    names = dict(kecamatan)
    tables = []
    for section, _section_label in SECTIONS:
        poor = section == "poor"
        columns = [(name, str(label)) for name, label, in_poor in FIGURES if in_poor or not poor]
        for dimension, dimension_label in DIMENSIONS:
            counts = {name: _counts(stats, name, dimension, poor) for name, _label in columns}
            keys = _keys(dimension, kecamatan)
            known = {key for key, _label in keys}
            extra = set()
            for values in counts.values():
                extra.update(key for key in (values or {}) if key not in known)
            for key in sorted(extra, key=lambda k: (k is None, str(k))):
                label = names.get(key, str(key)) if key is not None else _unrecorded(dimension)
                keys.append((key, label))
            table = Table(section, dimension, str(dimension_label), columns)
            for key, label in keys:
                values = [None if counts[name] is None else counts[name].get(key, 0) or 0 for name, _l in columns]
                table.rows.append(TableRow(key, "" if key is None else str(key), label, values,
                                           [(name, value) for (name, _l), value in zip(columns, values, strict=True)]))
            table.total = [None if counts[name] is None else _total(stats, name, poor) for name, _l in columns]
            tables.append(table)
    return tables


def chart_data(tables: list[Table]) -> dict:
    """By month, one line per figure, for all seekers and for poor families."""
    data = {"months": [], "series": {}, "text": {"axis": _("Count"), "month": _("Month")}}
    for table in tables:
        if table.dimension != "month":
            continue
        data["months"] = [row.label for row in table.rows]
        data["series"][table.section] = [
            {"name": label, "colour": CHART_COLOURS[name],
             "values": [row.values[index] or 0 for row in table.rows]}
            for index, (name, label) in enumerate(table.columns)]
    return data


# -- the year ------------------------------------------------------------------------------------

def chosen_year(value, today: datetime.date) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return today.year
    return year if FIRST_YEAR <= year <= today.year + 1 else today.year


def year_choices(year: int, today: datetime.date) -> list[int]:
    years = set(range(max(FIRST_YEAR, today.year - YEARS_SHOWN + 1), today.year + 1)) | {year}
    return sorted(years, reverse=True)


# -- export --------------------------------------------------------------------------------------

@dataclass
class StatisticsFilters:
    year: int


def _export_rows(year: int, tables: list[Table]) -> Iterator[list]:
    positions = {name: position for position, (name, _label, _poor) in enumerate(FIGURES)}
    for table in tables:
        for row, is_total in [(row, False) for row in table.rows] + [(None, True)]:
            cells = [None] * len(FIGURES)
            values = table.total if is_total else row.values
            for (name, _label), value in zip(table.columns, values, strict=True):
                cells[positions[name]] = value
            code, label = ("", "Jumlah") if is_total else (row.code, row.label)
            yield [year, EXPORT_SECTIONS[table.section], EXPORT_DIMENSIONS[table.dimension], code, label, *cells]


def build_export(user, year: int) -> exports.Export:
    with translation.override("id"):  # month, sex and education names in Indonesian
        stats = career_statistics(user, year)
        tables = build_tables(stats, kecamatan_of_scopes(user))
        rows = list(_export_rows(year, tables))
    return exports.Export("career_statistics", f"statistik-karier-{year}", "Statistik", list(EXPORT_HEADER),
                          iter(rows), frozenset({3}), frozenset(), common_region(aggregate_scopes(user)),
                          StatisticsFilters(year), "careers.statistics")


def export_response(user, year: int, fmt: str):
    return export_file_response(user, build_export(user, year), fmt)


# -- the page ------------------------------------------------------------------------------------

@statistics_page
@require_GET
def statistics(request):
    user, today = request.user, timezone.localdate()
    year = chosen_year(request.GET.get("year"), today)
    fmt = request.GET.get("format", "")
    if fmt:
        if fmt not in exports.FORMATS:
            raise Http404
        return export_response(user, year, fmt)
    stats = career_statistics(user, year)
    tables = build_tables(stats, kecamatan_of_scopes(user))
    scope_names = dict(Region.objects.filter(code__in=aggregate_scopes(user)).values_list("code", "name"))
    return render(request, "web/disnaker/statistics.html", {
        "year": year, "years": year_choices(year, today),
        "sections": [(section, label, [t for t in tables if t.section == section]) for section, label in SECTIONS],
        "totals": {section: {name: value for (name, _l), value in zip(t.columns, t.total, strict=True)}
                   for section, _label in SECTIONS for t in tables if t.section == section and t.dimension == "month"},
        "chart_data": chart_data(tables), "plotly_url": plotly_url(),
        "scope_names": sorted(scope_names.values()), "is_disnaker": is_disnaker_staff(user),
    })
