"""A named question on the default engine never loads rdflib (issue: speed to the floor).

Whether a module was imported is a fact, not a timing: each case runs the command line
in a fresh interpreter and reads ``sys.modules`` after it. The answers are the ones the
rdflib engine gives, byte for byte.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from bonemet.sparql import catalogue

FORMATS = ("table", "csv", "tsv", "json", "xml")

PROBE = """
import io, json, sys
from bonemet.cli import main
out, err = io.StringIO(), io.StringIO()
code = main(json.loads(sys.argv[1]), stdout=out, stderr=err)
loaded = sorted(name for name in sys.modules if name == "rdflib" or name.startswith("rdflib."))
print(json.dumps({"code": code, "out": out.getvalue(), "err": err.getvalue(), "rdflib": loaded, "modules": sorted(sys.modules)}))
"""


def run(arguments: list[str], env: dict | None = None) -> dict:
    done = subprocess.run([sys.executable, "-c", PROBE, json.dumps(arguments)], capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def arguments(question: catalogue.Question, fmt: str) -> list[str]:
    bind = [a for example in question.example for a in ("--bind", example)]
    return ["query", question.name, *bind, "--format", fmt]


SELECT_OR_ASK = [q for q in catalogue.questions() if "CONSTRUCT" not in q.text.upper() and "DESCRIBE" not in q.text.upper()]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_named_question_in_every_format_leaves_rdflib_unloaded(fmt):
    question = catalogue.named("signs-and-symptoms")
    fast = run(arguments(question, fmt))
    assert fast["code"] == 0 and fast["rdflib"] == [], fast["rdflib"][:5]
    slow = run(arguments(question, fmt) + ["--engine", "rdflib"])
    assert "rdflib" in slow["rdflib"]  # the probe does see rdflib when it is loaded
    assert fast["out"] == slow["out"]


@pytest.mark.parametrize("question", [pytest.param(q, id=q.name) for q in SELECT_OR_ASK])
def test_every_named_question_leaves_rdflib_unloaded_with_the_same_answer(question):
    fmt = "tsv" if "ASK" not in question.text.upper().split("WHERE")[0] else "json"
    fast = run(arguments(question, fmt))
    assert fast["code"] == 0, fast["err"]
    assert fast["rdflib"] == [], fast["rdflib"][:5]
    slow = run(arguments(question, fmt) + ["--engine", "rdflib"])
    assert sorted(fast["out"].splitlines()) == sorted(slow["out"].splitlines())


def test_the_library_still_gives_rdflib_terms():
    from rdflib import Literal, URIRef

    import bonemet

    answer = bonemet.ask("signs-and-symptoms")
    assert answer.rows and all(isinstance(row["symptom"], URIRef) for row in answer.rows)
    assert all(isinstance(row["label"], Literal) for row in answer.rows)
    assert answer == bonemet.ask("signs-and-symptoms", graph=bonemet.load_graph())


#: What a named question read from the cache has no use for: the command line's full
#: parser, dataclasses (and the inspect module under it), the Turtle files' loader and the rules.
UNUSED_ON_A_CACHED_QUESTION = {"argparse", "dataclasses", "inspect", "shutil", "hashlib", "bonemet.derivation", "bonemet.store", "bonemet.graph"}


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_named_question_from_the_cache_loads_no_parser_no_dataclasses_no_rules(tmp_path, fmt):
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    made = run(["query", "signs-and-symptoms", "--format", fmt], env)  # makes the cache file
    assert "bonemet.derivation" in made["modules"]  # the probe sees the rules when they are run
    cached = run(["query", "signs-and-symptoms", "--format", fmt], env)
    assert cached["code"] == 0 and cached["out"] == made["out"]
    assert not UNUSED_ON_A_CACHED_QUESTION & set(cached["modules"]), sorted(UNUSED_ON_A_CACHED_QUESTION & set(cached["modules"]))
