"""The named questions: SPARQL files under ``queries/`` and their headers.

Each ``NAME.rq`` opens with ``#`` comment lines of the form ``# Key: value``:

``Question``   the one-line question the file answers (required)
``Row``        what one row of the answer means
``Expected``   the file of the expected answer, beside the query
``Parameter``  ``NAME (IRI|literal) what it is``; may repeat
``Example``    ``NAME=VALUE``: the binding the expected answer was written for; may repeat
"""

from __future__ import annotations

import re
from collections import namedtuple
from pathlib import Path

from bonemet import paths
from bonemet.errors import InputError, QueryError

_HEADER_LINE = re.compile(r"^#\s*(?P<key>[A-Z][a-z]+):\s*(?P<value>.*\S)\s*$")
_PARAMETER = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*\((?P<kind>IRI|literal)\)\s*(?P<doc>.*)$")


# The records of this stage are named tuples, not dataclasses: importing dataclasses (and
# the inspect module it loads) would cost a named question more than answering it.


class Parameter(namedtuple("Parameter", ("name", "kind", "doc"))):
    """A parameter a question's header declares: its ``name``, its ``kind`` ("IRI" or
    "literal") and what it is (``doc``)."""

    __slots__ = ()


class Question(namedtuple("Question", ("name", "path", "text", "question", "row", "expected", "parameters", "example"),
                          defaults=("", "", None, (), ()))):
    """One SPARQL file (``path``, its ``text``) with what its header says of it: the
    ``question`` it answers, what a ``row`` means, the ``expected`` answer's file, its
    ``parameters`` and the ``example`` bindings."""

    __slots__ = ()

    @property
    def inline(self) -> bool:
        """SPARQL text given on the command line, not a file: it may use the project's
        prefixes without declaring them."""
        return self.path.name == "<sparql>"

    def parameter(self, name: str) -> Parameter | None:
        return next((p for p in self.parameters if p.name == name), None)


def read_question(path: Path, name: str | None = None) -> Question:
    """Read a query file and its header; a missing file raises :class:`InputError`."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such query file", "check the path, or run 'bonemet query --list' for the named questions") from None
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"{path}: cannot be read ({err})", "make it a readable UTF-8 text file") from None
    header: dict[str, list[str]] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = _HEADER_LINE.match(line)
        if match:
            header.setdefault(match["key"], []).append(match["value"])
    parameters = []
    for spec in header.get("Parameter", []):
        match = _PARAMETER.match(spec)
        if not match:
            raise InputError(
                f"{path}: header line 'Parameter: {spec}' is not of the form NAME (IRI|literal) description",
                "write it as, for example, '# Parameter: entity (IRI) the entity to look up'",
            )
        parameters.append(Parameter(match["name"], match["kind"], match["doc"]))
    expected = header.get("Expected", [None])[0]
    return Question(
        name=name or path.stem,
        path=path,
        text=text,
        question=header.get("Question", [""])[0],
        row=header.get("Row", [""])[0],
        expected=(path.parent / expected) if expected else None,
        parameters=tuple(parameters),
        example=tuple(header.get("Example", [])),
    )


def names() -> list[str]:
    """The names of the shipped questions, sorted."""
    import os

    # os.listdir, not Path.glob: the folder is listed at every call, and glob's machinery
    # cost a small question a fifth of its time
    return sorted(entry[:-3] for entry in os.listdir(paths.queries_dir()) if entry.endswith(".rq") and len(entry) > 3)


def questions() -> list[Question]:
    """Every shipped question, in name order."""
    return [named(name) for name in names()]


#: Old names that still work, each with the name that replaced it: the page says "more
#: commonly", not "most commonly".
ALIASES = {"most-common-bone-sites": "more-common-bone-sites"}


def named(name: str) -> Question:
    """The shipped question called ``name`` (or by an old name, see :data:`ALIASES`); an
    unknown name suggests the closest ones."""
    name = ALIASES.get(name, name)
    path = paths.queries_dir() / f"{name}.rq"
    if name in names():
        return read_question(path, name)
    import difflib

    close = difflib.get_close_matches(name, names(), n=3, cutoff=0.5)
    if not close:  # a fragment of a name is a good hint too
        close = [known for known in names() if name and name.lower() in known][:3]
    hint = f"did you mean {', '.join(close)}?" if close else "no name is close"
    raise QueryError(
        f"no question is named {name!r} ({hint})",
        "run 'bonemet query --list' to see the named questions",
    )


def resolve(name_or_file: str) -> Question:
    """A question by name, or a ``.rq`` file by path."""
    if name_or_file.endswith(".rq") or "/" in name_or_file or "\\" in name_or_file:
        return read_question(Path(name_or_file))
    return named(name_or_file)
