"""A command that runs for a while says on standard error what it is doing."""

from __future__ import annotations

import io
import time

from bonemet import cli, progress


def test_a_long_command_shows_its_steps_on_stderr(monkeypatch):
    from bonemet import stats

    monkeypatch.setattr(cli._Progress, "AFTER", 0.0)
    counting = stats.compute
    monkeypatch.setattr(stats, "compute", lambda graph: (time.sleep(0.6), counting(graph))[1])  # a slow machine
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(["stats"], stdout=out, stderr=err)
    assert code == 0
    lines = err.getvalue().splitlines()
    assert any(line.startswith(("bonemet: loading ", "bonemet: deriving ")) for line in lines), lines
    assert lines[-1].startswith("bonemet: done in ")
    assert "triples" in out.getvalue() and "bonemet:" not in out.getvalue()


def test_a_quick_command_stays_silent():
    out, err = io.StringIO(), io.StringIO()
    assert cli.main(["query", "--list"], stdout=out, stderr=err) == 0
    assert err.getvalue() == ""


def test_steps_outside_a_listener_go_nowhere():
    progress.step("nobody listens")  # no error, no output


def test_the_listener_sees_each_step_and_is_removed_after():
    seen = []
    with progress.listening(seen.append):
        progress.step("one")
        progress.step("two")
    progress.step("three")
    assert seen == ["one", "two"]


def test_a_long_step_is_repeated_every_few_seconds(monkeypatch):
    monkeypatch.setattr(cli._Progress, "AFTER", 0.0)
    monkeypatch.setattr(cli._Progress, "EVERY", 0.3)
    err = io.StringIO()
    with cli._Progress(err):
        progress.step("a slow step")
        time.sleep(1.0)
    repeats = [line for line in err.getvalue().splitlines() if line.startswith("bonemet: a slow step")]
    assert len(repeats) >= 2
