"""Run the real ``kgx`` command line offline, on the Biolink model the wheels ship.

kgx reaches for GitHub three times as it starts: ``bmt.Toolkit()`` fetches the Biolink
model and its predicate map, and ``kgx.config`` fetches the Biolink JSON-LD context and two
prefix maps. These machines (and many CI runners) have no such network, so this launcher
points each of them at files that are installed already, then hands the arguments to
kgx's own ``cli``:

- the model: ``biolink_model/schema/biolink_model.yaml`` from the ``biolink-model`` wheel;
- the predicate map: empty (it only renames predicates of old Biolink versions);
- the JSON-LD contexts: the wheel's ``biolink-model-prefix-map.json``.

Every outgoing connection is refused while it runs, so a run that passes is a run that
needed no network.

    python tests/tools/kgx_offline.py validate -i tsv build/bonemet_nodes.tsv build/bonemet_edges.tsv
"""

from __future__ import annotations

import importlib.resources
import json
import socket
import sys


def _refuse_network() -> None:
    def refuse(*_args, **_kwargs):
        raise OSError("kgx_offline: network access is switched off")

    socket.socket.connect = refuse  # type: ignore[method-assign]
    socket.create_connection = refuse  # type: ignore[assignment]
    socket.getaddrinfo = refuse  # type: ignore[assignment]


def biolink_files() -> tuple[str, dict]:
    """The model file and the prefix map that the ``biolink-model`` wheel ships."""
    package = importlib.resources.files("biolink_model")
    schema = str(package / "schema" / "biolink_model.yaml")
    prefixes = json.loads((package / "prefixmaps" / "biolink-model-prefix-map.json").read_text())
    return schema, prefixes


def configure() -> None:
    """Point bmt and kgx at the installed Biolink files before kgx is imported."""
    _refuse_network()
    schema, prefixes = biolink_files()
    import bmt.toolkit

    bmt.toolkit.Toolkit.__init__.__defaults__ = (schema, {"predicate mappings": []})
    import kgx.config

    for name in ("biolink", "monarch_context", "obo_context"):
        kgx.config.jsonld_context_map[name] = dict(prefixes)


if __name__ == "__main__":
    configure()
    from kgx.cli import cli

    cli(sys.argv[1:], prog_name="kgx")
