"""The static site: every page of the graph as files, ready for ``file://`` or any static host.

:func:`render_site` returns the files (site path -> text or bytes); :func:`write_site`
writes them whole into a folder. The pages request nothing from another host: no CDN, no
web fonts, no analytics; the one script (a filter box on the home page) only narrows a
list. The same graph gives byte-identical files.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS

from bonemet import paths
from bonemet.errors import InputError, OutputError
from bonemet.namespaces import BM, new_graph
from bonemet.show import content as reading
from bonemet.show import links, picture

TEMPLATES = paths.site_templates_dir()
#: Files copied into the site as they are.
ASSETS = ("style.css", "filter.js")
#: How the site names the groups of entities on its home page, by class.
GROUPS: tuple[tuple[URIRef, str], ...] = (
    (BM.Condition, "Conditions"),
    (BM.CancerType, "Cancers"),
    (BM.AnatomicalSite, "Sites"),
    (BM.SignOrSymptom, "Signs and symptoms"),
    (BM.TreatmentGoal, "Treatment goals"),
    (BM.Prognosis, "Prognosis"),
    (BM.PresentationTiming, "Timing"),
    (BM.ClinicalPresentation, "How it presents"),
    (BM.MechanismStep, "How it comes about"),
    (BM.OpenQuestion, "Open questions"),
    (BM.Advice, "Advice"),
)


def render_site(graph: Graph, exports: dict[str, str] | None = None, checks=None) -> dict[str, str | bytes]:
    """Every file of the site for ``graph`` (with its derived layer): site path -> content.

    ``exports`` (file name -> text, as the exports write them) are offered for download,
    and ``checks`` (the named questions checked, as :func:`~bonemet.sparql.questions.check_all`
    gives them) make the question pages; None computes either here.
    """
    text = _source_text(graph)
    found = reading.read(graph, text)
    environment = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
    )
    files: dict[str, str | bytes] = {name: (TEMPLATES / name).read_text(encoding="utf-8") for name in ASSETS}

    def page(template: str, path: str, **values) -> None:
        root = "../" * path.count("/")
        files[path] = environment.get_template(template).render(root=root, **values)

    svg = picture.render_svg(graph)
    page("index.html", links.HOME, title="Home", glance=reading.condition_at_a_glance(graph),
         counts=_counts(graph, found), groups=_groups(graph, found), svg_caption="A picture of the graph")
    for resource in found.resources:
        page("resource.html", resource.page, title=resource.label, r=resource)
        description = _description(graph, resource.iri)
        files[f"id/{resource.name}.ttl"] = description.serialize(format="turtle")
        files[f"id/{resource.name}.jsonld"] = _jsonld(description)
    page("source.html", links.SOURCE, title="The source page", body=_source_body(found),
         references=found.references, cited=sum(1 for u in found.units if u.citing), total=len(found.units))
    if checks is None:
        from bonemet.sparql.questions import check_all

        checks = check_all(graph)
    _questions(graph, page, checks)
    page("picture.html", links.PICTURE, title="A picture of the graph", svg=Markup(svg))
    files["graph.svg"] = svg
    from bonemet.graph import load_vocabulary

    vocabulary = load_vocabulary()
    files[links.VOCABULARY] = vocabulary_html(vocabulary)
    files["vocab.ttl"] = vocabulary.serialize(format="turtle")
    files["vocab.jsonld"] = _jsonld(vocabulary)
    if exports is None:
        from bonemet.exports.formats import render_all

        exports = render_all(graph)
    rows = []
    for name, data in sorted(exports.items()):
        raw = data.encode("utf-8") if isinstance(data, str) else data
        files[f"downloads/{name}"] = raw
        rows.append((name, len(raw), hashlib.sha256(raw).hexdigest()))
    page("downloads.html", links.DOWNLOADS, title="Downloads", files=rows)
    return dict(sorted(files.items()))


def write_site(files: dict[str, str | bytes], folder: Path | str) -> list[Path]:
    """Write the site's files under ``folder`` (created if missing), each file whole."""
    from bonemet.files import write_atomic

    folder = Path(folder)
    written = []
    for name, data in files.items():
        target = folder / name
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise OutputError(f"cannot create the folder {target.parent} ({err.strerror})", "choose a folder you can write in with -o") from None
        written.append(write_atomic(target, data))
    return written


