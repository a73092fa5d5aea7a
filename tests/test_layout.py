"""The package's folders show the flow: load, check, ask, export, serve, show.

A stage imports only from the shared top level and from the stages before it; the
public functions survive the import of every subpackage; the README's layout and each
subpackage's heading say what the stage does.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import bonemet

SRC = Path(bonemet.__file__).parent
README = SRC.parents[1] / "README.md"

#: Modules every stage may use; they import only one another.
SHARED = {"errors", "paths", "namespaces", "files", "progress", "stats", "terms", "inputs", "graph", "store", "storeview", "derivation", "serialization", "syntaxes", "deadline", "digest"}
#: The stages in the order the data flows through them.
STAGES = ["checks", "sparql", "exports", "serving", "show"]
#: Modules that drive every stage; no other module imports them.
DRIVERS = {"__init__", "__main__", "cli", "build"}
PUBLIC_FUNCTIONS = ("load_graph", "validate", "ask", "export", "serialize")


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts)


def _modules() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def _imports(path: Path) -> set[str]:
    """Every bonemet module ``path`` imports, at its top or inside a function."""
    found: set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("bonemet."):
                    found.add(alias.name.removeprefix("bonemet."))
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "bonemet":
                found.update(alias.name for alias in node.names)
            elif node.module.startswith("bonemet."):
                base = node.module.removeprefix("bonemet.")
                for alias in node.names:
                    candidate = f"{base}.{alias.name}"
                    found.add(candidate if (SRC / Path(*candidate.split("."))).with_suffix(".py").exists() else base)
    return found


def _rank(module: str) -> int | None:
    """0 for shared modules, 1.. for the stages in order, None for the drivers."""
    head = module.split(".")[0]
    if head in DRIVERS:
        return None
    if head in SHARED:
        return 0
    if head in STAGES:
        return 1 + STAGES.index(head)
    raise AssertionError(f"{module} is in no stage; add it to SHARED, STAGES or DRIVERS in this test")


@pytest.mark.parametrize("path", _modules(), ids=_module_name)
def test_each_module_imports_only_from_its_stage_or_earlier(path):
    module = _module_name(path)
    rank = _rank(module)
    for imported in _imports(path):
        imported_rank = _rank(imported)
        assert imported_rank is not None or rank is None, f"{module} imports the driver {imported}"
        if rank is not None and imported_rank is not None:
            assert imported_rank <= rank, f"{module} imports {imported}, a later stage"


def test_the_rank_rule_would_catch_a_backward_import():
    # the rule itself can fail: a check importing an export is refused
    assert _rank("checks.validation") < _rank("exports.kgx")
    assert _rank("exports.formats") < _rank("serving.server")


def test_no_import_cycle():
    graph = {_module_name(p): {m for m in _imports(p) if m != "__init__"} for p in _modules()}
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(nxt_key(node), set())):
            nxt_name = nxt_key(nxt)
            if state.get(nxt_name) == 1:
                raise AssertionError("import cycle: " + " -> ".join([*trail, node, nxt_name]))
            if nxt_name not in state:
                visit(nxt_name, [*trail, node])
        state[node] = 2

    def nxt_key(name: str) -> str:
        # a subpackage name stands for its __init__
        return f"{name}.__init__" if (SRC / name).is_dir() else name

    for name in sorted(graph):
        if name not in state and name != "__init__":
            visit(name, [])


def test_no_subpackage_is_named_after_a_public_function():
    packages = {p.parent.name for p in SRC.rglob("__init__.py") if p.parent != SRC}
    assert packages == set(STAGES)
    assert not packages & set(PUBLIC_FUNCTIONS)


def test_public_functions_survive_importing_every_module(tmp_path):
    for info in pkgutil.walk_packages(bonemet.__path__, "bonemet."):
        if info.name != "bonemet.__main__":  # importing it runs the command line
            importlib.import_module(info.name)
    for name in PUBLIC_FUNCTIONS:
        assert callable(getattr(bonemet, name)) and not hasattr(getattr(bonemet, name), "__path__"), name
    graph = bonemet.load_graph()
    assert bonemet.validate(graph=graph).conforms
    assert bonemet.ask("source-last-reviewed", graph=graph).rows
    target = tmp_path / "g.nt"
    assert bonemet.export(graph, "ntriples", target) == bonemet.serialize(graph, "ntriples") == target.read_text()


@pytest.mark.parametrize("stage", STAGES)
def test_each_stage_says_in_one_line_what_it_does(stage):
    doc = ast.get_docstring(ast.parse((SRC / stage / "__init__.py").read_text(encoding="utf-8")))
    assert doc and "\n" not in doc.strip(), stage
    assert doc.split(":")[0].lower() in {"check", "ask", "export", "serve", "show"}, doc


def test_readme_layout_names_every_module():
    text = README.read_text(encoding="utf-8")
    layout = text[text.index("## Layout"):]
    layout = layout[: layout.index("\n## ", 1)]
    named = set(re.findall(r"([\w]+(?:\.py|/))", layout))
    for path in _modules():
        if path.name == "__init__.py" and path.parent != SRC:
            assert f"{path.parent.name}/" in named, path
        elif path.name != "__main__.py":
            assert path.name in named, path
