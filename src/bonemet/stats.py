"""Counting what the graph holds."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS

from bonemet.namespaces import BM


@dataclass
class Stats:
    triples: int
    entities: int
    per_class: dict[str, int]  # class label -> count of its direct instances
    facts: int
    per_section: list[tuple[int, str, int]]  # (order, section label, facts)


def compute(graph: Graph) -> Stats:
    per_class: Counter[str] = Counter()
    entities: set = set()
    for subject, cls in graph.subject_objects(RDF.type):
        if isinstance(cls, URIRef) and cls.startswith(str(BM)) and isinstance(subject, URIRef):
            per_class[_label(graph, cls)] += 1
            entities.add(subject)
    sections: Counter = Counter()
    facts = 0
    for fact in graph.subjects(RDF.type, BM.Fact):
        facts += 1
        sections[graph.value(fact, BM.inSection)] += 1
    per_section = sorted(
        (_order(graph, section), _label(graph, section) if section is not None else "(no section)", count)
        for section, count in sections.items()
    )
    return Stats(len(graph), len(entities), dict(sorted(per_class.items())), facts, per_section)


def _label(graph: Graph, node) -> str:
    label = graph.value(node, RDFS.label)
    if label is not None:
        return str(label)
    return str(node).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _order(graph: Graph, section) -> int:
    order = graph.value(section, BM.sectionOrder) if section is not None else None
    try:
        return int(order)
    except (TypeError, ValueError):
        return 10**6


def render_stats(stats: Stats) -> str:
    lines = [f"triples   {stats.triples}", f"entities  {stats.entities}", f"facts     {stats.facts}", "", "entities per class:"]
    width = max((len(name) for name in stats.per_class), default=0)
    lines += [f"  {name.ljust(width)}  {count}" for name, count in stats.per_class.items()]
    lines += ["", "facts per section of the source:"]
    width = max((len(name) for _o, name, _c in stats.per_section), default=0)
    lines += [f"  {name.ljust(width)}  {count}" for _o, name, count in stats.per_section]
    return "\n".join(lines) + "\n"
