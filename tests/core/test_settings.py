import os
import secrets
import subprocess
import sys

import pytest
from django.db import connection


def run_sejahtera(*args, env_overrides: dict) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG", "PYTEST_VERSION"}}
    env.update(env_overrides)
    return subprocess.run([sys.executable, "-m", "sejahtera", *args], env=env, capture_output=True, text=True,
                          timeout=120)


def test_production_settings_pass_deploy_check(tmp_path):
    result = run_sejahtera(
        "check", "--deploy", "--fail-level", "WARNING",
        env_overrides={"SECRET_KEY": secrets.token_urlsafe(50), "DEBUG": "0",
                       "ALLOWED_HOSTS": "sejahtera.bogorkab.go.id", "SEJAHTERA_DATA_DIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_missing_secret_key_is_refused_in_production(tmp_path):
    result = run_sejahtera("check", env_overrides={"SECRET_KEY": "", "DEBUG": "0",
                                                   "SEJAHTERA_DATA_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="SQLite-only setting")
def test_sqlite_runs_in_wal_mode():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0]
    # The test database is in memory, where SQLite reports "memory"; a file database reports "wal".
    assert mode in {"wal", "memory"}


@pytest.mark.django_db
@pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="PostgreSQL-only setting")
def test_postgresql_connections_run_without_jit():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_sqlite_file_database_uses_wal(tmp_path):
    result = run_sejahtera(
        "shell", "-c", "from django.db import connection; c = connection.cursor(); "
        "c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])",
        env_overrides={"DEBUG": "1", "SEJAHTERA_DATA_DIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "wal"


@pytest.mark.django_db
def test_indonesian_by_default_even_for_an_english_browser(client):
    response = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9", secure=True)
    assert response.headers["Content-Language"] == "id"
    assert "<h1>Masuk</h1>" in response.text


@pytest.mark.django_db
def test_english_after_choosing_it(client):
    client.cookies["django_language"] = "en"
    response = client.get("/login/", secure=True)
    assert response.headers["Content-Language"] == "en"
    assert "<h1>Log in</h1>" in response.text
