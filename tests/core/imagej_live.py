"""The live reference for measurement parity: ImageJ's own classes, headless, through JPype.

Every helper here builds the Java twin of a Python object (an image with its
calibration, a selection) and asks ImageJ 1.53t for its answer, so parity
tests compare :mod:`bridge.core` against ImageJ's code, not against numbers
copied from it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from bridge.backends.jvm.adapter import java_roi
from bridge.backends.jvm.runtime import jclass, start
from bridge.core import roi as pyroi
from bridge.model import GRAY8, GRAY16, GRAY32, STRAIGHT_LINE, Calibration, ImagePlus


def java_processor(plane: np.ndarray, image_type: int) -> Any:
    """An ``ij.process`` processor holding ``plane`` (rows, cols)."""
    import jpype
    start()
    height, width = plane.shape
    if image_type == GRAY8:
        pixels = jpype.JArray(jpype.JByte)(plane.astype(np.uint8).view(np.int8).reshape(-1))
        return jclass("ij.process.ByteProcessor")(width, height, pixels)
    if image_type == GRAY16:
        pixels = jpype.JArray(jpype.JShort)(plane.astype(np.uint16).view(np.int16).reshape(-1))
        return jclass("ij.process.ShortProcessor")(width, height, pixels, None)
    if image_type == GRAY32:
        pixels = jpype.JArray(jpype.JFloat)(plane.astype(np.float32).reshape(-1))
        return jclass("ij.process.FloatProcessor")(width, height, pixels, None)
    raise ValueError(image_type)


def java_image(plane: np.ndarray, image_type: int, cal: Calibration | None = None,
               title: str = "reference") -> Any:
    """An ``ij.ImagePlus`` holding ``plane`` (rows, cols) with ``cal`` applied."""
    imp = jclass("ij.ImagePlus")(title, java_processor(plane, image_type))
    if cal is not None:
        imp.setCalibration(java_calibration(cal))
    return imp


def java_image_of(imp: ImagePlus) -> Any:
    """The Java twin of a model image: every slice with its label, the calibration, the current slice."""
    stack = jclass("ij.ImageStack")(imp.getWidth(), imp.getHeight())
    for n in range(imp.getStackSize()):
        stack.addSlice(imp.labels[n], java_processor(np.asarray(imp.data[n]), imp.getType()))
    jimp = jclass("ij.ImagePlus")(imp.getTitle(), stack)
    jimp.setCalibration(java_calibration(imp.getCalibration()))
    jimp.setSlice(imp.getCurrentSlice())
    return jimp


def java_calibration(cal: Calibration) -> Any:
    import jpype
    jcal = jclass("ij.measure.Calibration")()
    jcal.pixelWidth, jcal.pixelHeight, jcal.pixelDepth = cal.pixelWidth, cal.pixelHeight, cal.pixelDepth
    jcal.setUnit(cal.unit)
    if cal.function == STRAIGHT_LINE and cal.coefficients:
        coefficients = jpype.JArray(jpype.JDouble)(list(cal.coefficients))
        jcal.setFunction(STRAIGHT_LINE, coefficients, cal.valueUnit)
    return jcal


def java_mask(roi: pyroi.Roi) -> np.ndarray | None:
    """``roi.getMask()`` as a boolean array, None where ImageJ returns null."""
    mask = java_roi(roi).getMask()
    if mask is None:
        return None
    pixels = np.array(mask.getPixels(), dtype=np.int8)
    return (pixels != 0).reshape(int(mask.getHeight()), int(mask.getWidth()))


def java_statistics(imp: Any, roi: pyroi.Roi | None, options: int) -> Any:
    """``imp.setRoi(roi); imp.getStatistics(options)``."""
    _select(imp, roi)
    return imp.getStatistics(options)


def java_measure(imp: Any, roi: pyroi.Roi | None, options: int, table: Any = None) -> Any:
    """``Analyzer(imp, options, rt).measure()`` into ``table`` (a fresh ResultsTable when None)."""
    if table is None:
        table = jclass("ij.measure.ResultsTable")()
    _select(imp, roi)
    jclass("ij.plugin.filter.Analyzer")(imp, options, table).measure()
    return table


def _select(imp: Any, roi: pyroi.Roi | None) -> None:
    if roi is None:
        imp.deleteRoi()
    else:
        imp.setRoi(java_roi(roi))


def java_roi_with_attributes(roi: pyroi.Roi) -> Any:
    """``java_roi(roi)`` with the name, position, stroke width and rounded corners a ``.roi`` file keeps."""
    jroi = java_roi(roi)
    if roi.name is not None:
        jroi.setName(roi.name)
    if roi.position:
        jroi.setPosition(roi.position)
    if roi.stroke_width:
        jroi.setStrokeWidth(float(roi.stroke_width))
    if roi.corner_diameter:
        jroi.setCornerDiameter(roi.corner_diameter)
    return jroi


def java_roi_bytes(jroi: Any) -> bytes:
    """``RoiEncoder.saveAsByteArray(jroi)``."""
    return bytes(b & 0xFF for b in jclass("ij.io.RoiEncoder").saveAsByteArray(jroi))


def java_decode(data: bytes) -> Any:
    """``RoiDecoder.openFromByteArray(data)`` (null where ImageJ cannot read it)."""
    import jpype
    return jclass("ij.io.RoiDecoder").openFromByteArray(jpype.JArray(jpype.JByte)(list(
        b - 256 if b > 127 else b for b in data)))


def java_open_set(path: str) -> list[Any]:
    """The selections of a ``.zip`` ROI set as ImageJ's ``RoiManager.open`` reads them (a hidden manager)."""
    manager = jclass("ij.plugin.frame.RoiManager")(False)
    manager.runCommand("Open", path)
    return list(manager.getRoisAsArray())
