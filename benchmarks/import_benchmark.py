"""Registry import on PostgreSQL, side by side with a raw COPY of the same rows into the same tables.

    python benchmarks/import_benchmark.py --dir DIR [--server postgres://postgres@127.0.0.1:5432]

DIR holds individu.csv (and optionally survei.csv) written by `sejahtera generate_registry`.
Steps, in one run on a fresh database:
1. raw COPY: the individuals rows, already turned into table rows (ids assigned, codes mapped;
   preparing them is not timed), are copied into registry_family, registry_person and
   registry_familymembership, with every index in place, as the import has them;
2. the tables are emptied, then `sejahtera import_registry` imports the file (timed, peak memory);
3. the same file is imported again (timed): every row comes out unchanged.
Prints the figures and writes them as JSON into benchmarks/results/.
"""

import argparse
import datetime
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

HERE = Path(__file__).resolve().parent
SEJAHTERA = str(Path(sys.executable).with_name("sejahtera"))


def run_sejahtera(args: list[str], env: dict) -> tuple[float, int, str]:
    """Run a sejahtera command; return (seconds, peak RSS in MB, output)."""
    started = time.monotonic()
    result = subprocess.run(["/usr/bin/time", "-v", SEJAHTERA, *args], env=env, capture_output=True, text=True)
    seconds = time.monotonic() - started
    if result.returncode != 0:
        raise SystemExit(result.stdout + result.stderr)
    peak_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr).group(1))
    return seconds, peak_kb // 1024, result.stdout


def prepare_copy_files(individuals: Path, folder: Path) -> dict[str, Path]:
    """Table rows for the raw COPY, made from the same file with the import's own parsers."""
    sys.path.insert(0, str(HERE.parent / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sejahtera.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from sejahtera.registry.importing.columns import INDIVIDUALS, RowParser, map_header
    from sejahtera.registry.importing.readers import open_table

    now = datetime.datetime.now(datetime.UTC).isoformat()
    today = datetime.date.today().isoformat()
    paths = {name: folder / f"{name}.tsv" for name in ("family", "person", "membership")}
    families: dict[str, int] = {}
    with open_table(individuals) as table, paths["family"].open("w") as fam, \
            paths["person"].open("w") as per, paths["membership"].open("w") as mem:
        parse = RowParser(map_header(table.header, INDIVIDUALS))
        person_id = 0
        for _row, cells in table.rows():
            values, problems, _warnings = parse(cells)
            if problems:
                continue
            family_id = families.get(values["no_kk"])
            if family_id is None:
                family_id = families[values["no_kk"]] = len(families) + 1
                fam.write("\t".join([str(family_id), now, now, values["no_kk"], values["kode_desa"],
                                     values["alamat"] or "", values["rt"] or "", values["rw"] or "", "[]", "f"])
                          + "\n")
            person_id += 1
            per.write("\t".join([
                str(person_id), now, now, values["nik"] or r"\N", values["nama"], values["jenis_kelamin"],
                values["tempat_lahir"] or "", values["tanggal_lahir"].isoformat(), str(family_id),
                values["kode_desa"], str(values["hubungan_keluarga"]), str(values["status_perkawinan"]),
                str(values["pendidikan"]), values["pekerjaan"] or "", values["status_pekerjaan"],
                values["disabilitas"], values["status_jkn"], values["no_hp"] or "", "[]", "f"]) + "\n")
            mem.write(f"{person_id}\t{family_id}\t{values['hubungan_keluarga']}\t{today}\n")
    return paths


COPY_COLUMNS = {
    "registry_family": "id, created_at, updated_at, no_kk, desa_id, address, rt, rw, warnings, has_warnings",
    "registry_person": ("id, created_at, updated_at, nik, name, sex, birth_place, birth_date, family_id, desa_id, "
                        "relationship, marital_status, education, occupation, employment_status, disability, "
                        "jkn_status, phone, warnings, has_warnings"),
    "registry_familymembership": "person_id, family_id, relationship, started_on",
}


def raw_copy(url: str, paths: dict[str, Path]) -> float:
    tables = {"registry_family": paths["family"], "registry_person": paths["person"],
              "registry_familymembership": paths["membership"]}
    with psycopg.connect(url) as conn:
        started = time.monotonic()
        with conn.cursor() as cur:
            for table, path in tables.items():
                with cur.copy(f"COPY {table} ({COPY_COLUMNS[table]}) FROM STDIN") as copy, path.open("rb") as f:
                    while block := f.read(1 << 20):
                        copy.write(block)
        conn.commit()
        return time.monotonic() - started


def empty_registry(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("TRUNCATE registry_familymembership, registry_householdsurvey, registry_person, "
                     "registry_family, registry_importbatch, core_auditevent RESTART IDENTITY CASCADE")
        conn.execute("VACUUM ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", type=Path, required=True)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="sejahtera_bench")
    args = parser.parse_args()
    individuals = args.dir / "individu.csv"
    rows = sum(1 for _ in individuals.open()) - 1
    url = f"{args.server}/{args.database}"
    with psycopg.connect(f"{args.server}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {args.database}")
        conn.execute(f"CREATE DATABASE {args.database}")
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1"}
    subprocess.run([SEJAHTERA, "migrate", "-v0"], env=env, check=True)

    with tempfile.TemporaryDirectory() as tmp:
        print(f"Preparing table rows for the raw COPY of {rows:,} rows ...", flush=True)
        paths = prepare_copy_files(individuals, Path(tmp))
        copy_seconds = raw_copy(url, paths)
        print(f"raw COPY into families, persons, memberships: {copy_seconds:.1f} s", flush=True)
    empty_registry(url)

    first, first_mb, first_out = run_sejahtera(["import_registry", str(individuals)], env)
    print(first_out.strip())
    again, again_mb, again_out = run_sejahtera(["import_registry", str(individuals)], env)
    print(again_out.strip())
    figures = {
        "date": datetime.date.today().isoformat(), "rows": rows, "raw_copy_s": round(copy_seconds, 1),
        "import_s": round(first, 1), "import_peak_mb": first_mb, "reimport_s": round(again, 1),
        "reimport_peak_mb": again_mb,
        "import_throughput_vs_copy": round(copy_seconds / first, 3),
        "reimport_speedup": round(first / again, 2),
    }
    print(json.dumps(figures, indent=2))
    out = HERE / "results" / f"import-{rows}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
