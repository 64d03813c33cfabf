"""Shared test set-up: Hypothesis profiles and a few builders."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

from govflow import Kind, Registry

from .helpers import LIFECYCLE, make

settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=60, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


@pytest.fixture
def registry() -> Registry:
    """A registry on the partnership lifecycle holding body ``b``, just proposed."""
    reg = Registry(LIFECYCLE)
    reg.apply(make("p", Kind.PROPOSE, "LGA", 0))
    return reg
