"""Every export format, each as the files it writes (name -> content).

RDF formats hold the vocabulary and the data together, or one part (``only``);
schema.org, KGX and VoID describe the whole graph.
"""

from __future__ import annotations

from pathlib import Path

from typing import TYPE_CHECKING

from bonemet import progress
from bonemet import syntaxes
from bonemet.errors import UsageError

if TYPE_CHECKING:
    from rdflib import Graph

RDF_FORMATS = syntaxes.FORMATS
OTHER_FORMATS = ("schemaorg", "kgx", "kgx-jsonl", "sssom", "void")
ALL_FORMATS = RDF_FORMATS + OTHER_FORMATS
PARTS = ("data", "ontology", "shapes", "derived")


def load_part(only: str | None) -> Graph:
    """The graph an RDF export holds: vocabulary and data, or one part."""
    from bonemet import graph, paths

    if only is None:
        return graph.load_graph()
    if only == "data":
        return graph.load_data()
    if only == "ontology":
        return graph.load_vocabulary()
    if only == "shapes":
        return graph.load_files([paths.shapes_file()])
    if only == "derived":
        from bonemet.derivation import layer_of

        return layer_of(graph.load_graph())
    raise UsageError(f"--only {only!r} is not a part of the graph", f"use --only {' | '.join(PARTS)}")


def render(graph: Graph, fmt: str) -> dict[str, str]:
    """The files ``fmt`` writes for ``graph``: file name -> text."""
    progress.step(f"writing {fmt}")
    if fmt in RDF_FORMATS:
        from bonemet.serialization import serialize

        return {f"bonemet{syntaxes.SUFFIXES[fmt]}": serialize(graph, fmt)}
    if fmt == "schemaorg":
        from bonemet.exports.schemaorg import render_schemaorg

        return {"bonemet.schemaorg.jsonld": render_schemaorg(graph)}
    if fmt in ("kgx", "kgx-jsonl"):
        from bonemet.exports.kgx import render_kgx

        return render_kgx(graph, "tsv" if fmt == "kgx" else "jsonl")
    if fmt == "sssom":
        from bonemet.exports.sssom import render_sssom

        return {"bonemet.sssom.tsv": render_sssom(graph)}
    if fmt == "void":
        others = {}
        for other in ALL_FORMATS:
            if other != "void":
                others.update(render(graph, other))
        return {"bonemet.void.ttl": render_void(graph, others)}
    raise UsageError(f"unknown export format {fmt!r}", f"use one of {', '.join(ALL_FORMATS)}")


def render_void(graph: Graph, files: dict[str, str]) -> str:
    from bonemet.exports.void import describe

    return describe(graph, {name: text.encode("utf-8") for name, text in files.items()}).serialize(format="turtle")


def render_all(graph: Graph) -> dict[str, str]:
    """Every export of ``graph``, the VoID description of the others last."""
    files: dict[str, str] = {}
    for fmt in ALL_FORMATS:
        if fmt != "void":
            files.update(render(graph, fmt))
    files["bonemet.void.ttl"] = render_void(graph, files)
    return files


def write(files: dict[str, str], folder: Path | str) -> list[Path]:
    """Write each file whole into ``folder``."""
    from bonemet.files import write_atomic

    return [write_atomic(Path(folder) / name, text) for name, text in files.items()]


def check_only(fmt: str, only: str | None) -> None:
    if only is not None and fmt not in RDF_FORMATS:
        raise UsageError(f"--only applies to the RDF formats, not to {fmt}", f"drop --only, or use --format {' | '.join(RDF_FORMATS)}")
