"""A user's install: a wheel built from a clean copy of the checkout, in a fresh venv, outside the checkout.

The companion jar is git-ignored, so only the build hook (``setup.py``) can put it in
the wheel; this test builds that wheel, installs it into a new virtual environment and
uses it there as a user would, on the jvm backend.  Nothing is downloaded: the wheel is
built without build isolation from this venv's setuptools, installed with ``--no-deps
--no-index``, and the new venv sees this venv's dependencies through a ``.pth`` line.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pydicom
import pytest
from pydicom.data import get_testdata_file

from tests.conftest import IN_CI, ROOT

pytestmark = pytest.mark.jvm

CT = get_testdata_file("CT_small.dcm")
JDK_FIX = "apt-get install -y default-jdk-headless"

OPEN_ZIP = """
import sys
import bridge
from bridge import DicomTools, IJ
from bridge.backends.jvm import locate
bridge.set_backend("jvm")
imp = IJ.openImage(sys.argv[1])
print(bridge.__file__)
print(locate.find_companion().how)
print(repr(DicomTools.getTag(imp, "0008,0060")), imp.getWidth(), imp.getHeight())
"""


def clean_copy(target: Path) -> Path:
    """The files a fresh clone has (tracked, or new and not ignored), copied from the work tree."""
    try:
        listing = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                                 cwd=ROOT, capture_output=True, check=True, timeout=60).stdout
    except (OSError, subprocess.CalledProcessError):
        if IN_CI:
            raise
        pytest.skip("not a git checkout")
    for name in filter(None, listing.decode().split("\0")):
        source = ROOT / name
        if source.is_file():                  # (a tracked file deleted in the work tree is left out)
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def build_wheel(source: Path, out: Path, env: dict[str, str] | None = None) -> Path:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-build-isolation", "--no-deps", "--no-index",
                    "--no-cache-dir", "--disable-pip-version-check", "-q", "-w", str(out), str(source)],
                   check=True, capture_output=True, timeout=300, env=env)
    (wheel,) = out.glob("bridge-*.whl")
    return wheel


def fresh_venv(where: Path, wheel: Path) -> Path:
    """A new venv with ``wheel`` installed and this venv's installed packages visible (no downloads)."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(where)], check=True, timeout=120)
    python = where / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                          check=True, capture_output=True, text=True).stdout.strip()
    ours = dict.fromkeys(sysconfig.get_path(kind) for kind in ("purelib", "platlib"))
    # plain path lines: this venv's own .pth files (its editable bridge among them) stay unread
    Path(site, "_test_dependencies.pth").write_text("".join(f"{p}\n" for p in ours))
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index",
                    "--no-cache-dir", "--disable-pip-version-check", "-q", str(wheel)],
                   check=True, capture_output=True, timeout=300)
    return python


def user_env(home: Path, venv: Path, *, javac: bool) -> dict[str, str]:
    """A user's environment: private HOME, TMPDIR and cache, no bridge settings; ``javac=False`` hides the JDK."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("BRIDGE_", "PYTHON", "VIRTUAL_ENV", "XDG_"))}
    for name in ("home", "tmp", "cache"):
        (home / name).mkdir(exist_ok=True)
    env.update(HOME=str(home / "home"), TMPDIR=str(home / "tmp"), XDG_CACHE_HOME=str(home / "cache"))
    if not javac:
        env.pop("JAVA_HOME", None)
        env["PATH"] = str(venv / "bin")
    return env


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What a fresh clone holds."""
    return clean_copy(tmp_path_factory.mktemp("clone"))


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory, checkout: Path) -> Path:
    """The wheel a user builds from a fresh clone (built once for this module's tests)."""
    return build_wheel(checkout, tmp_path_factory.mktemp("dist"))


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> Path:
    """One fresh venv with the wheel installed; a test that hides its jar puts it back."""
    venv = tmp_path_factory.mktemp("install") / "venv"
    fresh_venv(venv, wheel)
    return venv


@pytest.fixture
def user(tmp_path: Path, venv: Path) -> User:
    return User(tmp_path, venv)


