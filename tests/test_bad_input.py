"""Bad input gets one line that says what, where and how to fix it, exit 2, no traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bonemet import files
from conftest import FIXTURES, assert_clean_error


def test_malformed_turtle_names_file_line_and_column(cli):
    path = FIXTURES / "cli" / "malformed.ttl"
    outcome = cli("validate", str(path))
    assert_clean_error(outcome, str(path), "line 6", "malformed turtle", "Correct the turtle syntax")


def test_missing_data_file(cli, tmp_path):
    missing = tmp_path / "nowhere.ttl"
    assert_clean_error(cli("validate", str(missing)), str(missing), "no such file")


def test_data_file_with_unknown_suffix(cli, tmp_path):
    odd = tmp_path / "facts.txt"
    odd.write_text("hello")
    assert_clean_error(cli("validate", str(odd)), str(odd), "cannot tell the RDF format", ".ttl")


def test_unknown_query_name_suggests_the_closest(cli):
    outcome = cli("query", "source-last-reviewd")
    assert_clean_error(outcome, "'source-last-reviewd'", "did you mean source-last-reviewed", "bonemet query --list")


def test_missing_query_file(cli, tmp_path):
    missing = tmp_path / "absent.rq"
    assert_clean_error(cli("query", str(missing)), str(missing), "no such query file")


def test_sparql_syntax_error_in_a_file_names_line_and_column(cli):
    path = FIXTURES / "cli" / "syntax-error.rq"
    outcome = cli("query", str(path))
    assert_clean_error(outcome, str(path), "line 6", "column", "SPARQL syntax error")


def test_sparql_syntax_error_in_text(cli):
    outcome = cli("query", "--sparql", "SELECT ?x WHERE { ?x ?y }")
    assert_clean_error(outcome, "the --sparql text", "line 1", "SPARQL syntax error")


def test_undeclared_prefix(cli):
    outcome = cli("query", "--sparql", "SELECT ?x WHERE { ?x nope:thing ?y }")
    assert_clean_error(outcome, "nope", "Declare every prefix")


@pytest.mark.parametrize(
    "assignment, fragments",
    [
        pytest.param("disease=bmr:bone-pain", ("no variable ?disease", "entity, label"), id="unknown-variable"),
        pytest.param("entity", ("VAR=VALUE",), id="no-equals-sign"),
        pytest.param("entity=bone pain", ("?entity takes an IRI", "'bone pain' is not one"), id="literal-for-an-iri"),
        pytest.param("entity=<not an iri>", ("is not a valid IRI",), id="broken-iri"),
    ],
)
def test_bad_bind(cli, assignment, fragments):
    outcome = cli("query", str(FIXTURES / "cli" / "with-parameter.rq"), "--bind", assignment)
    assert_clean_error(outcome, *fragments)


def test_output_in_a_missing_folder(cli, tmp_path):
    target = tmp_path / "no" / "such" / "graph.ttl"
    assert_clean_error(cli("export", "-o", str(target)), str(tmp_path / "no" / "such"), "does not exist")
    assert not target.parent.exists()


@pytest.fixture
def read_only_folder(tmp_path) -> Path:
    """A folder nobody may write in. root ignores file modes, so root gets /sys."""
    if os.geteuid() == 0:
        yield Path("/sys")
        return
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    yield folder
    folder.chmod(0o755)


def test_output_in_a_read_only_folder(cli, read_only_folder):
    target = read_only_folder / "graph.ttl"
    outcome = cli("export", "-o", str(target))
    assert_clean_error(outcome, f"cannot write in {read_only_folder}", "permissions")
    assert not target.exists()


def test_output_path_that_is_a_folder(cli, tmp_path):
    assert_clean_error(cli("export", "-o", str(tmp_path)), "it is a folder")


def test_a_failed_write_leaves_the_old_file_whole(tmp_path, monkeypatch):
    target = tmp_path / "graph.ttl"
    target.write_text("the old content\n")

    def failing_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(files.OutputError, match="No space left on device"):
        files.write_atomic(target, "new content " * 1000)
    assert target.read_text() == "the old content\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.ttl"]  # no temporary file left


def test_atomic_write_replaces_whole_and_keeps_normal_permissions(tmp_path):
    target = tmp_path / "graph.ttl"
    target.write_text("old")
    files.write_atomic(target, "new")
    assert target.read_text() == "new"
    assert target.stat().st_mode & 0o777 == 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
