"""Reading input files: each read once, and only when it is a regular file; the RDF
format a file's suffix names."""

from __future__ import annotations

from pathlib import Path

from bonemet.errors import InputError

#: File suffix -> rdflib parser name, for the files bonemet reads.
RDF_FORMATS: dict[str, str] = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".n3": "n3",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".rdf": "xml",
    ".owl": "xml",
    ".xml": "xml",
    ".trig": "trig",
    ".nq": "nquads",
}


def read_input(path: Path | str) -> bytes:
    """The bytes of one input file, read exactly once; anything but a regular file is refused."""
    import os
    import stat

    path = Path(path)
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise InputError(f"{path}: no such file", "check the path and try again") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a file", "name the RDF files inside it") from None
    except OSError as err:
        raise InputError(f"{path}: cannot be read ({err.strerror})", "check its permissions") from None
    try:
        mode = os.fstat(handle).st_mode
        if stat.S_ISDIR(mode):
            raise InputError(f"{path}: is a folder, not a file", "name the RDF files inside it")
        if not stat.S_ISREG(mode):
            raise InputError(f"{path}: is not a regular file (a pipe, device or socket)", "save the content to a regular file and name that")
        with os.fdopen(handle, "rb", closefd=False) as stream:
            return stream.read()
    except OSError as err:
        raise InputError(f"{path}: cannot be read ({err.strerror})", "check its permissions") from None
    finally:
        os.close(handle)


def rdf_format(path: Path) -> str:
    """The rdflib parser name for ``path``, from its suffix."""
    fmt = RDF_FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(RDF_FORMATS))
        raise InputError(
            f"{path}: cannot tell the RDF format from the suffix {path.suffix or '(none)'!r}",
            f"name the file with one of {known}",
        )
    return fmt
