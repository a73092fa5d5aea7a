"""Where the graph's files live: the one module that knows.

An installed wheel carries the ontology, the data and the queries inside the
package, under ``bonemet/resources/``. A source checkout (or an editable
install) keeps them at the top of the repository. Every other module asks
this one for a path and never builds one itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def resource_root() -> Path:
    """The folder that holds ``ontology/``, ``data/`` and ``queries/``."""
    bundled = _PACKAGE_DIR / "resources"
    if (bundled / "ontology").is_dir():
        return bundled
    return _PACKAGE_DIR.parent.parent


def ontology_dir() -> Path:
    return resource_root() / "ontology"


def data_dir() -> Path:
    return resource_root() / "data"


def queries_dir() -> Path:
    return resource_root() / "queries"


def module_files(*subpackages: str) -> list[Path]:
    """The source files of bonemet's top-level modules and of the ``subpackages`` named
    (``"sparql"``), in a stable order."""
    return sorted(path for folder in ("", *subpackages) for path in (_PACKAGE_DIR / folder).iterdir() if path.suffix == ".py")


def site_templates_dir() -> Path:
    """The site's page templates, style sheet and script (part of the package's code)."""
    return _PACKAGE_DIR / "show" / "templates"


def vocabulary_file() -> Path:
    """The hand-edited OWL/RDFS vocabulary."""
    return ontology_dir() / "bonemet.ttl"


def shapes_file() -> Path:
    """The SHACL shapes that check the content."""
    return ontology_dir() / "shapes.ttl"


def rules_file() -> Path:
    """The SHACL rules that derive the derived layer from the facts."""
    return ontology_dir() / "rules.ttl"


def data_files() -> list[Path]:
    """The shipped fact files, in a stable order."""
    return sorted(data_dir().glob("*.ttl"))


def local_copy(relative: str, roots: Iterable[Path] = ()) -> Path | None:
    """The file a source record's ``bm:localCopy`` names, relative to one of ``roots``
    (the folder of the data file that declares it; the data folder when none is given).
    None for an absolute path, a path that leads outside its root, or one found nowhere.
    The installed package's own copy is never taken for another folder's data."""
    if Path(relative).is_absolute():
        return None
    for root in list(roots) or [data_dir()]:
        root = Path(root).resolve()
        candidate = (root / relative).resolve()
        if root in candidate.parents and candidate.exists():
            return candidate
    return None


def source_text_file() -> Path:
    """The unmodified source document, kept as the attributed input record."""
    return data_dir() / "source" / "bone-metastasis.txt"


def cache_dir() -> Path | None:
    """bonemet's folder in the user's cache: ``$XDG_CACHE_HOME/bonemet``, by default
    ``~/.cache/bonemet``; made if missing. None when it cannot be made or written: the
    caller then works without a cache, and says nothing. Whatever it holds may be deleted
    at any time."""
    import os

    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # unset, empty or relative: the XDG spec says to ignore it
        base = os.path.join(os.path.expanduser("~"), ".cache")
    folder = Path(base) / "bonemet"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK | os.X_OK) else None