# --- pieces ----------------------------------------------------------------------------


def _source_text(graph: Graph) -> str:
    for document in graph.subjects(RDF.type, BM.SourceDocument):
        copy = graph.value(document, BM.localCopy)
        if copy is not None:
            found = paths.local_copy(str(copy))
            if found is not None:
                return found.read_text(encoding="utf-8")
    path = paths.source_text_file()
    if not path.is_file():
        raise InputError("the source page's text is not found", "keep data/source/bone-metastasis.txt beside the data")
    return path.read_text(encoding="utf-8")


def _counts(graph: Graph, found: reading.Content) -> list[tuple[str, int]]:
    entities = [r for r in found.resources if r.kind == "entity"]
    kinds = Counter(s.kind for s in found.statements.values())
    return [
        ("Triples", len(graph)),
        ("Entities", len(entities)),
        ("Facts read from the page", kinds["fact"]),
        ("Derived rows (with their proof)", kinds["derived"]),
        ("Curator links (hierarchy and cross-links)", kinds["curator"]),
        ("Sentences and list items of the page", len(found.units)),
        ("... of which a fact cites", sum(1 for u in found.units if u.citing)),
        ("References of the page", len(found.references)),
    ]


def _groups(graph: Graph, found: reading.Content) -> list[tuple[str, list[reading.Link]]]:
    groups = []
    for cls, name in GROUPS:
        members = sorted(
            (reading.Link(r.label, r.page) for r in found.resources if r.kind == "entity" and (r.iri, RDF.type, cls) in graph),
            key=lambda link: link.text,
        )
        if members:
            groups.append((name, members))
    shown = {link.href for _, members in groups for link in members}
    rest = sorted((reading.Link(r.label, r.page) for r in found.resources if r.kind == "entity" and r.page not in shown), key=lambda l: l.text)
    if rest:
        groups.append(("Other entities", rest))
    records = sorted((reading.Link(r.label, r.page) for r in found.resources if r.kind != "entity"), key=lambda l: l.text)
    groups.append(("Records, sections, sentences and references", records))
    return groups


def _source_body(found: reading.Content) -> Markup:
    """The page's text, each unit marked (cited) or set apart (not cited), in page order."""
    text = found.text
    out: list[str] = []
    at = 0
    for unit in found.units:
        if unit.start < at:
            continue  # validation refuses overlapping units; never mark a character twice
        out.append(str(escape(text[at : unit.start])))
        words = escape(text[unit.start : unit.end])
        if unit.citing:
            cites = " ".join(
                f'<a href="{escape(s.page)}" title="{escape(s.label)}">[{i}]</a>'
                for i, s in enumerate(unit.citing, start=1)
            )
            out.append(f'<mark id="{escape(unit.anchor)}">{words}</mark><span class="cites"><span class="visually-hidden">facts citing this: </span>{cites}</span>')
        else:
            out.append(f'<span id="{escape(unit.anchor)}" class="uncited" title="no fact cites this">{words}</span>')
        at = unit.end
    out.append(str(escape(text[at:])))
    return Markup("".join(out))


def _questions(graph: Graph, page, checks) -> None:
    from bonemet.sparql.results import describe_row

    items = []
    for check in checks:
        question, answer = check.question, check.answer
        if check.error:
            problem = check.error
        elif not check.passed:
            difference = check.difference
            problem = "; ".join([f"missing {describe_row(r)}" for r in difference.missing] + [f"extra {describe_row(r)}" for r in difference.extra])
        else:
            problem = ""
        rows = [
            [reading.link_to(graph, row[v]) if v in row else None for v in answer.variables]
            for row in answer.rows
        ] if answer is not None else []
        rows.sort(key=lambda cells: [c.text if c else "" for c in cells])
        boolean = answer.boolean if answer is not None else None
        item = {
            "name": question.name, "question": question.question or question.name, "row": question.row,
            "example": list(question.example), "text": question.text,
            "variables": answer.variables if answer is not None else [], "rows": rows,
            "boolean": boolean, "passed": check.passed, "problem": problem,
            "count": len(rows) if boolean is None else ("yes" if boolean else "no"),
            "page": f"{question.name}.html",
        }
        items.append(item)
        page("question.html", links.question_page(question.name), title=item["question"], q=item)
    page("questions.html", links.QUESTIONS, title="Questions", items=items, passed=sum(i["passed"] for i in items))


