"""The wheel carries every package of form8k: pyproject.toml lists them by hand (form8k's
templates live outside the package folder), so a test keeps the list complete."""

from __future__ import annotations

import tomllib

from tests.conftest import REPO


def test_every_package_is_listed_for_the_wheel() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    found = {
        ".".join(init.parent.relative_to(REPO).parts)
        for init in (REPO / "form8k").rglob("__init__.py")
    }
    assert found | {"form8k.templates"} == listed
    assert config["package-dir"] == {"form8k.templates": "templates"}
