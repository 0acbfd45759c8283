"""The ``sejahtera`` console command: Django's manage.py with the project's settings."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sejahtera.settings")
    if len(sys.argv) > 1 and sys.argv[1] == "demo":
        # The demo is a self-contained local install: its own SQLite file,
        # a generated secret key, plain HTTP on 127.0.0.1.
        from sejahtera.demo_env import configure_demo_environment

        configure_demo_environment()
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
