"""A real crash: ``sejahtera import_registry`` killed with SIGKILL at random moments, then rerun.

The import runs as a subprocess against a database of its own, made here: an SQLite file in
tmp_path, or (when the suite runs on PostgreSQL) a database created next to the test database
and dropped afterwards. After each kill the registry must hold none of a file or all of its
accepted rows; a rerun completes the import.
"""

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

SEJAHTERA = str(Path(sys.executable).with_name("sejahtera"))
TABLES = ("registry_family", "registry_person", "registry_familymembership", "registry_householdsurvey")


def run_sejahtera(env: dict, *args, check: bool = True, timeout: float = 600) -> subprocess.CompletedProcess:
    done = subprocess.run([SEJAHTERA, *map(str, args)], env=env, capture_output=True, text=True, timeout=timeout)
    if check and done.returncode != 0:
        raise AssertionError(f"sejahtera {args[0]} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done


def base_env(data_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL" and not k.startswith("PYTEST")}
    env.update(DEBUG="1", SEJAHTERA_DATA_DIR=str(data_dir), PYTHONUNBUFFERED="1")
    return env


class SqliteTarget:
    """The embedded default: a database file in the data folder; copies of a migrated template."""

    vendor = "sqlite"
    persons = 60_000  # an import of about 6 s

    def __init__(self, root: Path):
        self.template, self.work = root / "template", root / "work"

    def setup(self) -> None:
        run_sejahtera(base_env(self.template), "migrate", "-v0")

    def template_env(self) -> dict:
        return base_env(self.template)

    def env(self) -> dict:
        return base_env(self.work)

    def reset(self) -> None:
        shutil.rmtree(self.work, ignore_errors=True)
        shutil.copytree(self.template, self.work)

    def query(self, sql: str) -> list[tuple]:
        connection = sqlite3.connect(self.work / "sejahtera.sqlite3", timeout=30)
        try:
            return connection.execute(sql).fetchall()
        finally:
            connection.close()

    def merge_started(self) -> bool:
        """The merge writes the registry tables through the write-ahead log; reading rows does not."""
        wal = self.work / "sejahtera.sqlite3-wal"
        return wal.exists() and wal.stat().st_size > 4 << 20

    def close(self) -> None:
        pass


class PostgresTarget:
    """Databases of their own on the server of DATABASE_URL: a migrated template and a working copy."""

    vendor = "postgresql"
    persons = 30_000  # an import of about 7 s

    def __init__(self, root: Path, url: str):
        import dj_database_url

        self.root = root
        self.settings = dj_database_url.parse(url)
        suffix = uuid.uuid4().hex[:8]
        self.template_name = f"sejahtera_imp_crash_{suffix}_tpl"
        self.work_name = f"sejahtera_imp_crash_{suffix}"

    def _url(self, name: str) -> str:
        s = self.settings
        auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
        return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"

    def _admin(self, *statements: str) -> None:
        import psycopg

        with psycopg.connect(self._url("postgres"), autocommit=True) as connection:
            for statement in statements:
                connection.execute(statement)

    def setup(self) -> None:
        self._admin(f'CREATE DATABASE "{self.template_name}"')
        run_sejahtera(self.template_env(), "migrate", "-v0")

    def template_env(self) -> dict:
        return {**base_env(self.root / "data"), "DATABASE_URL": self._url(self.template_name)}

    def env(self) -> dict:
        return {**base_env(self.root / "data"), "DATABASE_URL": self._url(self.work_name)}

    def reset(self) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{self.work_name}" WITH (FORCE)',
                    f'CREATE DATABASE "{self.work_name}" TEMPLATE "{self.template_name}"')

    def query(self, sql: str) -> list[tuple]:
        import psycopg

        with psycopg.connect(self._url(self.work_name)) as connection:
            return connection.execute(sql).fetchall()

    def merge_started(self) -> bool:
        """The import's connection is running a statement of the merge (after COPY has loaded the rows)."""
        rows = self.query("SELECT query FROM pg_stat_activity WHERE datname = current_database() "
                          "AND pid <> pg_backend_pid() AND state = 'active'")
        return any("registry_person" in query and "COPY" not in query for (query,) in rows)

    def close(self) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{self.work_name}" WITH (FORCE)',
                    f'DROP DATABASE IF EXISTS "{self.template_name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def target(tmp_path_factory):
    root = tmp_path_factory.mktemp("crash")
    url = os.environ.get("DATABASE_URL", "")
    made = PostgresTarget(root, url) if url.startswith(("postgres://", "postgresql://")) else SqliteTarget(root)
    try:
        made.setup()
        yield made
    finally:
        made.close()


@pytest.fixture(scope="module")
def files(target, tmp_path_factory):
    out = tmp_path_factory.mktemp("files")
    run_sejahtera(target.template_env(), "generate_registry", "--persons", target.persons, "--out", out, "--seed", "3")
    return out / "individu.csv", out / "survei.csv"


def counts(target) -> dict[str, int]:
    return {table: target.query(f"SELECT COUNT(*) FROM {table}")[0][0] for table in TABLES}


def batches(target) -> list[tuple[str, str]]:
    return target.query("SELECT file_name, status FROM registry_importbatch ORDER BY id")


def phase(state: dict, full: dict, batch_rows: list) -> str:
    statuses = dict(batch_rows)
    if "individu.csv" not in statuses:
        return "before reading"
    if state["registry_person"] == 0:
        return "individuals: reading or merging"
    if statuses.get("survei.csv") is None and statuses["individu.csv"] == "running":
        return "individuals: committed, not yet recorded"
    if state["registry_householdsurvey"] == 0:
        return "surveys: reading or merging"
    return "surveys: committed"


def test_import_killed_at_any_moment_holds_none_or_all_of_a_file(target, files):
    individuals, surveys = files
    target.reset()
    started = time.monotonic()
    done = run_sejahtera(target.env(), "import_registry", individuals, surveys)
    duration = time.monotonic() - started
    full = counts(target)
    assert full["registry_person"] > target.persons * 0.95 and full["registry_householdsurvey"] > 0, done.stdout
    assert full["registry_familymembership"] == full["registry_person"]
    empty = dict.fromkeys(TABLES, 0)
    individuals_only = {**full, "registry_householdsurvey": 0}
    allowed = (empty, individuals_only, full)

    seed = int(os.environ.get("CRASH_SEED", random.randrange(1 << 30)))
    rng = random.Random(seed)
    low, bins = 0.2, 4
    width = (duration - low) / bins
    delays = [low + width * (i + rng.random()) for i in range(bins)]  # one random moment in each quarter
    seen = []
    for delay in [*delays, "merge"]:
        target.reset()
        process = subprocess.Popen([SEJAHTERA, "import_registry", str(individuals), str(surveys)], env=target.env(),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            if delay == "merge":  # the moment the individuals merge starts writing
                deadline = time.monotonic() + duration * 3
                while not target.merge_started() and process.poll() is None and time.monotonic() < deadline:
                    time.sleep(0.01)
            else:
                time.sleep(delay)
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=60)
        state = counts(target)
        where = phase(state, full, batches(target))
        seen.append((delay, process.returncode, where))
        assert state in allowed, f"seed {seed}: after a kill at {delay} ({where}) the registry holds {state}"
        # the batch is recorded done in the transaction that writes its rows
        assert where != "individuals: committed, not yet recorded", f"seed {seed}: kill at {delay}"
        if delay == "merge":
            assert process.returncode == -signal.SIGKILL, "the import ended before its merge was seen"
            assert state == empty and where == "individuals: reading or merging", seen
        elif state == individuals_only:  # killed between the two files: a rerun of both completes it
            run_sejahtera(target.env(), "import_registry", individuals, surveys)
            assert counts(target) == full

    print(f"seed {seed}, import {duration:.1f} s, kills:", seen)
    assert any(where == "individuals: reading or merging" and code == -signal.SIGKILL
               for _delay, code, where in seen), seen
    # The last kill was during the merge: a rerun completes the import.
    done = run_sejahtera(target.env(), "import_registry", individuals, surveys)
    assert done.returncode == 0 and "individu.csv:" in done.stdout and "survei.csv:" in done.stdout
    assert counts(target) == full
    statuses = batches(target)
    assert ("individu.csv", "done") in statuses and ("survei.csv", "done") in statuses
    # the rerun marked the killed run's batch failed: none is left running
    assert ("individu.csv", "failed") in statuses and all(status != "running" for _name, status in statuses)
    errors = target.query("SELECT error FROM registry_importbatch WHERE status = 'failed'")
    assert all("tidak ada data yang tersimpan" in error for (error,) in errors)


def test_exit_status_of_the_real_command(target, files, tmp_path):
    individuals, _surveys = files
    target.reset()
    pdf = tmp_path / "individu.csv"
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    failed = run_sejahtera(target.env(), "import_registry", pdf, check=False)
    assert failed.returncode != 0
    assert "individu.csv" in failed.stderr and "PDF" in failed.stderr and "Nothing was written" in failed.stderr
    assert counts(target) == dict.fromkeys(TABLES, 0) and batches(target) == []

    small = tmp_path / "kecil.csv"
    lines = individuals.read_text(encoding="utf-8").splitlines(keepends=True)[:40]
    small.write_text("".join(lines) + "3201011705800002,3.20101E+15,Rusak,L,,17/05/1980,Kepala Keluarga\r\n",
                     encoding="utf-8")
    report = tmp_path / "laporan.csv"
    done = run_sejahtera(target.env(), "import_registry", small, "--report", report, check=False)
    assert done.returncode == 0, done.stderr
    assert "kecil.csv: 40 rows:" in done.stdout and "1 rejected" in done.stdout
    assert report.exists() and "notasi ilmiah" in report.read_text(encoding="utf-8-sig")
