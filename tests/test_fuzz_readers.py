"""Fuzzed inputs of every format: no traceback, only Articles and short ReadErrors (tests/fuzzing.py).

Derandomized, so the same inputs run every time; bench/bench_fuzz.py runs many more.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzzing import SEEDS, check, mutate

FORMATS = sorted(SEEDS)


@pytest.mark.parametrize("seed_name", FORMATS)
def test_seeds_are_read_as_articles(seed_name: str) -> None:
    name, data = SEEDS[seed_name]
    outcome = check(name, data)
    assert outcome.articles >= 1, seed_name


@settings(
    max_examples=120,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(seed_name=st.sampled_from(FORMATS), mutation_seed=st.integers(0, 2**32 - 1))
def test_mutated_inputs_never_break_the_readers(seed_name: str, mutation_seed: int) -> None:
    name, data = SEEDS[seed_name]
    others = [d for _, d in SEEDS.values()]
    check(name, mutate(data, random.Random(mutation_seed), others=others))


@settings(max_examples=40, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=3000), seed_name=st.sampled_from(FORMATS))
def test_arbitrary_bytes_under_any_name_never_break_the_readers(data: bytes, seed_name: str) -> None:
    name, _ = SEEDS[seed_name]
    check(name, data)
