"""The same graph gives the same bytes, across processes and hash seeds, with the project's prefixes."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from bonemet.exports.formats import ALL_FORMATS
from bonemet.serialization import FORMATS

SCRIPT = (
    "import sys, bonemet\n"
    "from bonemet.exports import formats as exports\n"
    "for name, text in sorted(exports.render(bonemet.load_graph(), sys.argv[1]).items()):\n"
    "    sys.stdout.write(name + '\\n' + text)\n"
)


def _export_in_new_process(fmt: str, seed: str) -> bytes:
    env = dict(os.environ, PYTHONHASHSEED=seed)
    return subprocess.run([sys.executable, "-c", SCRIPT, fmt], env=env, check=True, capture_output=True).stdout


@pytest.mark.parametrize("fmt", ALL_FORMATS)
def test_export_is_byte_identical_across_hash_seeds(fmt):
    outputs = {_export_in_new_process(fmt, seed) for seed in ("0", "1", "12345")}
    assert len(outputs) == 1
    assert len(outputs.pop()) > 1000


def test_export_ignores_the_order_triples_were_loaded_in():
    import random

    import bonemet
    from bonemet.namespaces import new_graph

    graph = bonemet.load_graph()
    triples = list(graph)
    random.Random(7).shuffle(triples)
    shuffled = new_graph()
    for triple in triples:
        shuffled.add(triple)
    for fmt in FORMATS:
        assert bonemet.serialize(shuffled, fmt) == bonemet.serialize(graph, fmt), fmt


def test_turtle_uses_the_project_prefixes_and_never_generated_ones():
    import bonemet

    turtle = bonemet.serialize(bonemet.load_graph(), "turtle")
    assert "@prefix bm: <https://w3id.org/bonemet/vocab#> ." in turtle
    assert "ns1:" not in turtle and "@prefix ns" not in turtle
    assert "@prefix brick:" not in turtle  # rdflib's own default prefixes stay out
