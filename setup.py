"""Build hook: the wheel carries the Java companion, compiled here where a JDK is present.

``bridge/_jars/bridge-companion.jar`` is not in git; without this hook a wheel or a
``pip install`` from a checkout would have no companion, and the jvm backend would
lack zips, scripts and the one-call pixel export.  So ``build_py`` also

* copies ``java/src`` into the package as ``bridge/_java`` (the running package
  builds the jar from these at first use when the wheel had to go without it), and
* compiles them into ``bridge/_jars/bridge-companion.jar`` with the lookup the
  running package uses (``bridge/jdk.py``, standard library only, so
  it is loaded here by path).

Without ``javac``, ``ij.jar`` or Rhino the build still succeeds, with a warning.
``pip install -e`` builds the jar into the checkout, as ``scripts/build_java.sh`` does.
It also builds the optional C accelerators of the header walk
(``bridge/core/_walker.c``) and of the median filter (``bridge/core/_rank.c``): where no C compiler (or no Python headers) is found,
or the compile fails, the install still succeeds with a warning and bridge runs
its pure-Python paths (``bridge doctor`` says which path is in use).

Everything else is in ``pyproject.toml``.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
JAVA_SOURCES = ROOT / "java" / "src"


def load_jdk_module() -> ModuleType:
    """``bridge/jdk.py`` alone: importing ``bridge`` would need its dependencies here."""
    spec = importlib.util.spec_from_file_location("_bridge_build_jdk", ROOT / "bridge" / "jdk.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module       # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


class BuildPyWithCompanion(build_py):
    """``build_py``, then the companion's sources and jar into the package."""

    def run(self) -> None:
        super().run()
        if not JAVA_SOURCES.is_dir():
            self.warn(f"no Java sources at {JAVA_SOURCES}: the companion jar is not built")
            return
        editable = bool(getattr(self, "editable_mode", False))
        package = ROOT / "bridge" if editable else Path(self.build_lib) / "bridge"
        if not editable:        # an editable install finds the checkout's java/src itself
            shutil.rmtree(package / "_java", ignore_errors=True)
            shutil.copytree(JAVA_SOURCES, package / "_java")
        jdk = load_jdk_module()
        jar = package / "_jars" / jdk.COMPANION_JAR_NAME
        try:
            count = jdk.build_companion(JAVA_SOURCES, jar)
        except jdk.CompanionBuildError as exc:
            if not editable:
                jar.unlink(missing_ok=True)     # never ship a jar an earlier build left in build/
            self.warn(f"the Java companion jar was not built: {exc}\n"
                      "bridge will build it at first use where javac is installed")
            return
        self.announce(f"built {jar} ({count} Java sources)", level=2)


_OPTIMIZE = [] if sys.platform.startswith("win") else ["-O2"]
ACCELERATORS = [Extension("bridge.core._walker", ["bridge/core/_walker.c"], optional=True, extra_compile_args=_OPTIMIZE),
                Extension("bridge.core._rank", ["bridge/core/_rank.c"], optional=True, extra_compile_args=_OPTIMIZE)]


class OptionalBuildExt(build_ext):
    """``build_ext`` that warns instead of failing: the accelerators are never required."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as exc:        # no compiler at all (distutils' CCompilerError, PlatformError, ...)
            self.warn(f"the C accelerator was not built ({exc}); bridge uses its pure-Python path")

    def build_extension(self, ext: Extension) -> None:
        try:
            super().build_extension(ext)
        except Exception as exc:        # a compile or link error
            self.warn(f"the C accelerator {ext.name} was not built ({exc}); bridge uses its pure-Python path")


setup(ext_modules=ACCELERATORS, cmdclass={"build_py": BuildPyWithCompanion, "build_ext": OptionalBuildExt})
