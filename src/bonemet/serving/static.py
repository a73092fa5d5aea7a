"""The site's files as the guard serves them: safe paths, media types, content negotiation.

Plain functions, no server: :func:`locate` turns a request path into the file to send
(or says why there is none), reading nothing outside the site folder. A path without a
suffix whose variants lie beside it (``/id/bone-pain`` for ``id/bone-pain.html``,
``.ttl``, ``.jsonld``; ``/vocab`` likewise) is negotiated on the ``Accept`` header::

    found = locate(Path("site"), "/id/bone-pain", "text/turtle")
    found.file, found.content_type, found.negotiated   # site/id/bone-pain.ttl, 'text/turtle; ...', True
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass
from pathlib import Path

#: The media type sent for each file suffix; anything else is application/octet-stream.
MEDIA_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
    ".ttl": "text/turtle; charset=utf-8",
    ".jsonld": "application/ld+json",
    ".json": "application/json",
    ".nt": "application/n-triples",
    ".rdf": "application/rdf+xml",
    ".trig": "application/trig",
    ".tsv": "text/tab-separated-values; charset=utf-8",
    ".jsonl": "application/jsonl",
    ".txt": "text/plain; charset=utf-8",
}

#: What a suffix-less path may be answered with, in the server's order of preference
#: (first wins a tie, and is what ``*/*`` or no Accept header gets): media type, suffix.
#: The pages are offered as XHTML only to a client that names it, and sent as HTML.
VARIANTS = (
    ("text/html", ".html"),
    ("application/xhtml+xml", ".html"),
    ("text/turtle", ".ttl"),
    ("application/ld+json", ".jsonld"),
)


def media_type(path: Path | str) -> str:
    """The Content-Type for a file, by its suffix."""
    return MEDIA_TYPES.get(Path(path).suffix.lower(), "application/octet-stream")


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """The media ranges of an ``Accept`` header with their q-values, as written.

    Ranges are lowercased and stripped of parameters other than ``q``; a malformed
    q-value counts as 1 (as if absent), one outside 0..1 is clamped; a range that is not
    ``type/subtype`` is dropped.
    """
    ranges = []
    for item in (header or "").split(","):
        parts = [p.strip() for p in item.split(";")]
        kind = parts[0].lower()
        if kind.count("/") != 1 or not all(kind.split("/")):
            continue
        q = 1.0
        for parameter in parts[1:]:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(1.0, max(0.0, float(value.strip())))
                except ValueError:
                    q = 1.0
                break  # parameters after q are accept-extensions
        ranges.append((kind, q))
    return ranges


def quality(media: str, ranges: list[tuple[str, float]]) -> float:
    """How much a client that sent ``ranges`` wants ``media``: the q of the most specific
    range that matches it (``type/subtype`` over ``type/*`` over ``*/*``), 0 if none does."""
    kind, _, _sub = media.partition("/")
    best, specificity = 0.0, -1
    for candidate, q in ranges:
        ckind, _, csub = candidate.partition("/")
        if candidate == media:
            level = 2
        elif csub == "*" and ckind == kind:
            level = 1
        elif candidate == "*/*":
            level = 0
        else:
            continue
        if level > specificity:
            best, specificity = q, level
    return best


def negotiate(header: str | None, offered: list[str]) -> str | None:
    """The media type of ``offered`` (in the server's order of preference) to send a client
    whose ``Accept`` is ``header``; the first when the header is missing or empty, None
    when the client accepts none of them."""
    if not offered:
        return None
    ranges = parse_accept(header)
    if not ranges:
        return offered[0]
    scored = [(quality(media, ranges), -index, media) for index, media in enumerate(offered)]
    q, _, media = max(scored)
    return media if q > 0 else None


@dataclass(frozen=True)
class Found:
    """What :func:`locate` found for a request path.

    ``status`` 200 with ``file``; 404 (nothing there) or 406 (variants, none acceptable:
    ``available`` lists them) without. ``location`` is the site path of the variant sent
    (for ``Content-Location``) when ``negotiated``.
    """

    status: int
    file: Path | None = None
    content_type: str = ""
    negotiated: bool = False
    location: str = ""
    available: tuple[tuple[str, str], ...] = ()


_NOT_FOUND = Found(404)


def segments(path: str) -> list[str] | None:
    """The decoded segments of a request path, or None if it may name something outside
    the site or hidden in it: ``.`` or ``..`` (encoded or not), backslashes, NUL, or a
    segment starting with a dot. A trailing slash gives a last segment ``""``."""
    if not path.startswith("/"):
        return None
    parts = path[1:].split("/")
    decoded = []
    for index, raw in enumerate(parts):
        part = urllib.parse.unquote(raw, errors="strict") if "%" in raw else raw
        if part == "" and index == len(parts) - 1:
            decoded.append("")
            continue
        if part == "" or part.startswith(".") or "/" in part or "\\" in part or "\x00" in part:
            return None
        decoded.append(part)
    return decoded


def _inside(root: Path, candidate: Path) -> Path | None:
    """``candidate`` with its links resolved, if it is a regular file inside ``root``."""
    try:
        real = candidate.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not real.is_relative_to(root) or not real.is_file():
        return None
    return real


def locate(site: Path, path: str, accept: str | None) -> Found:
    """The file of ``site`` that answers a GET of ``path`` (the path of the request
    target, still percent-encoded) from a client whose ``Accept`` is ``accept``.

    ``/`` and a path ending in ``/`` give that folder's ``index.html`` (never a listing);
    a path naming a file gives it; a suffix-less path whose variants (see :data:`VARIANTS`)
    exist is negotiated. Nothing outside ``site`` is ever returned, symbolic links that
    lead out included.
    """
    try:
        parts = segments(path)
    except UnicodeDecodeError:
        return _NOT_FOUND
    if parts is None:
        return _NOT_FOUND
    root = site.resolve()
    if parts[-1] == "":
        parts = [*parts[:-1], "index.html"]
    candidate = root.joinpath(*parts)
    real = _inside(root, candidate)
    if real is not None:
        return Found(200, real, media_type(real))
    name = parts[-1]
    if "." in name:
        return _NOT_FOUND
    variants = []
    named = {kind for kind, _q in parse_accept(accept)}
    for media, suffix in VARIANTS:
        if media == "application/xhtml+xml" and media not in named:
            continue  # the pages as XHTML only for a client that names it: text/html;q=0 stays a refusal
        file = _inside(root, candidate.with_name(name + suffix))
        if file is not None:
            variants.append((media, suffix, file))
    if not variants:
        return _NOT_FOUND
    chosen = negotiate(accept, [media for media, _suffix, _file in variants])
    base = "/" + "/".join(urllib.parse.quote(p) for p in parts)
    available = tuple((media, base + suffix) for media, suffix, _file in variants if media != "application/xhtml+xml")
    if chosen is None:
        return Found(406, available=available)
    media, suffix, file = next(v for v in variants if v[0] == chosen)
    # the pages are HTML, not XML: a client that asked for XHTML is sent them as HTML
    return Found(200, file, media_type(file), negotiated=True, location=base + suffix, available=available)


def not_acceptable(path: str, found: Found) -> str:
    """The one line that answers a 406: what ``path`` is available as."""
    offers = ", ".join(f"{media} ({location})" for media, location in found.available)
    return f"{urllib.parse.unquote(path)} is available as {offers}; ask for one of these in the Accept header"


def write_files(files: dict[str, str | bytes], folder: Path) -> None:
    """Write a site (name -> content) into a fresh ``folder`` of its own, plainly.

    For a copy that lives as long as the server and is served only once whole: unlike
    :func:`bonemet.files.write_folder`, no file is synced to disk one by one, which makes
    both writing and removing some 750 files take a fraction of a second, not seconds.
    """
    from bonemet.errors import OutputError

    try:
        for name, data in files.items():
            target = folder.joinpath(*name.split("/"))
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    except OSError as err:
        raise OutputError(f"cannot write the site into {folder} ({err.strerror or err})", "check the free space of the temporary folder") from None


def new_site_folder(root: Path) -> Path:
    """A fresh folder under ``root`` for this process's copy of the site, after removing
    the copies of processes that no longer run (a 'serve' ended by kill -9)."""
    from bonemet.files import process_folder

    return process_folder(root, "site")


__all__ = ["Found", "MEDIA_TYPES", "VARIANTS", "locate", "media_type", "negotiate", "new_site_folder", "not_acceptable", "parse_accept", "quality", "write_files"]
