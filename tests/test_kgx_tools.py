"""The KGX export read by the field's own tools: kgx and the Biolink model (bmt).

kgx is run through ``tests/tools/kgx_offline.py``, which points it at the Biolink model
that the pinned ``biolink-model`` wheel ships and refuses every network connection.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bonemet.exports import kgx
from bonemet.graph import load_graph

pytestmark = pytest.mark.slow

TOOLS = Path(__file__).parent / "tools"
KGX = [sys.executable, str(TOOLS / "kgx_offline.py")]
BMR = "https://w3id.org/bonemet/id/"


def run_kgx(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*KGX, *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def graph():
    return load_graph()


@pytest.fixture(scope="module")
def exports(graph, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("kgx")
    for fmt in ("tsv", "jsonl"):
        for name, text in kgx.render_kgx(graph, fmt).items():
            (folder / name).write_text(text, encoding="utf-8")
    return folder


def files(folder: Path, fmt: str, stem: str = "bonemet") -> list[Path]:
    return [folder / f"{stem}_nodes.{fmt}", folder / f"{stem}_edges.{fmt}"]


def report(stderr: str) -> dict:
    """The JSON report of ``kgx validate``: kgx 2.6 writes it to standard error (its
    ``-o`` file stays empty), among its log lines."""
    start = 0 if stderr.startswith("{") else stderr.index("\n{") + 1
    found, _ = json.JSONDecoder().raw_decode(stderr, start)
    return found


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# --- kgx validate ----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["tsv", "jsonl"])
def test_kgx_validate_reports_nothing(exports, fmt, tmp_path):
    done = run_kgx("validate", "-i", fmt, *files(exports, fmt), cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    assert report(done.stderr) == {}


def test_kgx_validate_catches_a_prefix_biolink_does_not_know(exports, tmp_path):
    # The same check fails when a node keeps a bonemet CURIE: the test can fail.
    for path in files(exports, "tsv"):
        text = path.read_text(encoding="utf-8").replace("NCIT:C3580", "bmr:bone-metastasis")
        (tmp_path / path.name).write_text(text, encoding="utf-8")
    done = run_kgx("validate", "-i", "tsv", *files(tmp_path, "tsv"), cwd=tmp_path)
    assert done.returncode == 1
    errors = report(done.stderr)["ERROR"]
    assert any("'bmr'" in message for kind in errors.values() for message in kind)


# --- kgx transform ---------------------------------------------------------------------


# kgx builds its graph keyed by subject, predicate and object unless it streams, so two
# fact records that state one triple (bone metastasis is located in bone: "occurs when
# cancer cells spread ... to a bone" and "can occur in any bone") become one edge with a
# mix of their columns. With --stream each record passes through whole.
MODES = {"graph": (), "stream": ("--stream",)}


@pytest.mark.parametrize("mode", sorted(MODES))
def test_tsv_to_jsonl_to_ntriples_keeps_every_iri(exports, tmp_path, mode):
    done = run_kgx("transform", *MODES[mode], "-i", "tsv", "-f", "jsonl", "-o", tmp_path / "step",
                   *files(exports, "tsv"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    done = run_kgx("transform", *MODES[mode], "-i", "jsonl", "-f", "nt", "-o", tmp_path / "graph.nt",
                   *files(tmp_path, "jsonl", "step"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    text = (tmp_path / "graph.nt").read_text(encoding="ascii")
    assert "UNKNOWN" not in text

    from rdflib import Graph, URIRef

    written = Graph().parse(data=text, format="nt")
    biolink = "https://w3id.org/biolink/vocab/"
    obo = "http://purl.obolibrary.org/obo/"
    # read from the page: bone pain is a sign of bone metastasis; hypercalcemia can cause
    # confusion; breast cancer is among the cancers most likely to spread to bone
    for subject, predicate, obj in [
        ("NCIT_C3580", "has_phenotype", "HP_0002653"),
        ("HP_0003072", "causes", "HP_0001289"),
        ("MONDO_0007254", "associated_with_increased_likelihood_of", "NCIT_C3580"),
    ]:
        assert (URIRef(obo + subject), URIRef(biolink + predicate), URIRef(obo + obj)) in written
    # each reified edge is the fact record of bonemet's own RDF, with its quote
    fact = URIRef(BMR + "fact-bone-metastasis-causes-pain")
    quotes = {str(o) for o in written.objects(fact, URIRef(biolink + "supporting_text"))}
    assert quotes == {"Bone metastasis can cause pain and broken bones."}


@pytest.mark.parametrize("mode", sorted(MODES))
def test_tsv_to_parquet_succeeds_with_list_columns(exports, tmp_path, mode):
    done = run_kgx("transform", *MODES[mode], "-i", "tsv", "-f", "parquet", "-o", tmp_path / "graph",
                   *files(exports, "tsv"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    import pyarrow.parquet as parquet

    edges = parquet.read_table(tmp_path / "graph_edges.parquet")
    nodes = parquet.read_table(tmp_path / "graph_nodes.parquet")
    if mode == "stream":
        assert edges.num_rows == len(kgx.kgx_tables(load_graph())[1])
    for column in kgx.EDGE_LIST_COLUMNS:
        assert str(edges.schema.field(column).type).startswith("list"), column
    for column in kgx.NODE_LIST_COLUMNS & set(nodes.schema.names):
        assert str(nodes.schema.field(column).type).startswith("list"), column
    values = " ".join(str(v) for column in edges.to_pydict().values() for v in column)
    assert "UNKNOWN" not in values


def test_kgx_reads_the_tsv_and_the_jsonl_as_the_same_records(exports, tmp_path):
    # A list is a list in both: kgx splits a TSV cell on "|" for Biolink's multivalued
    # slots, and every list column is one. Streamed, every record arrives as written.
    read = {}
    for fmt in ("tsv", "jsonl"):
        done = run_kgx("transform", "--stream", "-i", fmt, "-f", "jsonl", "-o", tmp_path / fmt,
                       *files(exports, fmt), cwd=tmp_path)
        assert done.returncode == 0, done.stderr[-3000:]
        read[fmt] = [
            [{k: v for k, v in row.items() if k != "knowledge_source"} for row in read_jsonl(path)]
            for path in files(tmp_path, "jsonl", fmt)
        ]
        for rows in read[fmt]:
            rows.sort(key=lambda row: row["id"])
    assert read["tsv"] == read["jsonl"]
    nodes, edges = kgx.kgx_tables(load_graph())
    assert read["jsonl"] == [nodes, edges]


# --- the Biolink model ------------------------------------------------------------------


def test_each_edge_category_is_the_most_specific_association_biolink_offers(graph):
    nodes, edges = kgx.kgx_tables(graph)
    category = {node["id"]: node["category"] for node in nodes}
    combos = sorted({
        (category[e["subject"]][0], e["predicate"], category[e["object"]][0], e["category"][0])
        for e in edges
    })
    assert all(len(category[n]) == 1 for n in category)
    question = json.dumps([list(c[:3]) for c in combos])
    done = subprocess.run(
        [sys.executable, str(TOOLS / "biolink_fit.py")],
        input=question, capture_output=True, text=True, timeout=300, cwd=TOOLS,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    best = json.loads(done.stdout)
    for combo, found in zip(combos, best):
        assert found == [combo[3]], (combo, found)


def test_the_launcher_refuses_the_network():
    code = (
        "import sys; sys.path.insert(0, %r); import kgx_offline; kgx_offline.configure();"
        "import urllib.request; urllib.request.urlopen('https://raw.githubusercontent.com/', timeout=5)"
    ) % str(TOOLS)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "network access is switched off" in done.stderr
