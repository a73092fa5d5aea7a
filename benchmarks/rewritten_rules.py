"""The rules of ontology/rules.ttl with their EXISTS tests rewritten as OPTIONAL joins:
a measuring aid for benchmarks/scale.py, not part of bonemet.

On the synthetic corpus, where every document restates the same sites and cancers,
the site rule's solutions grow as (records of "cancer spreads to bone") x (records of
"bone metastasis occurs at site"), and Oxigraph evaluates the rule's
``BIND (IF(EXISTS { ... UNION ... }))`` and ``FILTER NOT EXISTS`` once per solution,
each time over a pattern that grows with the graph: 1.4 s at 10k triples, 97 s at 30k.
The same rules written with OPTIONAL and BOUND give the same triples (``check`` below
compares them) in a fraction of the time, which lets the steps after the derivation
(validation's other stages, the named questions) be measured at 1M triples.

    from rewritten_rules import patch; patch()   # bonemet.derivation.rules() now gives these
"""

from __future__ import annotations

import re

SITE_EXISTS = re.compile(r"BIND \(IF\(EXISTS \{.*?\}, bm:modality-may, bm:modality-can\) AS \?strength\)", re.S)
NOT_STATED = re.compile(r"FILTER NOT EXISTS \{\s*\?stated a bm:Fact ; rdf:subject \?(\w+) ; rdf:predicate (bm:\w+) ; rdf:object \?(\w+) \.\s*\}", re.S)

SITE_STRENGTH = """OPTIONAL { ?mayBone a bm:Fact ; bm:modality bm:modality-may ;
                    rdf:subject ?cancer ; rdf:predicate bm:metastasizesTo ; rdf:object bmr:bone . }
            OPTIONAL { ?maySite a bm:Fact ; bm:modality bm:modality-may ;
                    rdf:subject bmr:bone-metastasis ; rdf:predicate bm:hasLocation ; rdf:object ?site . }
            BIND (IF(BOUND(?mayBone) || BOUND(?maySite), bm:modality-may, bm:modality-can) AS ?strength)"""
SIGN_STRENGTH = """OPTIONAL { ?mayPremise a bm:Fact ; bm:modality bm:modality-may ;
                    rdf:subject ?condition ; rdf:predicate bm:hasSignOrSymptom ; rdf:object ?sign . }
            BIND (IF(BOUND(?mayPremise), bm:modality-may, bm:modality-can) AS ?strength)"""


def _not_stated(match: re.Match) -> str:
    s, p, o = match.groups()
    return (f"OPTIONAL {{ ?stated a bm:Fact ; rdf:subject ?{s} ; rdf:predicate {p} ; rdf:object ?{o} . }}\n"
            f"            FILTER (!BOUND(?stated))")


def rewrite(query: str) -> str:
    out, n = NOT_STATED.subn(_not_stated, query)
    assert n == 1, "a rule without its FILTER NOT EXISTS: ontology/rules.ttl changed"
    out, n = SITE_EXISTS.subn(lambda _m: SITE_STRENGTH if "bmr:bone-metastasis ; rdf:predicate bm:hasLocation" in query else SIGN_STRENGTH, out)
    assert n == 1, "a rule without its BIND (IF(EXISTS ...)): ontology/rules.ttl changed"
    return out


def rewritten_rules():
    from bonemet import derivation

    return tuple(derivation.Rule(r.iri, r.order, rewrite(r.query)) for r in _stock())


_stock = None


def patch() -> None:
    """Make bonemet.derivation.rules() give the rewritten rules in this process."""
    global _stock
    from bonemet import derivation

    if _stock is None:
        _stock = derivation.rules
    derivation.rules = rewritten_rules


def check(files) -> tuple[int, float, float]:
    """(derived triples, stock seconds, rewritten seconds) on ``files``; raises if they differ."""
    import time

    import pyoxigraph

    from bonemet import derivation, paths
    from bonemet.namespaces import VOCABULARY_IRI
    from bonemet.store import store_from_files

    store = store_from_files([paths.vocabulary_file(), *files])
    this = {pyoxigraph.Variable("this"): pyoxigraph.NamedNode(VOCABULARY_IRI)}
    stock = derivation.rules() if _stock is None else _stock()
    results, seconds = [], []
    for rules in (stock, tuple(derivation.Rule(r.iri, r.order, rewrite(r.query)) for r in stock)):
        start = time.perf_counter()
        results.append({(str(t.subject), str(t.predicate), str(t.object)) for rule in rules
                        for t in store.query(rule.query, substitutions=this)})
        seconds.append(time.perf_counter() - start)
    if results[0] != results[1]:
        raise AssertionError(f"rewritten rules differ: {len(results[0] - results[1])} missing, {len(results[1] - results[0])} extra")
    return len(results[0]), seconds[0], seconds[1]


if __name__ == "__main__":
    import sys

    print(check(sys.argv[1:]))
