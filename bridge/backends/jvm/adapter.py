"""Turn a Java ``ij.ImagePlus`` into a :class:`bridge.model.ImagePlus` snapshot.

Pixels move a whole slice at a time (JNI per pixel costs ~1 µs), or the whole
stack in one call when the companion jar is present (:func:`stack_pixels`);
Java's signed ``short``/``byte`` arrays are reinterpreted as the unsigned values
ImageJ means by them.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...core import roi as rois
from ...core.threshold import NO_THRESHOLD
from ...model import COLOR_RGB, GRAY8, GRAY16, GRAY32, Calibration, ImagePlus
from . import companion
from .runtime import jclass

_VIEW = {GRAY8: np.uint8, GRAY16: np.uint16, GRAY32: np.float32, COLOR_RGB: np.int32}


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


def slice_pixels(jpixels: Any, image_type: int) -> np.ndarray:
    """One Java pixel array as a 1-D numpy array of ImageJ's storage type (a copy)."""
    raw = np.asarray(memoryview(jpixels))
    return raw.view(_VIEW.get(image_type, np.uint8))


def storage_dtype(image_type: int) -> np.dtype:
    """The numpy type of ImageJ's pixel storage (COLOR_256 is stored as bytes)."""
    return np.dtype(_VIEW.get(image_type, np.uint8))


def stack_pixels(jimp: Any) -> np.ndarray | None:
    """All slices as one (n, h, w) array, copied by the companion in a single call.

    None for ImageJ's processor-less empty image (a failing zip entry): nothing to copy.
    """
    if jimp.getProcessor() is None:
        return None
    shape = (int(jimp.getStackSize()), int(jimp.getHeight()), int(jimp.getWidth()))
    data = np.empty(shape, dtype=storage_dtype(int(jimp.getType())))
    companion.export_pixels(jimp, data)
    return data


def calibration(jcal: Any) -> Calibration:
    coefficients = jcal.getCoefficients()
    return Calibration(
        pixelWidth=float(jcal.pixelWidth), pixelHeight=float(jcal.pixelHeight),
        pixelDepth=float(jcal.pixelDepth), unit=str(jcal.getUnit()),
        function=int(jcal.getFunction()),
        coefficients=None if coefficients is None else [float(c) for c in coefficients],
        valueUnit=str(jcal.getValueUnit()),
        xOrigin=float(jcal.xOrigin), yOrigin=float(jcal.yOrigin), zOrigin=float(jcal.zOrigin))


def to_model(jimp: Any, stack_pixels: np.ndarray | None = None) -> ImagePlus:
    """Snapshot ``jimp``; ``stack_pixels`` is a ready (n, h, w) array when the companion exported one."""
    width, height, n = int(jimp.getWidth()), int(jimp.getHeight()), int(jimp.getStackSize())
    image_type = int(jimp.getType())
    if jimp.getProcessor() is None:
        # A failing .dcm entry in a zip: ImageJ returns the empty DICOM object (0x0, no processor).
        return ImagePlus(title=str(jimp.getTitle()), data=np.zeros((1, 0, 0), dtype=np.uint8),
                         image_type=image_type, display_range=(0.0, 0.0))
    if image_type == 3:  # COLOR_256 is stored as bytes
        image_type_storage = GRAY8
    else:
        image_type_storage = image_type
    labels: list[str | None]
    if stack_pixels is not None:
        data = stack_pixels
    else:
        data = np.empty((n, height, width), dtype=_VIEW.get(image_type_storage, np.uint8))
    if n == 1:
        # getStack() on a single image would add a label as a side effect: avoid it
        # (unless ImageJ built the image from a stack, which then has its label).
        if stack_pixels is None:
            data[0] = slice_pixels(jimp.getProcessor().getPixels(), image_type_storage).reshape(height, width)
        labels = [_str(jimp.getStack().getSliceLabel(1))] if jimp.hasImageStack() else [None]
    else:
        jstack = jimp.getStack()
        labels = [_str(jstack.getSliceLabel(i)) for i in range(1, n + 1)]
        if stack_pixels is None:
            for i in range(n):
                data[i] = slice_pixels(jstack.getPixels(i + 1), image_type_storage).reshape(height, width)
    lut = None
    jproc = jimp.getProcessor()
    if jproc is not None and image_type in (GRAY8, 3) and jproc.isColorLut():
        cm = jproc.getColorModel()
        # A palette may have more than 256 entries (ImageJ keeps them all; pixels reach the
        # first 256) or fewer (the rest read as 0): copy the whole map, keep 256.
        size = int(cm.getMapSize())
        lut = np.zeros((3, 256), dtype=np.uint8)
        for channel, getter in enumerate((cm.getReds, cm.getGreens, cm.getBlues)):
            jbuf = _java_bytes(max(size, 256))
            getter(jbuf)
            lut[channel] = np.asarray(memoryview(jbuf))[:256].view(np.uint8)
    info = jimp.getProperty("Info")
    fi = jimp.getOriginalFileInfo()
    file_info = {}
    if fi is not None:
        file_info = {"fileFormat": int(fi.fileFormat), "fileName": _str(fi.fileName),
                     "directory": _str(fi.directory), "fileType": int(fi.fileType),
                     "offset": int(fi.getOffset()), "intelByteOrder": bool(fi.intelByteOrder)}
    return ImagePlus(
        min_threshold=float(jproc.getMinThreshold()), max_threshold=float(jproc.getMaxThreshold()),
        lut_update=int(jproc.getLutUpdateMode()),
        title=str(jimp.getTitle()), data=data, image_type=image_type,
        info=_str(info) if info is not None else None, labels=labels,
        calibration=calibration(jimp.getCalibration()),
        display_range=(float(jimp.getDisplayRangeMin()), float(jimp.getDisplayRangeMax())),
        inverted_lut=bool(jimp.isInvertedLut()), lut=lut, file_info=file_info,
        current_slice=int(jimp.getCurrentSlice()), image_id=int(jimp.getID()))


