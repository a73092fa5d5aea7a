"""Generated input for the Turtle reader, the --bind term parser and the query-nesting
guard: whatever comes in, the command ends with exit 0, 1 or 2 and at most one line on
standard error, never a traceback (an exception would fail the test here)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES

PROPERTY_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# pieces of Turtle, so that generated files reach deep into the parser, not only its first byte
TURTLE_PIECES = st.sampled_from([
    "@prefix x: <http://x/> .", "@base <http://x/> .", "x:a", "x:b", "<http://x/c>", "<bad iri>", '"lit"', '"""long"""',
    '"5"^^<http://www.w3.org/2001/XMLSchema#integer>', '"x"@en', "[", "]", "(", ")", ";", ",", ".", "_:b", "a", "@@", "\\u0000",
    "\n", " ", "#", "true", "1.5e3", "'", '"', "<", ">", "\x1b[2J",
])


def _one_line_or_none(err: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) <= 1, err
    assert not lines or lines[0].startswith(("bonemet: error: ", "bonemet: warning: ")), err


@PROPERTY_SETTINGS
@given(pieces=st.lists(TURTLE_PIECES, max_size=40), noise=st.binary(max_size=40))
def test_any_turtle_file_ends_cleanly(cli, tmp_path_factory, pieces, noise):
    path = tmp_path_factory.mktemp("turtle") / "generated.ttl"
    path.write_bytes(" ".join(pieces).encode("utf-8") + noise)
    outcome = cli("validate", str(path))
    assert outcome.code in (0, 1, 2)
    _one_line_or_none(outcome.err)
    if outcome.code == 2:
        assert outcome.out == ""


@PROPERTY_SETTINGS
@given(value=st.one_of(
    st.text(max_size=60),
    st.builds(lambda s: f"<{s}>", st.text(max_size=40)),
    st.builds(lambda s, d: f'"{s}"^^<{d}>', st.text(max_size=10), st.text(max_size=30)),
    st.builds(lambda s, t: f'"{s}"@{t}', st.text(max_size=10), st.text(max_size=10)),
    st.builds(lambda s: f"bmr:{s}", st.text(max_size=30)),
))
def test_any_bind_value_ends_cleanly(cli, value):
    outcome = cli("query", str(FIXTURES / "cli" / "with-parameter.rq"), "--bind", f"entity={value}")
    assert outcome.code in (0, 2)
    _one_line_or_none(outcome.err)


@PROPERTY_SETTINGS
@given(depth=st.integers(min_value=0, max_value=5000), brackets=st.sampled_from(["{}", "()", "[]"]), noise=st.text(alphabet="{}()[] ?x.", max_size=50))
def test_any_nesting_ends_cleanly(cli, depth, brackets, noise):
    opening, closing = brackets
    text = "SELECT * WHERE { " + opening * depth + " ?s ?p ?o " + closing * depth + " }" + noise
    outcome = cli("query", "--sparql", text, "--format", "csv")
    assert outcome.code in (0, 2)
    _one_line_or_none(outcome.err)
    if depth > 100:
        assert outcome.code == 2 and "nested" in outcome.err
