"""PEKPPP fixtures: a period whose stages are all open on the frozen day, a ULE of the `world`
unit with an assigned and an unassigned evaluator, and helpers to score and survey."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
import time_machine

# Every test runs on this day unless it travels elsewhere: all stages below are open on it.
TODAY = dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
YEAR = 2026


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(TODAY, tick=False):
        yield


@dataclass
class Pekppp:
    period: object
    ule: object
    other_ule: object
    instrument: object
    indicators: dict


def open_all_stages(period) -> None:
    period.stages.update(starts_on=dt.date(YEAR, 1, 1), ends_on=dt.date(YEAR, 12, 31))


@pytest.fixture
def pekppp(world) -> Pekppp:
    from django.contrib.auth import get_user_model

    from organizations.models import Membership, Role
    from pekppp import services
    from pekppp.models import InstrumentIndicator
    from pekppp.scoring import instrument_for

    User = get_user_model()
    users = world.users
    for name in ("biro", "biro2"):
        user = User.objects.create_user(name, f"{name}@uji.go.id", "pw-uji-123")
        Membership.objects.create(user=user, instansi=world.instansi, role=Role.EVALUATOR_PEKPPP)
        users[f"evaluator_{'assigned' if name == 'biro' else 'unassigned'}"] = user
    operator = users["operator"]
    period = services.create_period(instansi=world.instansi, year=YEAR, by=operator)
    open_all_stages(period)
    ule = services.nominate_ule(
        period=period,
        unit=world.unit,
        scope="administratif",
        service_name="Layanan legalisir",
        never_awarded=True,
        core_business=True,
        represents_scope=True,
        evaluators=[users["evaluator_assigned"]],
        by=operator,
    )
    other_ule = services.nominate_ule(
        period=period,
        unit=world.other_unit,
        scope="jasa",
        service_name="Layanan konsultasi",
        never_awarded=True,
        core_business=True,
        represents_scope=True,
        evaluators=[users["evaluator_assigned"]],
        by=operator,
    )
    indicators = {i.code: i for i in InstrumentIndicator.objects.filter(version=period.instrument)}
    return Pekppp(period, ule, other_ule, instrument_for(period), indicators)


@pytest.fixture
def score_all():
    """score_all(ule, scores: dict or int) -> stores scores through the service."""
    from pekppp import services
    from pekppp.models import InstrumentIndicator

    def _score(ule, scores, by):
        indicators = InstrumentIndicator.objects.filter(version=ule.period.instrument)
        for ind in indicators:
            value = scores if isinstance(scores, int) else scores.get(ind.code)
            if value is not None:
                services.save_f02_score(ule=ule, indicator=ind, score=value, note="", by=by)

    return _score


def f03_answers(instrument, value: int = 4) -> dict[str, str]:
    return {item.code: str(value) for item in instrument.f03_items}


@pytest.fixture
def login(client, world):
    def _login(persona: str):
        client.logout()
        if persona != "anonymous":
            client.force_login(world.users[persona])
        return client

    return _login