class User:
    """The installed venv used from a work folder outside the checkout, with a home, temp and cache of its own."""

    def __init__(self, home: Path, venv: Path) -> None:
        self.home, self.venv, self.python = home, venv, venv / "bin" / "python"
        self.work = home / "work"
        self.work.mkdir()
        self.zip = self.work / "ct.zip"
        with zipfile.ZipFile(self.zip, "w") as zipped:
            zipped.write(CT, "ct.dcm")
        self.cache = home / "cache"

    def run(self, *args: str, javac: bool = True, umask: int = 0o022) -> subprocess.CompletedProcess[str]:
        return subprocess.run(args, cwd=self.work, env=user_env(self.home, self.venv, javac=javac), umask=umask,
                              capture_output=True, text=True, timeout=180)

    def open_zip(self, *, umask: int = 0o022) -> tuple[Path, str, str]:
        """(bridge's module file, where the companion came from, Modality/width/height) from the jvm backend."""
        opened = self.run(str(self.python), "-c", OPEN_ZIP, str(self.zip), umask=umask)
        assert opened.returncode == 0, opened.stderr
        module, companion_from, tags = opened.stdout.splitlines()
        return Path(module), companion_from, tags

    def doctor(self, *, javac: bool = True) -> subprocess.CompletedProcess[str]:
        return self.run(str(self.venv / "bin" / "bridge"), "doctor", javac=javac)

    @contextlib.contextmanager
    def without_shipped_jar(self) -> Iterator[None]:
        """The install as a wheel built without a JDK leaves it: no jar in the package."""
        (jar,) = self.venv.glob("lib/python*/site-packages/bridge/_jars/bridge-companion.jar")
        aside = self.home / "shipped.jar"
        jar.rename(aside)
        try:
            yield
        finally:
            aside.rename(jar)


def expected_tags() -> str:
    ds = pydicom.dcmread(CT)
    return f"{' ' + ds.Modality!r} {ds.Columns} {ds.Rows}"


def test_wheel_carries_the_companion_jar_and_its_sources(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert "bridge/_jars/bridge-companion.jar" in names
    assert "bridge/_java/bridge/companion/Companion.java" in names      # for a first-use build


def test_sdist_carries_the_sources_and_builds_a_wheel_without_javac(checkout, tmp_path):
    subprocess.run([sys.executable, "-c", f"from setuptools import build_meta; build_meta.build_sdist({str(tmp_path)!r})"],
                   cwd=checkout, check=True, capture_output=True, timeout=300)
    (sdist,) = tmp_path.glob("bridge-*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {name.partition("/")[2] for name in archive.getnames()}
    assert {"setup.py", "bridge/backends/jvm/jdk.py", "java/src/bridge/companion/Companion.java"} <= names
    assert not any(name.endswith(".jar") for name in names)            # sources, never a built jar

    env = {k: v for k, v in os.environ.items() if k != "JAVA_HOME"}
    env["PATH"] = str(tmp_path)                      # no javac (nor anything else) on PATH
    wheel = build_wheel(sdist, tmp_path / "dist", env)
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert "bridge/_java/bridge/companion/Companion.java" in names      # for the first-use build
    assert "bridge/_jars/bridge-companion.jar" not in names


def test_installed_wheel_opens_a_zip_on_the_jvm_backend_and_doctor_says_ok(user):
    module, companion_from, tags = user.open_zip()
    assert module.is_relative_to(user.venv)
    assert companion_from == "shipped in the package"
    assert tags == expected_tags()
    doctor = user.doctor()
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    assert "backend jvm: ok" in doctor.stdout and "installed package" in doctor.stdout
    assert "shipped in the package" in doctor.stdout and "setup.sh" not in doctor.stdout
    assert not user.cache.exists() or not any(user.cache.iterdir())   # nothing built: the wheel had it


def test_doctor_names_the_missing_companion_and_the_fix(user):
    with user.without_shipped_jar():
        doctor = user.doctor(javac=False)
        opened = user.run(str(user.python), "-c", OPEN_ZIP, str(user.zip), javac=False)
    assert doctor.returncode == 1
    assert "backend jvm: NOT AVAILABLE" in doctor.stdout and "backend jvm: ok" not in doctor.stdout
    assert "companion  MISSING" in doctor.stdout and f"fix: {JDK_FIX}" in doctor.stdout
    assert "setup.sh" not in doctor.stdout
    assert "BackendUnavailableError" in opened.stderr and f"fix: {JDK_FIX}" in opened.stderr


def test_first_use_builds_the_companion_into_the_user_cache(user):
    with user.without_shipped_jar():
        module, companion_from, tags = user.open_zip(umask=0o027)
        (jar,) = user.cache.glob("bridge/companion-*/bridge-companion.jar")
        built = jar.stat().st_mtime_ns
        doctor = user.doctor()
    assert companion_from == "built at first use into the user cache" and tags == expected_tags()
    assert jar.stat().st_mode & 0o777 == 0o640                          # the user's umask
    assert doctor.returncode == 0 and "built at first use into the user cache" in doctor.stdout
    assert jar.stat().st_mtime_ns == built                             # built once
