"""``bridge doctor``: what each backend needs, what was found where, and the command that fixes what is missing.

"ok" is said only after the backend has really run here: for the jvm backend,
the JVM started with ImageJ and the companion classes loaded from their jar
(the first start may build that jar into the user cache, see
``bridge/locate.py``).  The optional packages are listed with the pip
extra that brings them, and the compressed transfer syntaxes with the
decoders pydicom finds for them.  ``scripts/setup.sh`` is named only to someone
running from a checkout, the one place it exists.
"""

from __future__ import annotations

import platform
import sys
import time
from dataclasses import dataclass
from importlib import metadata

from . import backends, config, emulation, locate
from .backends.jvm import display
from .core import native
from .errors import BackendUnavailableError

#: optional distributions: (name, pip extra of bridge that brings it, what it adds)
OPTIONAL_PACKAGES = (
    ("pylibjpeg", "jpeg", "the plug-in host of the decoders below"),
    ("pylibjpeg-openjpeg", "jpeg", "JPEG 2000 and HTJ2K"),
    ("pylibjpeg-rle", "jpeg", "fast RLE"),
    ("pyjpegls", "jpeg", "JPEG-LS"),
    ("pillow", "jpeg", "JPEG baseline and extended, JPEG 2000"),
    ("pylibjpeg-libjpeg", "jpeg-gpl", "JPEG lossless and 12-bit extended (GPL-3)"),
    ("tqdm", "progress", "progress bars in bridge.scan / bridge scan"),
    ("distributed", "dask", "bridge.scan(executor=dask.distributed.Client(...))"),
)


@dataclass(frozen=True)
class BackendCheck:
    """One backend's verdict: a one-line status and whether it runs here."""

    line: str
    ok: bool
    imagej_version: str | None = None


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def check_backend(name: str) -> BackendCheck:
    """Run the backend for real (the jvm one starts its JVM) and say what happened."""
    backend = backends.load(name)
    problems = backend.missing()
    if problems:
        return BackendCheck("\n".join([f"backend {name}: NOT AVAILABLE", *(f"  - {p}" for p in problems)]), False)
    started = time.perf_counter()
    try:
        version = backend.full_version()
    except BackendUnavailableError as exc:    # the jvm backend's first start could not build the companion
        return BackendCheck("\n".join([f"backend {name}: NOT AVAILABLE", *(f"  - {p}" for p in exc.missing)]), False)
    except Exception as exc:  # doctor reports, it does not fail
        return BackendCheck(f"backend {name}: broken ({exc})", False)
    elapsed = time.perf_counter() - started
    if name != "jvm":
        return BackendCheck(f"backend {name}: ok, emulates ImageJ {version}", True, version)
    from .backends.jvm import companion
    if not companion.available():
        jar = locate.find_companion()
        return BackendCheck(f"backend jvm: broken (the JVM runs, but {companion.COMPANION_CLASS} does not load "
                            f"from {jar.path or 'any jar'}; fix: {_rebuild(jar.path)})", False, version)
    return BackendCheck(f"backend jvm: ok, emulates ImageJ {version} with the companion, JVM start {elapsed:.2f} s, "
                        f"{_jvm_display()}", True, version)


def _rebuild(jar: str | None) -> str:
    """The command that replaces a companion jar the JVM cannot load."""
    if jar and locate.CHECKOUT and jar == str(locate.COMPANION_JAR):
        return f"rm {jar}; scripts/build_java.sh"
    if jar and jar != str(locate.COMPANION_JAR):
        return f"rm {jar} (bridge builds it again at the next start)"
    return "pip install --force-reinstall --no-deps bridge, from the source you installed it from"


