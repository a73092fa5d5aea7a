"""Which Biolink associations an edge fits, read from the Biolink model itself (offline).

Reads JSON from standard input: a list of [subject category, predicate, object category]
(Biolink CURIEs). Writes JSON: for each, the association classes that fit it and that no
other fitting class beats, sorted.

A class fits when the edge meets the subject, predicate and object constraints of the
class and of every class and mixin above it (a class may widen a slot its mixin narrows:
``CellLineToDiseaseOrPhenotypicFeatureAssociation`` lets any disease be its subject, while
its mixin keeps it to cell lines; the edge must meet both). A fitting class beats another
when its subject range, object range and predicate constraint are each as narrow or
narrower, and one is strictly narrower.
"""

from __future__ import annotations

import json
import sys

from kgx_offline import configure


def main() -> None:
    configure()
    from bmt import Toolkit

    view = Toolkit().view

    def name(curie: str) -> str:
        local = curie.split(":", 1)[1]
        element = view.get_element(local) or view.get_element(local.replace("_", " "))
        if element is None:
            for cls in view.all_classes().values():
                if cls.name.replace(" ", "").lower() == local.lower():
                    return cls.name
            raise SystemExit(f"biolink_fit: {curie} is not in the model")
        return element.name

    def constraints(cls: str) -> list[tuple[str | None, str | None, str | None]]:
        found = []
        for above in view.class_ancestors(cls, mixins=True):
            slots = view.class_induced_slots(above)
            by_name = {s.name: s for s in slots}
            subject, obj, predicate = (by_name.get(n) for n in ("subject", "object", "predicate"))
            found.append((
                subject.range if subject is not None and view.get_class(subject.range or "") else None,
                obj.range if obj is not None and view.get_class(obj.range or "") else None,
                predicate.subproperty_of if predicate is not None else None,
            ))
        return found

    def narrowest(cls: str) -> tuple[str | None, str | None, str | None]:
        """The narrowest subject, object and predicate constraint over the class's ancestors."""
        best: list[str | None] = [None, None, None]
        for constraint in constraints(cls):
            for i, value in enumerate(constraint):
                if value is None:
                    continue
                ancestors = view.slot_ancestors if i == 2 else view.class_ancestors
                if best[i] is None or best[i] in ancestors(value):
                    best[i] = value
        return best[0], best[1], best[2]

    def depth(term: str | None, slot: bool) -> int:
        if term is None:
            return 0
        return len(view.slot_ancestors(term) if slot else view.class_ancestors(term))

    classes = [
        c for c in view.class_descendants("association")
        if not view.get_class(c).abstract and not view.get_class(c).mixin
    ]
    answers = []
    for subject, predicate, obj in json.load(sys.stdin):
        s, p, o = name(subject), name(predicate), name(obj)
        fitting = {}
        for cls in classes:
            ok = True
            for cs, co, cp in constraints(cls):
                if (cs and cs not in view.class_ancestors(s)) or (co and co not in view.class_ancestors(o)) \
                        or (cp and cp not in view.slot_ancestors(p)):
                    ok = False
                    break
            if ok:
                ns, no, np_ = narrowest(cls)
                fitting[cls] = (depth(ns, False), depth(no, False), depth(np_, True))
        best = [
            c for c, score in fitting.items()
            if not any(all(o2 >= o1 for o1, o2 in zip(score, other)) and other != score
                       for other in fitting.values())
        ]
        answers.append(sorted("biolink:" + view.get_class(c).name.title().replace(" ", "") for c in best))
    json.dump(answers, sys.stdout)


if __name__ == "__main__":
    main()
