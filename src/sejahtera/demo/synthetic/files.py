"""The synthetic regency written as the import files a regency would send.

``individu.csv`` and ``survei.csv`` follow the import templates (registry.importing.columns);
with a dirty rate, some rows carry the errors real files have (damaged NIKs, impossible dates,
unknown desa codes, missing names) and some persons are registered twice with the usual
differences; ``kebenaran_*.csv`` hold the ground truth of both. ``sampel_kalibrasi.csv`` holds
the households whose survey measured consumption, with that observed (noisy) consumption, in
the format ``calibrate_pmt`` reads (welfare.sample); it is never dirty.
"""

from __future__ import annotations

import csv
import datetime
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sejahtera.demo.synthetic.records import FamilyRecord, SurveyRecord
from sejahtera.registry.choices import Relationship
from sejahtera.registry.dedup.perturb import inject_duplicates
from sejahtera.registry.importing import vocabulary as vocab
from sejahtera.registry.importing.columns import INDIVIDUALS, SURVEYS
from sejahtera.welfare.sample import SAMPLE

PERSON_VOCABULARIES = {
    "sex": vocab.SEX, "relationship": vocab.RELATIONSHIP, "marital_status": vocab.MARITAL_STATUS,
    "education": vocab.EDUCATION, "employment_status": vocab.EMPLOYMENT_STATUS, "disability": vocab.DISABILITY,
    "jkn_status": vocab.JKN_STATUS,
}
SURVEY_VOCABULARIES = {
    "floor_material": vocab.FLOOR_MATERIAL, "wall_material": vocab.WALL_MATERIAL,
    "roof_material": vocab.ROOF_MATERIAL, "drinking_water": vocab.DRINKING_WATER, "toilet": vocab.TOILET,
    "lighting": vocab.LIGHTING, "cooking_fuel": vocab.COOKING_FUEL, "home_ownership": vocab.HOME_OWNERSHIP,
}
# Errors a regency's files really carry, each making its row rejected.
ROW_ERRORS = ("nik_short", "nik_scientific", "impossible_date", "unknown_desa", "missing_name")
CHUNK_FAMILIES = 5000  # near-duplicates are drawn within chunks, so memory stays flat


def _name(vocabulary: dict, value) -> str:
    return vocabulary[value][0]


@dataclass
class FilesSummary:
    families: int = 0
    persons: int = 0  # rows of individu.csv
    surveys: int = 0
    sample: int = 0  # rows of sampel_kalibrasi.csv
    rejected_rows: int = 0
    duplicates: int = 0
    paths: list[Path] = field(default_factory=list)


def _person_dicts(families: list[FamilyRecord], first_id: int) -> list[dict]:
    rows = []
    for family in families:
        for person in family.members:
            rows.append({
                "id": first_id + len(rows), "nik": person.nik, "name": person.name, "sex": person.sex,
                "birth_date": person.birth_date, "desa": family.desa_code, "no_kk": family.no_kk,
                "person": person, "family": family,
            })
    return rows


def _individual_row(record: dict) -> list[str]:
    person, family = record["person"], record["family"]
    return [
        record["no_kk"], record["nik"] or "", record["name"], _name(vocab.SEX, record["sex"]), person.birth_place,
        record["birth_date"].isoformat(), _name(vocab.RELATIONSHIP, person.relationship),
        _name(vocab.MARITAL_STATUS, person.marital_status), _name(vocab.EDUCATION, person.education),
        person.occupation, record["desa"], family.address, family.rt, family.rw,
        _name(vocab.EMPLOYMENT_STATUS, person.employment_status), _name(vocab.DISABILITY, person.disability),
        _name(vocab.JKN_STATUS, person.jkn_status), person.phone,
    ]


def _survey_value(survey: SurveyRecord, field: str):
    value = getattr(survey, field)
    if field in SURVEY_VOCABULARIES:
        return _name(SURVEY_VOCABULARIES[field], value)
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else value


def _survey_row(family: FamilyRecord) -> list:
    return [family.no_kk, *(_survey_value(family.survey, column.field) for column in SURVEYS.columns[1:])]


def _fifteen_years_before(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 15)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 15, day=28)


