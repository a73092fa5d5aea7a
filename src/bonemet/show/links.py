"""Where things live on the site, and where each outside identifier can be read.

Every ``https://w3id.org/bonemet/id/NAME`` resource has its page at ``id/NAME.html`` and
its RDF at ``id/NAME.ttl`` and ``id/NAME.jsonld``; the vocabulary is ``vocab.html`` (and
``vocab.ttl``). Paths are relative, so the site works from ``file://`` and from any
folder of any static host.
"""

from __future__ import annotations

from urllib.parse import quote

from rdflib import URIRef

from bonemet.namespaces import BM, BMR, ICD10, MESH, OBO

#: The site's own pages, relative to its root.
HOME = "index.html"
SOURCE = "source.html"
QUESTIONS = "questions/index.html"
VOCABULARY = "vocab.html"
PICTURE = "picture.html"
DOWNLOADS = "downloads.html"


def local_name(term: URIRef) -> str | None:
    """``bone-pain`` for ``bmr:bone-pain``; None for an IRI outside the project's id space."""
    iri = str(term)
    if iri.startswith(str(BMR)) and len(iri) > len(str(BMR)):
        return iri[len(str(BMR)) :]
    return None


def page_of(term: URIRef, *, kind: str = "html") -> str | None:
    """The site path of a project resource (``id/bone-pain.html``), or of a vocabulary term
    (``vocab.html#metastasizesTo``); None for anything else."""
    name = local_name(term)
    if name is not None:
        return f"id/{quote(name, safe='-._~')}.{kind}"
    iri = str(term)
    if iri.startswith(str(BM)) and kind == "html":
        return f"{VOCABULARY}#{quote(iri[len(str(BM)):], safe='-._~')}"
    return None


def question_page(name: str) -> str:
    return f"questions/{quote(name, safe='-._~')}.html"


def relative(path: str, here: str) -> str:
    """``path`` (relative to the site root) as a link from the page at ``here``."""
    depth = here.count("/")
    return "../" * depth + path


def outside_page(term: URIRef) -> tuple[str, str] | None:
    """(CURIE, URL of the page that shows it) for an outside identifier: the OBO PURL for the
    OBO ontologies (HP, UBERON, MONDO, DOID), the NCI Thesaurus browser for NCIt, the MeSH
    browser for MeSH and the WHO ICD-10 browser for ICD-10."""
    iri = str(term)
    if iri.startswith(str(OBO)):
        local = iri[len(str(OBO)) :]
        prefix, _, code = local.partition("_")
        if not code:
            return None
        if prefix == "NCIT":
            return f"NCIT:{code}", (
                "https://ncit.nci.nih.gov/ncitbrowser/ConceptReport.jsp"
                f"?dictionary=NCI_Thesaurus&code={quote(code)}"
            )
        return f"{prefix}:{code}", iri
    if iri.startswith(str(MESH)):
        code = iri[len(str(MESH)) :]
        return f"MESH:{code}", f"https://meshb.nlm.nih.gov/record/ui?ui={quote(code)}"
    if iri.startswith(str(ICD10)):
        code = iri[len(str(ICD10)) :]
        return f"ICD10:{code}", iri  # the namespace is the WHO browser's own address
    return None
