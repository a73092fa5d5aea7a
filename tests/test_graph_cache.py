"""The graph a question is asked of, kept in the cache folder: it never changes an answer.

Every case points the cache at a folder of its own (XDG_CACHE_HOME), so that nothing here
depends on what another run left in ~/.cache/bonemet.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from bonemet import paths
from bonemet.cli import _named_question, _parser, main
from bonemet.sparql import catalogue, graphcache

FORMATS = ("table", "csv", "tsv", "json", "xml", "turtle")


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    """The cache folder of this test, empty at the start."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "bonemet"


@pytest.fixture
def copy(tmp_path, monkeypatch) -> Path:
    """A copy of the graph's folders that bonemet reads instead of the shipped ones (which
    may change while a test runs, when they are being edited)."""
    root = tmp_path / "copy"
    for folder in ("ontology", "data", "queries"):
        shutil.copytree(paths.resource_root() / folder, root / folder)
    monkeypatch.setattr(paths, "resource_root", lambda: root)
    return root


def run(*arguments: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(arguments), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def asked(question: catalogue.Question, fmt: str) -> list[str]:
    bind = [a for example in question.example for a in ("--bind", example)]
    return ["query", question.name, *bind, "--format", fmt]


def no_making(monkeypatch) -> None:
    """From here on the store may only come from the cache file."""

    def refuse(_sources):
        raise AssertionError("the store was made from the files, not read from the cache")

    monkeypatch.setattr(graphcache, "_made", refuse)


def test_cached_and_uncached_answers_are_byte_identical_for_every_question_and_format(cache, copy, monkeypatch):
    uncached = {(q.name, fmt): run(*asked(q, fmt), "--no-cache") for q in catalogue.questions() for fmt in FORMATS}
    assert not cache.exists() or not any(cache.iterdir())  # --no-cache writes nothing
    first = run("query", "signs-and-symptoms")  # makes the store and keeps it
    assert [p.suffix for p in cache.iterdir()] == [".nq"]
    assert first == uncached[("signs-and-symptoms", "table")]
    no_making(monkeypatch)
    for (name, fmt), expected in uncached.items():
        question = catalogue.named(name)
        assert run(*asked(question, fmt)) == expected, (name, fmt)


def test_editing_a_data_file_is_seen_at_once(cache, copy):
    before = run("query", "signs-and-symptoms")
    assert "bone pain" in before[1]
    entities = copy / "data" / "entities.ttl"
    entities.write_text(entities.read_text(encoding="utf-8").replace('"bone pain"@en', '"aching bones"@en'), encoding="utf-8")
    after = run("query", "signs-and-symptoms")
    assert "aching bones" in after[1] and "bone pain" not in after[1]
    assert after == run("query", "signs-and-symptoms", "--no-cache")
    assert len(list(cache.iterdir())) == 1  # the one file of these inputs, rewritten


def test_a_new_data_file_and_edited_rules_are_seen_at_once(cache, copy):
    files = lambda: [paths.vocabulary_file(), *paths.data_files()]  # noqa: E731
    full = len(graphcache.store_with_layer(files()))
    (copy / "ontology" / "rules.ttl").write_text("# no rules\n", encoding="utf-8")
    facts = len(graphcache.store_with_layer(files()))
    assert facts < full and facts == len(graphcache.store_with_layer(files(), cache=False))
    (copy / "data" / "extra.ttl").write_text("<https://w3id.org/bonemet/id/x> <https://w3id.org/bonemet/id/y> 'z' .\n", encoding="utf-8")
    assert len(graphcache.store_with_layer(files())) == facts + 1


@pytest.mark.parametrize("damage", ["cut short", "other key", "garbage"])
def test_a_damaged_cache_file_is_not_used_and_is_made_again(cache, monkeypatch, damage):
    expected = run("query", "signs-and-symptoms", "--format", "tsv")
    [file] = cache.iterdir()
    data = file.read_bytes()
    header, body = data.split(b"\n", 1)
    if damage == "cut short":
        damaged = data[: len(data) - len(body) // 2]
    elif damage == "other key":
        words = header.split(b" ")
        words[-2] = b"0" * len(words[-2])
        damaged = b" ".join(words) + b"\n" + body
    else:  # of the right length, but not N-Quads
        damaged = header + b"\n" + b"<" * len(body)
    file.write_bytes(damaged)
    assert run("query", "signs-and-symptoms", "--format", "tsv") == expected
    assert file.read_bytes() != damaged  # made again, and kept
    no_making(monkeypatch)
    assert run("query", "signs-and-symptoms", "--format", "tsv") == expected


def test_a_cache_folder_that_cannot_be_made_means_no_cache_and_no_word(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert paths.cache_dir() is None
    assert run("query", "signs-and-symptoms") == run("query", "signs-and-symptoms", "--no-cache")


def test_the_cache_folder_follows_xdg_and_ignores_a_relative_one(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert paths.cache_dir() == tmp_path / "xdg" / "bonemet" and paths.cache_dir().is_dir()
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for relative in ("", "relative/cache"):
        monkeypatch.setenv("XDG_CACHE_HOME", relative)
        assert paths.cache_dir() == tmp_path / "home" / ".cache" / "bonemet"


SAME_READING = [
    ["query", "signs-and-symptoms"],
    ["query", "signs-and-symptoms", "--format", "csv"],
    ["query", "evidence-for", "--bind", "entity=bmr:bone-pain", "--format", "json", "--no-cache"],
    ["query", "evidence-for", "--no-cache", "--bind", "entity=bmr:bone-pain", "--bind", "x=y z", "--format", "tsv", "--format", "xml"],
    ["query", "queries/signs-and-symptoms.rq"],
    ["query", ""],
]
LEFT_TO_ARGPARSE = [
    ["query"],
    ["query", "--list"],
    ["query", "--sparql", "ASK {}"],
    ["query", "--format", "csv", "signs-and-symptoms"],
    ["query", "signs-and-symptoms", "--format=csv"],
    ["query", "signs-and-symptoms", "--form", "csv"],
    ["query", "signs-and-symptoms", "--format", "yaml"],
    ["query", "signs-and-symptoms", "--format"],
    ["query", "signs-and-symptoms", "--bind", "-x"],
    ["query", "signs-and-symptoms", "--engine", "rdflib"],
    ["query", "signs-and-symptoms", "--timeout", "5"],
    ["query", "signs-and-symptoms", "other"],
    ["query", "-h"],
    ["validate"],
    [],
]


@pytest.mark.parametrize("arguments", SAME_READING, ids=" ".join)
def test_the_quick_reading_of_a_named_question_is_argparse_s(arguments):
    parsed = vars(_parser().parse_args(arguments))
    assert parsed.pop("version") is None  # --version acts as it is read, and is never looked at after
    assert vars(_named_question(arguments)) == parsed


@pytest.mark.parametrize("arguments", LEFT_TO_ARGPARSE, ids=" ".join)
def test_any_other_command_line_is_left_to_argparse(arguments):
    assert _named_question(arguments) is None


@pytest.mark.parametrize("text", ["", "plain", "a&b<c>d", "say \"hi\"", "it's", "both \" and '", "tab\tline\nreturn\r", "&amp; already"])
def test_the_xml_answer_escapes_as_saxutils_does(text):
    from xml.sax.saxutils import escape, quoteattr

    from bonemet.sparql import results

    assert results._escape(text) == escape(text)
    assert results._quoteattr(text) == quoteattr(text)


def test_the_cache_keeps_only_the_newest_files(cache, copy, monkeypatch):
    for number in range(graphcache.KEPT + 3):  # each copy of the data is a set of input files of its own
        moved = copy.parent / f"copy-{number}"
        shutil.copytree(copy, moved)
        monkeypatch.setattr(paths, "resource_root", lambda moved=moved: moved)
        run("query", "signs-and-symptoms")
    kept = sorted(cache.iterdir())
    assert len(kept) == graphcache.KEPT
    expected = run("query", "signs-and-symptoms", "--no-cache")
    no_making(monkeypatch)  # the newest is among them
    assert run("query", "signs-and-symptoms") == expected
