"""Shared fixtures: the CLI of the same build (EMO_CLI, set by ctest; else build/emo), the repository and the data
sets, and a runner that returns the CLI's standard output."""

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(os.environ.get("EMO_DATA_DIR", ROOT.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def cli():
    path = Path(os.environ.get("EMO_CLI", ROOT / "build" / "emo"))
    if not path.exists():
        pytest.fail(f"{path}: the emo CLI is missing (build it, or set EMO_CLI)")

    def run(*args, check=True):
        done = subprocess.run([str(path), *map(str, args)], capture_output=True, text=True, encoding="utf-8")
        if check and done.returncode != 0:
            raise AssertionError(f"emo {' '.join(map(str, args))} failed ({done.returncode}): {done.stderr}")
        return done

    run.path = path
    return run


@pytest.fixture(scope="session")
def root():
    return ROOT


@pytest.fixture(scope="session")
def data():
    if not DATA.exists():
        pytest.skip(f"{DATA}: the shared data sets are not here")
    return DATA
