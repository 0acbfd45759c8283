"""``sejahtera calibrate_pmt FILE``: a new PMT model version fitted on a survey sample, with its report."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sejahtera.welfare.calibration import CalibrationError, calibrate

LISTED_PROBLEMS = 200


def decimal(value: float, places: int) -> str:
    # number_format cuts a float's decimals off; it does not round them.
    return number_format(round(value, places), places, use_l10n=True, force_grouping=True)


def percent(share: float) -> str:
    return f"{decimal(100 * share, 1)} %"


def count(value: int) -> str:
    return decimal(value, 0)


def problem_listing(path: Path, error: CalibrationError) -> str:
    rows = sorted({problem.row for problem in error.problems})
    lines = [f"{path.name}: " + ngettext(
        "%(count)s row cannot be used; nothing was written.",
        "%(count)s rows cannot be used; nothing was written.", len(rows)) % {"count": count(len(rows))}]
    problems = sorted(error.problems, key=lambda p: p.row)
    for problem in problems[:LISTED_PROBLEMS]:
        lines.append("  " + _("Row %(row)s, %(column)s: %(message)s")
                     % {"row": problem.row, "column": problem.column, "message": problem.message})
    if len(problems) > LISTED_PROBLEMS:
        lines.append("  " + _("… and %(count)s more.") % {"count": count(len(problems) - LISTED_PROBLEMS)})
    return "\n".join(lines)


class Command(BaseCommand):
    help = ("Fit a new PMT model version by least squares on a survey sample with observed consumption "
            "(CSV or XLSX, one household per row), on a training split; report R², RMSE and the inclusion "
            "and exclusion errors at the cut-off on the held-out split. The new version is inactive unless "
            "--activate.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--regency", default=settings.SEJAHTERA_REGENCY, help="4-digit regency code")
        parser.add_argument("--name", default="", help="name of the new version")
        parser.add_argument("--source", default="", help="where the sample comes from, e.g. 'Susenas Maret 2024'")
        parser.add_argument("--variables", default="",
                            help="comma-separated subset of the PMT variables (default: all)")
        parser.add_argument("--held-out-share", type=float, default=0.2)
        parser.add_argument("--seed", type=int, default=1, help="seed of the training/held-out split")
        parser.add_argument("--cutoff", type=float, default=0.4,
                            help="share of households ranked poor for the inclusion and exclusion errors")
        parser.add_argument("--poverty-line", type=int, default=None,
                            help="Rp per capita per month below which a household is poor "
                                 "(default: the regency's current poverty line)")
        parser.add_argument("--activate", action="store_true",
                            help="make the new version the active one (the previous one is deactivated)")

    def handle(self, *args, file, regency, name, source, variables, held_out_share, seed, cutoff, poverty_line,
               activate, **options):
        with translation.override(settings.LANGUAGE_CODE):
            if not file.is_file():
                raise CommandError(_("%(file)s: no such file.") % {"file": file})
            chosen = [v.strip() for v in variables.split(",") if v.strip()] or None
            try:
                model = calibrate(file, regency_code=regency.replace(".", ""), name=name, source=source,
                                  variables=chosen, held_out_share=held_out_share, seed=seed, cutoff_share=cutoff,
                                  poverty_line=poverty_line, activate=activate)
            except CalibrationError as error:
                if error.problems:
                    raise CommandError(problem_listing(file, error)) from error
                raise CommandError(f"{file.name}: {error.message} " + _("Nothing was written.")) from error
            self.stdout.write(self.report(model))

    def report(self, model) -> str:
        c = model.calibration
        split, train, held = c["split"], c["train"], c["held_out"]
        lines = [
            _("PMT model %(regency)s version %(version)s: %(name)s") % {
                "regency": model.regency_code, "version": model.version, "name": model.name},
            _("Active: scoring now uses this version.") if model.is_active
            else _("Not active: scoring keeps using the active version."),
            _("Sample: %(rows)s households; %(train)s to fit, %(held_out)s held out (%(share)s, seed %(seed)s).") % {
                "rows": count(c["sample"]["rows"]), "train": count(split["train"]),
                "held_out": count(split["held_out"]), "share": percent(split["held_out_share"]),
                "seed": split["seed"]},
            _("Fit on the training split: R² %(r2)s, RMSE %(rmse)s (log consumption).") % {
                "r2": decimal(train["r2"], 2), "rmse": decimal(train["rmse_log"], 3)},
            _("Held-out split: R² %(r2)s, RMSE %(rmse)s (log consumption).") % {
                "r2": decimal(held["r2"], 2), "rmse": decimal(held["rmse_log"], 3)},
            _("Poorest %(cutoff)s by prediction on the held-out split, against the %(poor)s households below "
              "the poverty line of Rp%(line)s: inclusion error %(inclusion)s (ranked poor but not poor), "
              "exclusion error %(exclusion)s (poor but not ranked poor).") % {
                "cutoff": percent(held["cutoff_share"]), "poor": count(held["poor"]),
                "line": count(held["poverty_line"]),
                "inclusion": percent(held["inclusion_error"]), "exclusion": percent(held["exclusion_error"])},
            _("Coefficients (and the training mean of each variable):"),
            f"  {_('intercept'):<28} {decimal(model.intercept, 4):>9}",
        ]
        for coefficient in model.coefficients.order_by("variable"):
            mean = c["means"].get(coefficient.variable)
            lines.append(f"  {coefficient.variable:<28} {decimal(coefficient.value, 4):>9}"
                         + (f"  ({decimal(mean, 3)})" if mean is not None else ""))
        return "\n".join(lines)
