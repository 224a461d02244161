"""The lock files that `make` installs from must hold every dependency of pyproject.toml."""

import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def pins(name: str) -> dict[str, str]:
    found = {}
    for line in (ROOT / name).read_text().splitlines():
        requirement = line.split("#")[0].split(";")[0].strip()
        if requirement:
            package, _, version = requirement.partition("==")
            found[canonicalize_name(package)] = version
    return found


@pytest.mark.parametrize(
    ("lock", "requirements"),
    [
        ("requirements.lock", PROJECT["dependencies"]),
        (
            "requirements-dev.lock",
            PROJECT["dependencies"] + PROJECT["optional-dependencies"]["dev"],
        ),
    ],
)
def test_the_lock_file_pins_every_dependency_within_its_range(lock, requirements):
    pinned = pins(lock)
    for line in requirements:
        requirement = Requirement(line)
        version = pinned.get(canonicalize_name(requirement.name))
        assert version, f"{requirement.name} is not in {lock}: run `make lock`"
        assert requirement.specifier.contains(version, prereleases=True), (
            f"{lock} pins {requirement.name}=={version} outside {requirement.specifier}: "
            "run `make lock`"
        )


def test_the_runtime_lock_uses_the_versions_of_the_dev_lock():
    dev = pins("requirements-dev.lock")
    assert {name: dev.get(name) for name in pins("requirements.lock")} == pins("requirements.lock")