def push_state(imp: ImagePlus, jimp: Any) -> None:
    """Hand the snapshot's display range and threshold to its Java image (a script may have set them)."""
    jproc = jimp.getProcessor()
    if jproc is None:
        return
    if imp.image_type in (GRAY16, GRAY32) and \
            (float(jproc.getMin()), float(jproc.getMax())) != tuple(imp.display_range):
        jproc.setMinAndMax(float(imp.display_range[0]), float(imp.display_range[1]))
    if (float(jproc.getMinThreshold()), float(jproc.getMaxThreshold()), int(jproc.getLutUpdateMode())) != \
            (imp.min_threshold, imp.max_threshold, imp.lut_update):
        if imp.min_threshold == NO_THRESHOLD:
            jproc.resetThreshold()
        else:
            jproc.setThreshold(float(imp.min_threshold), float(imp.max_threshold), int(imp.lut_update))


def _java_bytes(n: int) -> Any:
    import jpype
    return jpype.JArray(jpype.JByte)(n)


def java_roi(roi: rois.Roi) -> Any:
    """The ``ij.gui`` selection built with the same constructor arguments as the core's ``roi``."""
    import jpype
    kind = roi.getType()
    if kind in (rois.RECTANGLE, rois.OVAL):
        x, y, w, h = roi._float_bounds
        cls = jclass("ij.gui.Roi" if kind == rois.RECTANGLE else "ij.gui.OvalRoi")
        if not roi.subpixel:
            return cls(jpype.JInt(int(x)), jpype.JInt(int(y)), jpype.JInt(int(w)), jpype.JInt(int(h)))
        return cls(jpype.JDouble(x), jpype.JDouble(y), jpype.JDouble(w), jpype.JDouble(h))
    if isinstance(roi, rois.PolygonRoi):
        xs = jpype.JArray(jpype.JInt)(roi.xpoints)
        ys = jpype.JArray(jpype.JInt)(roi.ypoints)
        return jclass("ij.gui.PolygonRoi")(xs, ys, len(roi.xpoints), kind)
    if isinstance(roi, rois.Line):
        return jclass("ij.gui.Line")(jpype.JDouble(roi.x1d), jpype.JDouble(roi.y1d),
                                     jpype.JDouble(roi.x2d), jpype.JDouble(roi.y2d))
    if isinstance(roi, rois.PointRoi):
        if roi.single:
            return jclass("ij.gui.PointRoi")(jpype.JDouble(roi.xpoints[0]), jpype.JDouble(roi.ypoints[0]))
        xs = jpype.JArray(jpype.JFloat)(roi.xpoints)
        ys = jpype.JArray(jpype.JFloat)(roi.ypoints)
        return jclass("ij.gui.PointRoi")(xs, ys, len(roi.xpoints))
    raise ValueError(f"no Java twin for {roi!r}")


def model_roi(jroi: Any) -> rois.Roi | None:
    """The core's twin of a Java selection (rectangle, oval, polygon, line, points); None for none, angle, composite.

    Rectangles and ovals keep their sub-pixel bounds; other kinds the
    integer or float points ``java_roi`` would build them from.
    """
    if jroi is None:
        return None
    kind = int(jroi.getType())
    if kind in (rois.RECTANGLE, rois.OVAL):
        b = jroi.getFloatBounds()
        cls = rois.Roi if kind == rois.RECTANGLE else rois.OvalRoi
        return cls(float(b.x), float(b.y), float(b.width), float(b.height))
    if kind in (rois.POLYGON, rois.FREEROI, rois.TRACED_ROI, rois.POLYLINE, rois.FREELINE):
        polygon = jroi.getPolygon()
        n = int(polygon.npoints)
        return rois.PolygonRoi([int(v) for v in polygon.xpoints[:n]], [int(v) for v in polygon.ypoints[:n]], kind)
    if kind == rois.LINE:
        return rois.Line(float(jroi.x1d), float(jroi.y1d), float(jroi.x2d), float(jroi.y2d))
    if kind == rois.POINT:
        points = jroi.getFloatPolygon()
        n = int(points.npoints)
        return rois.PointRoi([float(v) for v in points.xpoints[:n]], [float(v) for v in points.ypoints[:n]])
    return None     # an angle or a composite (ShapeRoi): the core has no twin for them
