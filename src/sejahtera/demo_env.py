"""Environment for ``sejahtera demo``, set before Django reads its settings."""

import os
import secrets
from pathlib import Path


def data_dir() -> Path:
    return Path(os.environ.get("SEJAHTERA_DATA_DIR", Path.cwd() / "data")).resolve()


def configure_demo_environment() -> None:
    folder = data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    key_file = folder / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    os.environ.setdefault("SECRET_KEY", key_file.read_text().strip())
    # Always the demo's own file: its published passwords must never reach a real database.
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'demo.sqlite3'}"
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SEJAHTERA_HTTPS", "0")
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
