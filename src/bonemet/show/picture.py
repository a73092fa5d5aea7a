"""A picture of the graph as SVG: where bone metastasis comes from and goes, and what it causes.

Two panels, each three columns of boxes joined by arrows:

- the cancers the page names as spreading to bone -> bone -> the sites where bone
  metastasis more commonly occurs;
- bone metastasis -> its signs and symptoms -> what hypercalcemia can cause.

Every box is a link to the entity's page. The layout is computed here (columns, one row per
box), so the SVG needs no layout program and the same graph gives the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from rdflib import Graph, URIRef

from bonemet.namespaces import BM, BMR
from bonemet.show import links
from bonemet.show.content import label

ROW = 34
BOX_HEIGHT = 24
CHAR_WIDTH = 7.4  # of the 13px sans-serif text, generously
GAP = 90
MARGIN = 16
TITLE_HEIGHT = 30


@dataclass(frozen=True)
class Box:
    term: URIRef
    text: str
    column: int
    row: int


def panels(graph: Graph) -> list[tuple[str, list[list[URIRef]], list[tuple[URIRef, URIRef, str]]]]:
    """The two panels: (title, columns of terms, arrows (from, to, words))."""
    bone, condition = BMR["bone"], BMR["bone-metastasis"]
    hypercalcemia = BMR["hypercalcemia"]

    def by_label(terms):
        return sorted(set(terms), key=lambda t: (label(graph, t), str(t)))

    spreading = by_label(
        [s for s in graph.subjects(BM.metastasizesTo, bone)] + [s for s in graph.subjects(BM.isRiskFactorFor, condition)]
    )
    sites = by_label(s for s in graph.objects(condition, BM.hasLocation) if s != bone)
    first_arrows = [(c, bone, "spreads to") for c in spreading]
    first_arrows += [(bone, s, "more commonly in") for s in sites]

    signs = by_label(graph.objects(condition, BM.hasSignOrSymptom))
    effects = by_label(graph.objects(hypercalcemia, BM.causes))
    second_arrows = [(condition, s, "can cause") for s in signs]
    second_arrows += [(hypercalcemia, e, "can cause") for e in effects]
    return [
        ("Cancers that spread to bone, and where in the skeleton", [spreading, [bone], sites], first_arrows),
        ("What bone metastasis causes", [[condition], signs, effects], second_arrows),
    ]


def render_svg(graph: Graph, *, here: str = "") -> str:
    """The picture as one SVG document; links are relative to the page at ``here``."""
    parts: list[str] = []
    y = MARGIN
    width = 0
    for index, (title, columns, arrows) in enumerate(panels(graph)):
        svg, panel_width, panel_height = _panel(graph, index, title, columns, arrows, y, here)
        parts.append(svg)
        width = max(width, panel_width)
        y += panel_height + MARGIN
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {y:.0f}" '
        f'width="{width:.0f}" height="{y:.0f}" role="group" aria-labelledby="picture-title" class="picture">\n'
        '<title id="picture-title">The cancers that spread to bone, the sites, and what bone metastasis causes</title>\n'
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        '<path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/></marker></defs>\n'
        "<style>text{font:13px sans-serif;fill:#111}.box{fill:#eef4fb;stroke:#2a5d8f}"
        "a:hover .box,a:focus .box{fill:#cfe0f3}.edge{stroke:#555;fill:none}.title{font-weight:bold}</style>\n"
    )
    return head + "".join(parts) + "</svg>\n"


def _panel(graph, index, title, columns, arrows, top, here):
    widths = [max((len(label(graph, t)) for t in column), default=4) * CHAR_WIDTH + 16 for column in columns]
    xs = []
    x = MARGIN
    for w in widths:
        xs.append(x)
        x += w + GAP
    panel_width = x - GAP + MARGIN
    rows = max(len(column) for column in columns)
    height = TITLE_HEIGHT + rows * ROW
    places: dict[URIRef, tuple[float, float, float]] = {}
    out = [f'<g id="panel-{index + 1}">\n<text class="title" x="{MARGIN}" y="{top + 16}">{escape(title)}</text>\n']
    for column, (terms, x0, w) in enumerate(zip(columns, xs, widths)):
        offset = (rows - len(terms)) * ROW / 2
        for row, term in enumerate(terms):
            y0 = top + TITLE_HEIGHT + offset + row * ROW
            places[term] = (x0, y0, w)
    for source, target, words in arrows:
        if source not in places or target not in places:
            continue
        sx, sy, sw = places[source]
        tx, ty, _ = places[target]
        x1, y1 = sx + sw, sy + BOX_HEIGHT / 2
        x2, y2 = tx - 2, ty + BOX_HEIGHT / 2
        middle = (x1 + x2) / 2
        out.append(
            f'<path class="edge" d="M {x1:.1f} {y1:.1f} C {middle:.1f} {y1:.1f}, {middle:.1f} {y2:.1f}, {x2:.1f} {y2:.1f}" '
            f'marker-end="url(#arrow)"><title>{escape(label(graph, source))} {escape(words)} {escape(label(graph, target))}</title></path>\n'
        )
    for term, (x0, y0, w) in sorted(places.items(), key=lambda item: (item[1][0], item[1][1])):
        text = label(graph, term)
        page = links.page_of(term)
        box = (
            f'<rect class="box" x="{x0:.1f}" y="{y0:.1f}" width="{w:.1f}" height="{BOX_HEIGHT}" rx="4"/>'
            f'<text x="{x0 + 8:.1f}" y="{y0 + 16:.1f}">{escape(text)}</text>'
        )
        if page is not None:
            box = f'<a href="{escape(links.relative(page, here))}">{box}</a>'
        out.append(box + "\n")
    out.append("</g>\n")
    return "".join(out), panel_width, height
