"""Shared by the programme engine's tests: a generated, scored regency and the agency's staff."""

import datetime
from functools import cache

import pytest
from django.db import transaction
from django.utils import translation

from sejahtera.accounts.roles import Role
from sejahtera.demo.synthetic.generator import generate_regency
from sejahtera.demo.synthetic.writer import write_regency
from sejahtera.welfare.scoring import welfare_score

REGENCY = "3201"


@cache
def generated(families: int, seed: int):
    return generate_regency(REGENCY, families=families, seed=seed, reference_date=datetime.date(2025, 6, 30))


def write_scored(families: int, seed: int) -> None:
    write_regency(generated(families, seed))
    welfare_score()


def scored_once_per_module(families: int, seed: int):
    """A module fixture: the regency written and scored once, in a transaction rolled back after the module."""

    @pytest.fixture(scope="module", autouse=True)
    def registry(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock(), transaction.atomic():
            write_scored(families, seed)
            yield
            transaction.set_rollback(True)

    return registry


@pytest.fixture(autouse=True)
def english_messages():
    """The tests match the services' messages in their English source form."""
    with translation.override("en"):
        yield


@pytest.fixture
def officer(make_user):
    return make_user(Role.AGENCY_OFFICER, REGENCY, agency="dinsos", username="officer")


@pytest.fixture
def head(make_user):
    return make_user(Role.AGENCY_HEAD, REGENCY, agency="dinsos", username="head")


@pytest.fixture
def verifier(make_user):
    """A verifier for the whole regency, for the tests that verify everything at once."""
    return make_user(Role.KECAMATAN_VERIFIER, REGENCY, username="verifier")
