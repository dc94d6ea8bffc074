"""``BF.openImagePlus`` and ``run("Bio-Formats Importer", ...)`` on the real Bio-Formats, as model snapshots.

Bio-Formats is optional and GPL: its jar (``bioformats_package.jar``, found by
:func:`bridge.locate.bioformats_jar`) is loaded in a class loader of its own,
a child of the one holding ImageJ, on the first ``BF`` call.  The library
never puts it on the JVM's class path: ImageJ 1.x hands files it cannot open
to Bio-Formats when it finds it there, which would change what ``IJ.openImage``
gives (plain ImageJ 1.53t is the specification of that route).  So the jar can
also be installed after the JVM started.  (``bridge run`` alone installs it in
ImageJ, as a plugin, before the JVM starts: :func:`bridge.scripting.install_bioformats`.)  Without it this route raises
:class:`BackendUnavailableError` saying how to install it.  Each Java image
becomes an :class:`ImagePlus` through the same adapter as ``IJ.openImage``,
plus the hyperstack dimensions Bio-Formats sets.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Any

from ...errors import BackendUnavailableError, DicomReadError, MissingFileError, ScriptError
from ...model import ImagePlus
from ... import locate
from . import adapter, companion, runtime

#: ``ImporterOptions`` fields this route passes on (Bio-Formats' own setter names).
OPTION_SETTERS = {"virtual": "setVirtual", "autoscale": "setAutoscale", "split_channels": "setSplitChannels",
                  "open_all_series": "setOpenAllSeries", "stack_order": "setStackOrder"}


#: ImageJ's menu name of the importer, and the argument its plugins.config gives the plugin class
IMPORTER_COMMAND = "Bio-Formats Importer"
IMPORTER_ARG = "location=[Local machine] windowless=false "


def open_image_plus(path: str, options: dict[str, Any] | None = None) -> list[ImagePlus]:
    """The images ``BF.openImagePlus`` gives for ``path`` (with ``options``: an ``ImporterOptions``)."""
    jar = _jar()
    if not os.path.exists(path):
        raise MissingFileError("no such file", path)
    bf = bioformats_class(jar, "loci.plugins.BF")
    try:
        if options:
            jimps = bf.openImagePlus(_importer_options(jar, path, options))
        else:
            jimps = bf.openImagePlus(path)
    except Exception as exc:  # loci.formats.FormatException, IOException or a reader's RuntimeException
        err = runtime.java_error(exc, "BF.openImagePlus")
        raise DicomReadError(f"Bio-Formats could not read it: {err}", path, thrown=str(err)) from exc
    return [_to_model(jimp) for jimp in jimps]


def run_importer(options: str | None) -> list[tuple[ImagePlus, Any]]:
    """``run("Bio-Formats Importer", options)``: the real importer plugin, and each image it opened with its Java image.

    The plugin runs as ImageJ runs a menu command (``MacroRunner.runPlugIn``:
    a macro thread, the options as its macro options, batch mode), from
    Bio-Formats' own class loader, so ImageJ's command table need not know it.
    What the importer reports as a failure ("Sorry, there was a problem during
    import.") raises :class:`ScriptError` with its text.
    """
    plugin = bioformats_class(_jar(), "loci.plugins.LociImporter")()
    outcome, jimps = companion.run_plugin(plugin, IMPORTER_ARG, options)
    if outcome.error is not None:
        raise ScriptError(IMPORTER_COMMAND, None, outcome.error)
    return [(_to_model(jimp), jimp) for jimp in jimps]


def _jar() -> str:
    jar = locate.bioformats_jar().path
    if jar is None:
        raise BackendUnavailableError("jvm", [f"Bio-Formats: not found at {locate.bioformats_jar().how}; "
                                              f"fix: {locate.BIOFORMATS_FIX}"])
    return jar


@lru_cache(maxsize=None)
def _loader(jar: str) -> Any:
    """One class loader per jar for the process: Bio-Formats' classes over ImageJ's (its parent)."""
    import jpype
    runtime.start()
    url = runtime.jclass("java.io.File")(jar).toURI().toURL()
    parent = runtime.jclass("ij.IJ").class_.getClassLoader()
    loader = runtime.jclass("java.net.URLClassLoader")(jpype.JArray(runtime.jclass("java.net.URL"))([url]), parent)
    jpype.JClass("loci.common.DebugTools", loader=loader).setRootLevel("OFF")   # its logger writes to stdout
    return loader


def bioformats_class(jar: str, name: str) -> Any:
    """A class of Bio-Formats, from its own class loader."""
    import jpype
    return jpype.JClass(name, loader=_loader(jar))


def _importer_options(jar: str, path: str, options: dict[str, Any]) -> Any:
    jopts = bioformats_class(jar, "loci.plugins.in.ImporterOptions")()
    jopts.setId(path)
    for name, value in options.items():
        if name == "series":
            jopts.clearSeries()
            for index in value:
                jopts.setSeriesOn(int(index), True)
        else:
            getattr(jopts, OPTION_SETTERS[name])(value if isinstance(value, str) else bool(value))
    return jopts


def _to_model(jimp: Any) -> ImagePlus:
    # a composite image keeps one display range per channel: the snapshot holds the first's
    jimp.setPosition(1, 1, 1)
    imp = adapter.to_model(jimp, adapter.stack_pixels(jimp) if companion.available() else None)
    imp.dimensions = (int(jimp.getNChannels()), int(jimp.getNSlices()), int(jimp.getNFrames()))
    return imp