def _description(graph: Graph, term: URIRef) -> Graph:
    """What an RDF client gets for ``term``: every triple with it as subject or object,
    and the triples of its own selectors (for a unit of the page)."""
    out = new_graph()
    for triple in graph.triples((term, None, None)):
        out.add(triple)
        if triple[1] == reading.OA.hasSelector:
            for inner in graph.triples((triple[2], None, None)):
                out.add(inner)
    for triple in graph.triples((None, None, term)):
        out.add(triple)
    return out


def _jsonld(graph: Graph) -> str:
    from bonemet.serialization import serialize

    return serialize(graph, "jsonld")


def vocabulary_html(vocabulary: Graph | None = None) -> str:
    """The vocabulary's page, written by pyLODE (OntPub) from ``ontology/bonemet.ttl``;
    ``vocabulary`` is that file already loaded, if the caller has it.

    pyLODE orders part of its page by Python's string hashing and by the names of blank
    nodes, so it runs in a child process with a fixed hash seed, on the vocabulary with
    its blank nodes (the OWL lists) named by their content: the same vocabulary always
    gives the same page. It reads only the file it is given and fetches nothing. pyLODE names each term's section
    after its label (``#signorsymptom``); the site links to terms by their local name
    (``vocab.html#SignOrSymptom``), so each section also gets an anchor of that name.
    """
    script = (
        "import json, sys\n"
        "from rdflib import Graph\n"
        "from rdflib.compare import to_canonical_graph\n"
        "from pylode import OntPub\n"
        "read = Graph().parse(sys.argv[1], format='turtle')\n"
        "vocabulary = Graph()\n"
        "for prefix, namespace in read.namespaces():\n"
        "    vocabulary.bind(prefix, namespace, override=True)\n"
        "for triple in to_canonical_graph(read):\n"
        "    vocabulary.add(triple)\n"
        "page = OntPub(ontology=vocabulary, sort_subjects=True)\n"
        "html = page.make_html()\n"
        "json.dump({'html': html, 'fids': page.fids}, sys.stdout)\n"
    )
    environment = dict(os.environ, PYTHONHASHSEED="0")
    try:
        done = subprocess.run(
            [sys.executable, "-c", script, str(paths.vocabulary_file())],
            capture_output=True, text=True, timeout=300, env=environment,
        )
    except subprocess.TimeoutExpired:
        raise OutputError("pyLODE took over 300 s to write the vocabulary page", "run 'bonemet site' again") from None
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise OutputError(f"pyLODE could not write the vocabulary page ({last})", "check that pylode==3.2.1 is installed: pip install -e .")
    if vocabulary is None:
        from bonemet.graph import load_vocabulary

        vocabulary = load_vocabulary()
    written = json.loads(done.stdout)
    html = written["html"]
    for iri, fid in sorted(written["fids"].items()):
        if not fid or not iri.startswith(str(BM)):
            continue
        local = iri[len(str(BM)):]
        if local == fid or f'id="{local}"' in html:
            continue
        html = html.replace(f'id="{fid}">', f'id="{fid}"><span id="{escape(local)}"></span>', 1)
    html = _with_mappings(html, written["fids"], vocabulary)
    home = '<p><a href="index.html">bonemet home</a> · <a href="vocab.ttl">this vocabulary as Turtle</a></p>'
    html = _with_qualifier_values(_sorted_class_sets(html.replace("<body>", "<body>\n" + home, 1)), vocabulary)
    return _accessible(html)


