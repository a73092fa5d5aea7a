"""Which shapes select no focus node at all.

pySHACL reports "conforms" for a shape whose target matched nothing; bonemet
treats that as a failure, because a pass that evaluated nothing is not a pass.
This module counts, for every shape that has a target, whether the data holds
at least one node it targets.
"""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import Graph
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

TARGETS = (SH.targetNode, SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf)


def targeted_shapes(shapes: Graph) -> list[Node]:
    """Every shape that declares a target, in a stable order."""
    return sorted({s for predicate in TARGETS for s in shapes.subjects(predicate, None)}, key=str)


def selects_something(shape: Node, shapes: Graph, data: Graph) -> bool:
    return any(True for _ in focus_nodes(shape, shapes, data))


def empty_shapes(shapes: Graph, data: Graph) -> list[Node]:
    """The targeted shapes that select no focus node in ``data``."""
    return [shape for shape in targeted_shapes(shapes) if not selects_something(shape, shapes, data)]


def focus_nodes(shape: Node, shapes: Graph, data: Graph) -> Iterator[Node]:
    """The nodes the targets of ``shape`` select in ``data`` (a node may come more than once)."""
    for node in shapes.objects(shape, SH.targetNode):
        if (node, None, None) in data or (None, None, node) in data:
            yield node
    for cls in shapes.objects(shape, SH.targetClass):
        for sub in _subclasses(cls, data):
            yield from data.subjects(RDF.type, sub)
    for predicate in shapes.objects(shape, SH.targetSubjectsOf):
        yield from (s for s, _o in data.subject_objects(predicate))
    for predicate in shapes.objects(shape, SH.targetObjectsOf):
        yield from (o for _s, o in data.subject_objects(predicate))


def _subclasses(cls: Node, data: Graph) -> set[Node]:
    found, todo = {cls}, [cls]
    while todo:
        for sub in data.subjects(RDFS.subClassOf, todo.pop()):
            if sub not in found:
                found.add(sub)
                todo.append(sub)
    return found
