"""The SSSOM export: one mapping row per cross-link, read by sssom-py's own validator."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.namespace import RDF, SKOS

from bonemet.exports.sssom import MAPPING_PREDICATES, render_sssom
from bonemet.graph import load_graph
from bonemet.namespaces import BM

SSSOM = shutil.which("sssom", path=str(Path(sys.executable).parent))


@pytest.fixture(scope="module")
def graph():
    return load_graph()


@pytest.fixture(scope="module")
def rows(graph):
    lines = [line for line in render_sssom(graph).splitlines() if not line.startswith("#")]
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"))) for line in lines[1:]]


def test_one_row_per_cross_link_with_its_predicate(graph, rows):
    links = [r for r in graph.subjects(RDF.type, BM.CuratorLink) if graph.value(r, RDF.predicate) in MAPPING_PREDICATES]
    assert len(rows) == len(links) > 0
    # hierarchy links (skos:broader) are no mappings between vocabularies
    assert not any(row["predicate_id"] == "skos:broader" for row in rows)
    bone_pain = next(row for row in rows if row["subject_id"] == "bmr:bone-pain" and row["object_id"] == "HP:0002653")
    assert bone_pain["predicate_id"] == "skos:exactMatch"  # the crosswalk: HP:0002653 "Bone pain", exact
    assert bone_pain["mapping_justification"] == "semapv:ManualMappingCuration"
    assert bone_pain["comment"]  # where the curator saw the identifier beside its label
    assert (URIRef("https://w3id.org/bonemet/id/bone-pain"), SKOS.exactMatch, URIRef("http://purl.obolibrary.org/obo/HP_0002653")) in graph


def test_the_mapping_set_carries_the_licence(graph):
    assert "# license: https://creativecommons.org/licenses/by/4.0/" in render_sssom(graph).splitlines()


@pytest.mark.skipif(SSSOM is None, reason="sssom-py is not installed (make test installs it)")
def test_sssom_validate_passes_the_export_and_fails_a_broken_one(graph, tmp_path):
    good = tmp_path / "bonemet.sssom.tsv"
    good.write_text(render_sssom(graph), encoding="utf-8")
    done = subprocess.run([SSSOM, "validate", str(good)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    broken = tmp_path / "broken.sssom.tsv"
    broken.write_text(render_sssom(graph).replace("semapv:ManualMappingCuration", "by-hand"), encoding="utf-8")
    assert subprocess.run([SSSOM, "validate", str(broken)], capture_output=True, text=True, timeout=300).returncode != 0