def _with_mappings(html: str, fids: dict[str, str], vocabulary: Graph) -> str:
    """pyLODE shows no SKOS mappings; each term's table gets a row of them (exact, close,
    broad, narrow, related), each a link to the term it maps to."""
    from bonemet.exports.vocabulary import MAPPINGS

    skos = [(prop, word) for prop, word in MAPPINGS if str(prop).startswith("http://www.w3.org/2004/02/skos/")]
    for iri, fid in sorted(fids.items()):
        if not fid or not iri.startswith(str(BM)):
            continue
        mapped = []
        for prop, word in skos:
            for target in sorted(vocabulary.objects(URIRef(iri), prop), key=str):
                if isinstance(target, URIRef):
                    try:
                        name = vocabulary.namespace_manager.curie(str(target), generate=False)
                    except (ValueError, KeyError):
                        name = str(target)
                    mapped.append(f'{word} <a href="{escape(str(target))}">{escape(name)}</a>')
        start = html.find(f'id="{fid}">')
        end = html.find("</table>", start)
        if mapped and start >= 0 and end >= 0:
            row = f'<tr><th>Mappings (SKOS)</th><td>{"; ".join(mapped)}</td></tr>\n          '
            html = html[:end] + row + html[end:]
    return html


#: One member of a union or intersection as pyLODE writes it, and the word between two.
_SET_MEMBER = r'<span>\s*<a href="[^"]*">[^<]*</a>\s*(?:<sup[^>]*>[^<]*</sup>\s*)?</span>'
_SET_JOIN = r'\s*<span class="cardinality">(?:or|and|,)</span>\s*'
_CLASS_SET = re.compile(f"{_SET_MEMBER}(?:{_SET_JOIN}{_SET_MEMBER})+")


def _sorted_class_sets(html: str) -> str:
    """pyLODE lists the members of an ``owl:unionOf`` (``A or B``) in the order of a Python
    set of page elements, which changes from run to run; sort them by their text."""

    def in_order(match: re.Match) -> str:
        run = match.group(0)
        members = re.findall(_SET_MEMBER, run)
        joins = re.findall(_SET_JOIN, run)
        members.sort(key=lambda member: (re.sub(r"<[^>]+>|\s+", " ", member).strip(), member))
        out = members[0]
        for join, member in zip(joins, members[1:]):
            out += join + member
        return out

    return _CLASS_SET.sub(in_order, html)


#: Colours that pass WCAG AA contrast on white, for the two pyLODE sets too pale: the
#: "fp" mark of functional properties (light sky blue, 1.7:1) and its "made by" badge (grey, 3.9:1).
_VOCABULARY_STYLE = "<style>.sup-fp{color:#1a5f9e}#pylode{color:#555}</style>\n"


def _accessible(html: str) -> str:
    """pyLODE's page names no language and has two pale colours (axe-core: serious);
    say it is English and darken those colours."""
    html = html.replace("<html>", '<html lang="en">', 1)
    return html.replace("</head>", _VOCABULARY_STYLE + "</head>", 1)


def _with_qualifier_values(html: str, vocabulary: Graph) -> str:
    """pyLODE shows classes and properties only, but the site links to the qualifier values
    (``vocab.html#modality-can``) and their schemes: give them a section of their own, one
    scheme after another, before pyLODE's list of namespaces."""
    from rdflib.namespace import SKOS

    def local(term) -> str:
        return str(term)[len(str(BM)):]

    def described(term, heading: str) -> str:
        text = escape(vocabulary.value(term, SKOS.definition) or "")
        return (f'<{heading} id="{escape(local(term))}">{escape(vocabulary.value(term, RDFS.label) or local(term))}</{heading}>'
                f'<p><code>{escape(str(term))}</code>{" " + text if text else ""}</p>\n')

    schemes = sorted((s for s in vocabulary.subjects(RDF.type, SKOS.ConceptScheme) if str(s).startswith(str(BM))), key=local)
    parts = []
    for scheme in schemes:
        values = sorted(vocabulary.subjects(SKOS.inScheme, scheme), key=local)
        parts.append('<div class="entity">\n' + described(scheme, "h3") + "".join(described(v, "h4") for v in values) + "</div>\n")
    if not parts or 'id="qualifiervalues"' in html:
        return html
    section = '<div class="section" id="qualifiervalues">\n<h2>Qualifier values</h2>\n' + "".join(parts) + "</div>\n"
    return html.replace('<div id="namespaces">', section + '<div id="namespaces">', 1)
