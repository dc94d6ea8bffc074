"""``BF.openImagePlus`` on the real Bio-Formats (``loci.plugins.BF``), as model snapshots.

Bio-Formats is optional and GPL: its jar (``bioformats_package.jar``) is put on
the JVM's class path when :func:`bridge.backends.jvm.locate.bioformats_jar`
finds it at start-up (:func:`bridge.backends.jvm.runtime.class_path`); without
it this route raises :class:`BackendUnavailableError` saying how to install it.
Each Java image becomes an :class:`ImagePlus` through the same adapter as
``IJ.openImage``, plus the hyperstack dimensions Bio-Formats sets.
"""

from __future__ import annotations

import os
from typing import Any

from ...errors import BackendUnavailableError, DicomReadError, MissingFileError
from ...model import ImagePlus
from . import adapter, companion, locate, runtime

#: ``ImporterOptions`` fields this route passes on (Bio-Formats' own setter names).
OPTION_SETTERS = {"virtual": "setVirtual", "autoscale": "setAutoscale", "split_channels": "setSplitChannels",
                  "open_all_series": "setOpenAllSeries"}


def open_image_plus(path: str, options: dict[str, Any] | None = None) -> list[ImagePlus]:
    """The images ``BF.openImagePlus`` gives for ``path`` (with ``options``: an ``ImporterOptions``)."""
    _require_jar()
    if not os.path.exists(path):
        raise MissingFileError("no such file", path)
    bf = runtime.jclass("loci.plugins.BF")
    try:
        if options:
            jimps = bf.openImagePlus(_importer_options(path, options))
        else:
            jimps = bf.openImagePlus(path)
    except Exception as exc:  # loci.formats.FormatException, IOException or a reader's RuntimeException
        err = runtime.java_error(exc, "BF.openImagePlus")
        raise DicomReadError(f"Bio-Formats could not read it: {err}", path, thrown=str(err)) from exc
    return [_to_model(jimp) for jimp in jimps]


def _require_jar() -> None:
    if locate.bioformats_jar().path is None:
        raise BackendUnavailableError("jvm", [f"Bio-Formats: not found at {locate.bioformats_jar().how}; "
                                              f"fix: {locate.BIOFORMATS_FIX}"])
    runtime.start()
    if not _on_class_path():
        raise BackendUnavailableError("jvm", ["Bio-Formats was installed after this process started its JVM "
                                              "(the class path is fixed at start): run the script anew"])
    runtime.jclass("loci.common.DebugTools").setRootLevel("OFF")   # its logger writes to stdout


def _on_class_path() -> bool:
    import jpype
    try:
        jpype.JClass("loci.plugins.BF")
    except TypeError:   # JPype: "Class loci.plugins.BF is not found"
        return False
    return True


def _importer_options(path: str, options: dict[str, Any]) -> Any:
    jopts = runtime.jclass("loci.plugins.in.ImporterOptions")()
    jopts.setId(path)
    for name, value in options.items():
        if name == "series":
            jopts.clearSeries()
            for index in value:
                jopts.setSeriesOn(int(index), True)
        else:
            getattr(jopts, OPTION_SETTERS[name])(bool(value))
    return jopts


def _to_model(jimp: Any) -> ImagePlus:
    # a composite image keeps one display range per channel: the snapshot holds the first's
    jimp.setPosition(1, 1, 1)
    imp = adapter.to_model(jimp, adapter.stack_pixels(jimp) if companion.available() else None)
    imp.dimensions = (int(jimp.getNChannels()), int(jimp.getNSlices()), int(jimp.getNFrames()))
    return imp