def _sample_row(family: FamilyRecord) -> list:
    """The household in the calibration-sample format, members under 15 counted on the survey date."""
    survey = family.survey
    born_after = _fifteen_years_before(survey.surveyed_on)
    head = next(person for person in family.members if person.relationship == Relationship.HEAD)
    household = {"desa_id": family.desa_code, "n": family.size,
                 "kids": sum(1 for person in family.members if person.birth_date > born_after),
                 "head_edu": _name(vocab.EDUCATION, head.education)}
    return [household[column.field] if column.field in household else _survey_value(survey, column.field)
            for column in SAMPLE.columns]


def _damage(rng: random.Random, row: list[str], kind: str) -> tuple[str, str]:
    """Put one real-world error into an individuals row; return (column, error) as made."""
    nik, date, desa, name = 1, 5, 10, 2
    if kind.startswith("nik") and not row[nik]:
        kind = "missing_name"
    if kind == "nik_short":
        row[nik] = row[nik][:15]
        return "nik", kind
    if kind == "nik_scientific":
        row[nik] = f"{int(row[nik]) / 1e15:.5f}".rstrip("0") + "E+15"
        return "nik", kind
    if kind == "impossible_date":
        year = row[date][:4]
        row[date] = f"31-02-{year}" if rng.random() < 0.5 else f"{year}-13-01"
        return "tanggal_lahir", kind
    if kind == "unknown_desa":
        row[desa] = row[desa][:6] + "9999"
        return "kode_desa", kind
    row[name] = ""
    return "nama", "missing_name"


def _chunks(families: Iterable[FamilyRecord]) -> Iterator[list[FamilyRecord]]:
    chunk = []
    for family in families:
        chunk.append(family)
        if len(chunk) == CHUNK_FAMILIES:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def write_registry_files(families: Iterable[FamilyRecord], out_dir: Path, *, dirty_rate: float = 0.0,
                         seed: int = 1, neighbours: dict[str, list[str]] | None = None) -> FilesSummary:
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    summary = FilesSummary()
    paths: dict[str, Path] = {}
    handles = []

    def open_csv(name: str):
        paths[name] = out_dir / f"{name}.csv"
        handles.append(paths[name].open("w", newline="", encoding="utf-8"))
        return csv.writer(handles[-1])

    truth_rows = truth_pairs = None
    try:
        individuals, surveys = open_csv("individu"), open_csv("survei")
        individuals.writerow([column.name for column in INDIVIDUALS.columns])
        surveys.writerow([column.name for column in SURVEYS.columns])
        sample = open_csv("sampel_kalibrasi")
        sample.writerow([column.name for column in SAMPLE.columns])
        if dirty_rate:
            truth_rows = open_csv("kebenaran_baris")
            truth_rows.writerow(["row", "column", "error", "outcome"])
            truth_pairs = open_csv("kebenaran_duplikat")
            truth_pairs.writerow(["row_a", "row_b", "nik_a", "nik_b", "errors"])
        next_row = 2  # the header is row 1
        for chunk in _chunks(families):
            records = _person_dicts(chunk, next_row)
            if dirty_rate:
                injected = inject_duplicates(records, rate=dirty_rate / 2, seed=rng.randrange(2**31),
                                             neighbours=neighbours, next_id=iter(range(
                                                 next_row + len(records), 2**62)).__next__)
                records += injected.records
                by_id = {record["id"]: record for record in records}
                for a, b in sorted(injected.pairs):
                    truth_pairs.writerow([a, b, by_id[a]["nik"] or "", by_id[b]["nik"] or "",
                                          "+".join(by_id[b].get("errors", []))])
                summary.duplicates += len(injected.records)
            for record in records:
                row = _individual_row(record)
                if dirty_rate and "errors" not in record and rng.random() < dirty_rate / 2:
                    column, kind = _damage(rng, row, rng.choice(ROW_ERRORS))
                    truth_rows.writerow([record["id"], column, kind, "rejected"])
                    summary.rejected_rows += 1
                individuals.writerow(row)
            for family in chunk:
                if family.survey is not None:
                    surveys.writerow(_survey_row(family))
                    summary.surveys += 1
                    if family.survey.consumption_per_capita is not None:
                        sample.writerow(_sample_row(family))
                        summary.sample += 1
            summary.families += len(chunk)
            summary.persons += len(records)
            next_row += len(records)
    finally:
        for handle in handles:
            handle.close()
    summary.paths = list(paths.values())
    return summary

