"""A wheel built from the repository works on its own, from any folder."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("bonemet-*.whl")
    return built


def test_the_wheel_carries_ontology_data_shapes_and_queries(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "bonemet/resources/ontology/bonemet.ttl",
        "bonemet/resources/ontology/shapes.ttl",
        "bonemet/resources/data/source/bone-metastasis.txt",
        "bonemet/resources/queries/source-last-reviewed.rq",
        "bonemet/resources/queries/source-last-reviewed.srj",
    ):
        assert required in names, required
    shipped = {f"bonemet/resources/data/{p.name}" for p in (ROOT / "data").glob("*.ttl")}
    assert shipped <= names


@pytest.mark.slow
def test_installed_wheel_validates_and_answers_from_any_folder(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(wheel)], check=True, capture_output=True)
    elsewhere = tmp_path / "somewhere-else"
    elsewhere.mkdir()
    bonemet = env_dir / "bin" / "bonemet"
    clean_env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}

    validated = subprocess.run([str(bonemet), "validate"], cwd=elsewhere, env=clean_env, capture_output=True, text=True)
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert validated.stdout.startswith("CONFORMS")

    answered = subprocess.run([str(bonemet), "query", "source-last-reviewed", "--format", "csv"], cwd=elsewhere, env=clean_env, capture_output=True, text=True)
    assert answered.returncode == 0, answered.stderr
    assert "2022-04-27" in answered.stdout

    where = subprocess.run([str(python), "-c", "import bonemet.paths as p; print(p.resource_root())"], cwd=elsewhere, env=clean_env, capture_output=True, text=True)
    assert str(env_dir) in where.stdout  # the installed copy, not the repository
