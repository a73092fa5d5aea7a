"""The names of the RDF syntaxes bonemet writes, their file suffixes and media types.

Kept apart from the writers (``serialization``) so that the command line can offer
them without loading rdflib.
"""

from __future__ import annotations

FORMATS = ("turtle", "ntriples", "jsonld", "rdfxml", "trig")
SUFFIXES = {"turtle": ".ttl", "ntriples": ".nt", "jsonld": ".jsonld", "rdfxml": ".rdf", "trig": ".trig"}
MEDIA_TYPES = {
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
    "trig": "application/trig",
}
