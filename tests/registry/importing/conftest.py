import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages():
    """Messages are asserted on their English msgid; the Indonesian text comes from the .po file."""
    with translation.override("en"):
        yield