def jvm_pieces(imagej_version: str | None) -> list[str]:
    """Each piece of the jvm backend: its path (or MISSING) and where it came from."""
    ij = locate.ij_jar()
    cds = locate.CDS_ARCHIVE
    pieces = [("JVM", locate.jvm_library(), ""), ("javac", locate.javac(), "only to build the companion jar"),
              ("ij.jar", ij, f"ImageJ {imagej_version}" if imagej_version and ij.path else ""),
              ("Rhino", locate.rhino_jar(), "ImageJ JavaScript"), ("companion", locate.find_companion(), ""),
              ("BioFormats", locate.bioformats_jar(), "optional, GPL: BF.openImagePlus")]
    lines = [f"  {label:<11}{found.path or 'MISSING'}{f' ({note})' if note else ''}  [{found.how}]"
             for label, found, note in pieces]
    lines.append(_display_line())
    archives = [path for path in (cds, locate.RUN_CDS_ARCHIVE) if path.is_file()]
    if archives:
        lines.append(f"  {'class data':<11}{', '.join(map(str, archives))}  [a faster JVM start]")
    else:
        made_by = "scripts/setup.sh records them" if locate.CHECKOUT else "optional"
        lines.append(f"  {'class data':<11}none  [a faster JVM start; {made_by}]")
    return lines


def optional_packages() -> list[str]:
    return [f"  {name:<19}{_version(name):<15}[{extra}] {adds}" for name, extra, adds in OPTIONAL_PACKAGES]


def transfer_syntaxes() -> list[str]:
    """The compressed transfer syntaxes ImageJ refuses, and which decoders read them with ``decode="all"``."""
    import pydicom.uid
    from pydicom.pixels import get_decoder
    from .decompress import missing_decoder
    lines = []
    for uid in (*pydicom.uid.JPEGTransferSyntaxes, *pydicom.uid.JPEGLSTransferSyntaxes,
                *pydicom.uid.JPEG2000TransferSyntaxes, *pydicom.uid.RLETransferSyntaxes):
        try:
            plugins = get_decoder(uid).available_plugins
        except NotImplementedError:
            lines.append(f"  {uid:<24}{uid.name}: no decoder exists in pydicom")
            continue
        how = ", ".join(plugins) if plugins else "none installed; " + missing_decoder("", uid).reason.partition("; ")[2]
        lines.append(f"  {uid:<24}{uid.name}: {how}")
    return lines


def report() -> tuple[str, bool]:
    """The doctor's text and whether every backend is usable."""
    checks = {name: check_backend(name) for name in backends.NAMES}
    emulated = emulation.emulated()
    where = f"checkout {locate.CHECKOUT}" if locate.CHECKOUT else "installed package"
    lines = [f"bridge     {_version('bridge')} ({locate.PACKAGE_DIR}, {where})",
             f"Python     {platform.python_version()} ({sys.executable})",
             f"numpy      {_version('numpy')}",
             f"pydicom    {_version('pydicom')}",
             f"JPype1     {_version('JPype1')}",
             f"ImageJ     {emulated.version} emulated  [{emulated.how}]",
             "jvm backend pieces:", *jvm_pieces(checks["jvm"].imagej_version),
             "optional packages (pip install 'bridge[EXTRA]'):", *optional_packages(),
             'compressed transfer syntaxes (ImageJ refuses them; decode="all" reads them with):',
             *transfer_syntaxes()]
    lines.extend(check.line for check in checks.values())
    lines.append(f"default backend: {backends.get_backend()}")
    lines.append(f"header walk: {native.path_in_use()}")
    lines.append(f"median filter: {native.median_path_in_use()}")
    return "\n".join(lines), all(check.ok for check in checks.values())


def _display_line() -> str:
    """Whether ImageJ's commands can have a display: Xvfb found, and the BRIDGE_DISPLAY rule."""
    xvfb = display.xvfb_installed()
    found = xvfb or "MISSING (apt-get install xvfb: ImageJ's menu commands need it; see docs/scripts.md)"
    return f"  {'Xvfb':<11}{found}  [BRIDGE_DISPLAY={config.settings().display}]"


def _jvm_display() -> str:
    """What the running JVM got: bridge's Xvfb and its number, $DISPLAY, or headless and why."""
    status = display.status()
    return f"display {status.mode} {status.display}" if not status.headless else f"headless ({status.problem})"
