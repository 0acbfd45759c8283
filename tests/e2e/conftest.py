"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server."""

import os
from pathlib import Path

import pytest

from tests.conftest import restore_reference_data

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def live_server(request, django_db_setup):
    """pytest-django's live server, started for plain HTTP.

    SecurityMiddleware reads the HTTPS redirect and HSTS settings once, when the server thread
    builds its handler, so they are overridden only while it starts.
    """
    from django.test.utils import override_settings
    from pytest_django.live_server_helper import LiveServer

    addr = (request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
            or "localhost")
    with override_settings(SECURE_SSL_REDIRECT=False, SECURE_HSTS_SECONDS=0):
        server = LiveServer(addr)
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def e2e_settings(settings):
    # Read on each response: the live server speaks plain HTTP.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """Regions and agencies come from data migrations; an earlier transactional test's flush removes them."""
    restore_reference_data()


@pytest.fixture
def browser(monkeypatch):
    """Chromium for one test. Not shared across tests: see the environment variable below."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is not installed: apt-get install chromium (scripts/test installs it)")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in the test thread; Django refuses ORM
    # calls from such a thread unless told it is safe (it is: the loop idles while the test runs).
    # Set only while the browser is open, so it leaks neither into later tests nor subprocesses.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        # While that loop runs, Django keeps database connections per context instead of per
        # thread: close the test's connection here, in its context, or it outlives the test database.
        connections.close_all()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="id-ID", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def screenshot(page):
    """Save a full-page screenshot when E2E_SCREENSHOT_DIR is set (for looking at the layout)."""
    folder = os.environ.get("E2E_SCREENSHOT_DIR")

    def take(name: str) -> None:
        if not folder:
            return
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)
        desktop = page.viewport_size
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(path=str(Path(folder) / f"{name}-phone.png"), full_page=True)
        page.set_viewport_size(desktop)

    return take
