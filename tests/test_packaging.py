"""What `pip install .` puts in place: every package of frontdesk/, and the demo spa's files of the
top-level data/ folder as the package `frontdesk.demo_data`, read from there by `frontdesk demo`."""

from __future__ import annotations

import json
import tomllib
from importlib.resources import files
from pathlib import Path

from frontdesk import demo

ROOT = Path(__file__).resolve().parent.parent
DATA_FILES = {"catalogue.json", "names.json", "reasons.json"}


def setuptools_table() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def test_the_demo_reads_its_files_through_the_package() -> None:
    package = files("frontdesk.demo_data")
    assert DATA_FILES <= {entry.name for entry in package.iterdir()}
    assert demo.DATA == package
    assert demo.load_data() == {
        name: json.loads(package.joinpath(f"{name}.json").read_text(encoding="utf-8"))
        for name in ("catalogue", "names", "reasons")
    }


def test_the_installed_packages_carry_the_demo_data_and_every_module() -> None:
    table = setuptools_table()
    assert table["package-dir"] == {"frontdesk.demo_data": "data"}
    assert {path.name for path in (ROOT / "data").glob("*.json")} == DATA_FILES
    assert table["package-data"]["frontdesk.demo_data"] == ["*.json"]
    # a new folder of modules under frontdesk/ must be listed too, or an install leaves it out
    folders = {path.parent for path in (ROOT / "frontdesk").rglob("*.py") if "__pycache__" not in path.parts}
    packages = {".".join(folder.relative_to(ROOT).parts) for folder in folders}
    assert set(table["packages"]) == packages | {"frontdesk.demo_data"}
