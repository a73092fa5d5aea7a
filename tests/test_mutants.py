"""The mutation-testing harness (benchmarks/mutants.py) on a small fixed sample.

The full run (``make mutants``) validates several hundred mutants; here three of each
class, with a fixed seed, keep the suite fast. The harness must generate real and
distinct mutants, deterministically, and validation must kill every mutant of the
meaning-changing classes.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from rdflib.compare import isomorphic

SEED = 1
PER_CLASS = 3
HARNESS = Path(__file__).resolve().parents[1] / "benchmarks" / "mutants.py"


def _load_harness():
    name = "bonemet_mutants_harness"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, HARNESS)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


mutants = _load_harness()


@pytest.fixture(scope="module")
def corpus():
    return mutants.load_corpus()


@pytest.fixture(scope="module")
def sample(corpus):
    return mutants.generate(corpus, per_class=PER_CLASS, seed=SEED)


def test_registry_marks_the_meaning_changing_classes():
    for name, (function, meaning) in mutants.REGISTRY.items():
        assert callable(function), name
        assert meaning == (name not in {"deletion", "literal-edit"}), name


def test_every_class_yields_mutants(sample):
    counts = {name: sum(m.cls == name for m in sample) for name in mutants.REGISTRY}
    assert all(n >= 1 for n in counts.values()), counts
    assert all(n <= PER_CLASS for n in counts.values()), counts


def test_mutants_really_change_the_graph(corpus, sample):
    original = corpus.mutated_union(mutants.Mutant("none", "", (), ()))
    assert set(original) == set(corpus.union)
    for mutant in sample:
        assert corpus.effect(mutant) is not None, mutant.description
        assert not isomorphic(corpus.mutated_union(mutant), original), mutant.description


def test_mutants_are_distinct(corpus, sample):
    effects = [corpus.effect(m) for m in sample]
    assert len(set(effects)) == len(effects)
    descriptions = [(m.cls, m.description) for m in sample]
    assert len(set(descriptions)) == len(descriptions)


def test_generation_is_deterministic(corpus, sample):
    again = mutants.generate(corpus, per_class=PER_CLASS, seed=SEED)
    assert again == sample
    other = mutants.generate(corpus, per_class=PER_CLASS, seed=SEED + 1)
    assert other != sample
    # a class's mutants do not depend on which other classes are chosen
    alone = mutants.generate(corpus, ["object-swapped"], per_class=PER_CLASS, seed=SEED)
    assert alone == [m for m in sample if m.cls == "object-swapped"]


def test_baseline_conforms(corpus):
    mutants.check_baseline(corpus)  # raises HarnessError when the unmutated data fails


def test_meaning_changing_mutants_are_killed(corpus, sample):
    meaning = [m for m in sample if mutants.REGISTRY[m.cls][1]]
    assert meaning
    results = mutants.run(corpus, meaning)
    survivors = [f"[{r.mutant.cls}] {r.mutant.description}" for r in results if not r.killed]
    assert not survivors, "mutants that change a claim passed validation:\n" + "\n".join(survivors)
    for r in results:
        assert r.shapes, r.mutant.description  # killed by a Violation, and the harness names its shape
