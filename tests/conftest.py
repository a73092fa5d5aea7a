"""Shared helpers: run the command line in-process, find fixtures."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pytest

from bonemet.cli import main

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True, scope="session")
def _private_cache_folder(tmp_path_factory):
    """The suite never writes the user's own cache folder: every run, and every process a
    test starts, keeps its cache in a folder of the run (a test that studies the cache
    points it elsewhere itself)."""
    import os

    saved = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))
    yield
    if saved is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = saved


@dataclass
class Outcome:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(monkeypatch):
    """Call ``bonemet`` with a list of arguments; returns exit code, stdout and stderr.

    Progress lines (shown after two seconds) are held back, so that what a test reads
    does not depend on how fast the machine is; test_progress shows them."""
    from bonemet import cli as command_line

    monkeypatch.setattr(command_line._Progress, "AFTER", 3600.0)

    def run(*args: str) -> Outcome:
        out, err = io.StringIO(), io.StringIO()
        code = main(list(args), stdout=out, stderr=err)
        return Outcome(code, out.getvalue(), err.getvalue())

    return run


def assert_clean_error(outcome: Outcome, *fragments: str) -> None:
    """Exit 2, nothing on stdout, one 'bonemet: error:' line naming each fragment, no traceback."""
    assert outcome.code == 2, outcome
    assert outcome.out == ""
    lines = outcome.err.strip().splitlines()
    assert len(lines) == 1, outcome.err
    assert lines[0].startswith("bonemet: error: "), outcome.err
    assert "Traceback" not in outcome.err
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
