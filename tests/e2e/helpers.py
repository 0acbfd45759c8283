"""Steps the browser tests share."""

from playwright.sync_api import expect

PASSWORD = "rahasia-uji-123"  # the password tests/conftest.py's make_user gives


def log_in(page, username: str) -> None:
    page.goto("/login/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", name="Keluarga", exact=True)).to_be_visible()
