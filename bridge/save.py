"""Saving an image as DICOM: ``bridge.save_dicom(imp, path)`` and ``IJ.saveAs(imp, "DICOM", path)``.

ImageJ 1.x cannot write DICOM.  bridge writes, through pydicom, what the
image holds, so that opening the file again (on either backend) gives back
the same pixels, calibration and display range.  The rules, and why:

* **Pixels** are ImageJ's stored values with its calibration undone
  (:func:`pixel_module`): 8-bit as unsigned 8-bit; 16-bit as unsigned
  16-bit, or -- when the image is ImageJ's signed data, i.e. the source was
  signed, or, for a computed image, the calibration starts at -32768 or
  lower -- back to int16 with the intercept moved by +32768 (ImageJ's
  shift, undone); RGB as 8-bit interleaved RGB.  **32-bit images are
  written as Float Pixel Data** (7FE0,0008): float32 exactly, where scaled
  integers would lose values.  ImageJ 1.53t reads it back as the same
  32-bit image; only an IOD validator objects (Secondary Capture does not
  list float pixels).
* **Calibration**: a straight line becomes Rescale Intercept/Slope, the
  display range a Window Center/Width (in calibrated values, as ImageJ
  reads it), the spatial scale Pixel Spacing and Slice Thickness (or
  Spacing Between Slices when the source used it).  RGB images get no
  window: ImageJ would rewrite their pixels with it.
* **Header**: the source file's data set (:func:`bridge.dataset`) with
  every attribute kept where it still holds; an attribute that already has
  the value to write is left as the source spelt it.  Pixel statistics,
  VOI/Modality LUTs and palettes that no longer describe the pixels are
  dropped.  Always a new SOP Instance UID.  The SOP Class stays when the
  pixel encoding (size, frames, samples, depth, sign, colour model) is the
  source's; otherwise the file becomes Secondary Capture (multi-frame SC
  for stacks) in a new series, as the original class no longer applies.
  A computed image gets a minimal Secondary Capture header.
* **Safety**: the file is written to a temporary name beside the target
  and renamed into place, so a failed or interrupted save (Ctrl-C
  included) leaves nothing behind and the old file as it was.  A new file
  gets the user's umask (0666 less it), a replaced file keeps its mode.
  The image's own source file is never replaced unless ``overwrite=True``.
"""

from __future__ import annotations

import datetime
import os
import warnings
from typing import Any

import numpy as np

from .core import atomicfile
from .dataset import dataset as source_dataset, source_path
from .errors import BridgeError, OverwriteError, SaveError
from .model import COLOR_256, COLOR_RGB, GRAY8, GRAY16, GRAY32, STRAIGHT_LINE, ImagePlus, rgb_unpack

SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7"
#: multi-frame Secondary Capture classes by (samples per pixel, bits allocated)
MULTIFRAME_SC = {(1, 8): "1.2.840.10008.5.1.4.1.1.7.2", (1, 16): "1.2.840.10008.5.1.4.1.1.7.3",
                 (3, 8): "1.2.840.10008.5.1.4.1.1.7.4"}
EXPLICIT_LITTLE = "1.2.840.10008.1.2.1"

#: attributes computed from the pixels, or overriding what is written here: dropped
_STALE = ("SmallestImagePixelValue", "LargestImagePixelValue", "SmallestPixelValueInSeries",
          "LargestPixelValueInSeries", "ModalityLUTSequence", "VOILUTSequence", "WindowCenterWidthExplanation",
          "PixelData", "FloatPixelData", "DoubleFloatPixelData", "ExtendedOffsetTable",
          "ExtendedOffsetTableLengths", "DataSetTrailingPadding", "ICCProfile", "ColorSpace")
_PALETTE = ("RedPaletteColorLookupTableDescriptor", "GreenPaletteColorLookupTableDescriptor",
            "BluePaletteColorLookupTableDescriptor", "RedPaletteColorLookupTableData",
            "GreenPaletteColorLookupTableData", "BluePaletteColorLookupTableData",
            "PaletteColorLookupTableUID", "SegmentedRedPaletteColorLookupTableData",
            "SegmentedGreenPaletteColorLookupTableData", "SegmentedBluePaletteColorLookupTableData")
_SIGN_DEPENDENT = ("PixelPaddingValue", "PixelPaddingRangeLimit")
#: what describes the pixel encoding; the SOP class stays only when all of it is the source's
_ENCODING = ("Rows", "Columns", "SamplesPerPixel", "BitsAllocated", "PixelRepresentation", "NumberOfFrames")
#: class-specific structure that a Secondary Capture file cannot carry
_CLASS_SPECIFIC = ("PerFrameFunctionalGroupsSequence", "SharedFunctionalGroupsSequence",
                   "DimensionIndexSequence", "DimensionOrganizationSequence", "IconImageSequence")
_LENGTH_TO_MM = {"mm": 1.0, "cm": 10.0, "micron": 1e-3, "µm": 1e-3, "um": 1e-3, "nm": 1e-6,
                 "inch": 25.4, "m": 1000.0, "meter": 1000.0}


def save_dicom(imp: ImagePlus, path: str | os.PathLike[str], *, overwrite: bool = False) -> str:
    """Write ``imp`` as a DICOM file at ``path``; the path written.

    An existing file is replaced only with ``overwrite=True`` (else
    :class:`OverwriteError`), which is also the only way to replace the
    image's own source file.
    """
    return _save(imp, os.fspath(path), replace_existing=overwrite, replace_source=overwrite)


def save_as(imp: ImagePlus, format_name: str, path: str | os.PathLike[str]) -> str:
    """``IJ.saveAs(imp, "DICOM", path)``: ImageJ's extension rule and overwriting, never of the source."""
    if "dicom" not in format_name.lower() and format_name.lower() != "dcm":
        raise SaveError(f'only "DICOM" is saved by bridge (got format {format_name!r})', os.fspath(path))
    target = update_extension(os.fspath(path), ".dcm")
    return _save(imp, target, replace_existing=True, replace_source=False)


def update_extension(path: str, extension: str) -> str:
    """ImageJ's ``IJ.updateExtension``: replace a short extension (not a numeric one), else append."""
    dot, sep = path.rfind("."), path.rfind(os.sep)
    if dot >= 0 and dot > sep and len(path) - dot <= 5:
        if dot + 1 < len(path) and path[dot + 1].isdigit():
            return path + extension
        return path[:dot] + extension
    return path + extension


# --- the writing ---------------------------------------------------------------
def _save(imp: ImagePlus, path: str, *, replace_existing: bool, replace_source: bool) -> str:
    _check_target(imp, path, replace_existing, replace_source)
    try:
        source = source_dataset(imp)
    except BridgeError:
        source = None                 # the source is gone or unreadable: save as a computed image
    ds = build_dataset(imp, source)
    _write_atomically(ds, path)
    return path


def _check_target(imp: ImagePlus, path: str, replace_existing: bool, replace_source: bool) -> None:
    if not os.path.lexists(path):
        return
    source = source_path(imp)
    if source is not None and os.path.exists(source) and os.path.samefile(source, path) and not replace_source:
        raise OverwriteError("this is the image's own source file; pass overwrite=True to replace it", path)
    if not os.path.isfile(path):
        what = "a directory" if os.path.isdir(path) else "not a regular file"
        raise SaveError(f"exists and is {what}", path)
    if not replace_existing:
        raise OverwriteError("the file exists; pass overwrite=True to replace it", path)


def _write_atomically(ds: Any, path: str) -> None:
    """Write the data set whole or not at all (:mod:`bridge.core.atomicfile`: mode and umask kept)."""
    import pydicom

    def fill(out: Any) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pydicom.dcmwrite(out, ds, enforce_file_format=True)
    try:
        atomicfile.write(path, fill, suffix=".dcm")
    except OSError as exc:
        raise SaveError(f"cannot write: {exc.strerror or exc}", path) from exc
    except Exception as exc:
        raise SaveError(f"pydicom cannot write the data set: {exc}", path) from exc


# --- the data set ----------------------------------------------------------------
def build_dataset(imp: ImagePlus, source: Any | None) -> Any:
    """The data set to write for ``imp``: the source's, updated by the rules in the module doc."""
    import pydicom
    from pydicom.dataset import FileMetaDataset
    from pydicom.uid import UID, generate_uid
    ds = pydicom.Dataset() if source is None else source
    for _ in ds.iterall():          # elements read as implicit VR get their VR before writing
        pass
    before = encoding(ds)
    for keyword in _STALE:
        ds.pop(keyword, None)
    pixel_module(ds, imp)
    calibration_module(ds, imp)
    after = encoding(ds)
    if (before["PixelRepresentation"], before["BitsAllocated"]) != (after["PixelRepresentation"],
                                                                      after["BitsAllocated"]):
        for keyword in _SIGN_DEPENDENT:
            ds.pop(keyword, None)
    if source is None:
        _new_header(ds, imp)
    elif before != after or "SOPClassUID" not in ds:
        _becomes_secondary_capture(ds, imp)
    ds.SOPInstanceUID = generate_uid()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = ds.SOPClassUID
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.file_meta.TransferSyntaxUID = UID(EXPLICIT_LITTLE)
    ds.preamble = b"\0" * 128
    return ds


def encoding(ds: Any) -> dict[str, object]:
    """What the pixel encoding is: the SOP class stays only when none of it changes."""
    described: dict[str, object] = {k: _number(ds.get(k)) for k in _ENCODING}
    described["float"] = "FloatPixelData" in ds
    photometric = str(ds.get("PhotometricInterpretation", "")).strip()
    described["colour model"] = "gray" if photometric.startswith("MONOCHROME") else photometric[:3]
    return described


def pixel_module(ds: Any, imp: ImagePlus) -> None:
    """Image Pixel attributes and the pixel data, in ImageJ's stored values (calibration undone)."""
    frames, rows, cols = imp.data.shape[:3]
    ds.Rows, ds.Columns = rows, cols
    _set(ds, "NumberOfFrames", frames, keep_absent=frames == 1)
    kind = imp.getType()
    if kind == COLOR_RGB:
        _samples(ds, 3, 8, signed=False, photometric="RGB", values=None)
        ds.PlanarConfiguration = 0
        _pixels(ds, "PixelData", rgb_unpack(imp.data).tobytes(), "OB")
    elif kind == GRAY32:
        for keyword in ("BitsStored", "HighBit", "PixelRepresentation", "PlanarConfiguration"):
            ds.pop(keyword, None)     # not allowed with Float Pixel Data
        ds.SamplesPerPixel, ds.BitsAllocated = 1, 32
        ds.PhotometricInterpretation = _monochrome(imp)
        _pixels(ds, "FloatPixelData", imp.data.astype("<f4").tobytes(), "OF")
    elif kind == GRAY16:
        signed = _is_signed(ds, imp)
        stored = imp.data.astype(np.uint16)
        values = (stored ^ 0x8000).view(np.int16) if signed else stored
        _samples(ds, 1, 16, signed=signed, photometric=_monochrome(imp), values=values)
        _pixels(ds, "PixelData", values.astype(values.dtype.newbyteorder("<")).tobytes(), "OW")
    else:                             # GRAY8, with a colour LUT or not
        lut = imp.lut
        _samples(ds, 1, 8, signed=False, photometric="PALETTE COLOR" if lut is not None else _monochrome(imp),
                 values=imp.data)
        _pixels(ds, "PixelData", imp.data.astype(np.uint8).tobytes(), "OB")
        if lut is not None:
            _palette(ds, lut)
    if not (kind in (GRAY8, COLOR_256) and imp.lut is not None):
        for keyword in _PALETTE:
            ds.pop(keyword, None)


def calibration_module(ds: Any, imp: ImagePlus) -> None:
    """Rescale, window and spatial attributes that make ImageJ rebuild ``imp``'s calibration."""
    cal = imp.calibration
    coefficients = cal.coefficients or []
    line = cal.function == STRAIGHT_LINE and len(coefficients) == 2
    c0, c1 = (float(coefficients[0]), float(coefficients[1])) if line else (0.0, 1.0)
    if imp.getType() in (GRAY32, COLOR_RGB):
        keep_rescale = False          # ImageJ keeps no value calibration on these
    else:
        if _number(ds.get("PixelRepresentation")) == 1:
            c0 += 32768 * c1          # undo ImageJ's shift: stored = value + 32768
        keep_rescale = (c0, c1) != (0.0, 1.0) or "RescaleIntercept" in ds or "RescaleSlope" in ds
    if keep_rescale:
        _set(ds, "RescaleIntercept", c0)
        _set(ds, "RescaleSlope", c1)
    else:
        for keyword in ("RescaleIntercept", "RescaleSlope", "RescaleType"):
            ds.pop(keyword, None)
    _window(ds, imp)
    _spacing(ds, imp)


def _window(ds: Any, imp: ImagePlus) -> None:
    lo, hi = imp.display_range
    kind = imp.getType()
    if kind == COLOR_RGB or not hi > lo or (kind in (GRAY8, COLOR_256) and (lo, hi) == (0.0, 255.0)):
        ds.pop("WindowCenter", None)
        ds.pop("WindowWidth", None)
        return
    clo, chi = imp.calibration.getCValue(lo), imp.calibration.getCValue(hi)
    _set(ds, "WindowCenter", (clo + chi) / 2)
    _set(ds, "WindowWidth", chi - clo)


def _spacing(ds: Any, imp: ImagePlus) -> None:
    cal = imp.calibration
    to_mm = _LENGTH_TO_MM.get(cal.unit)
    if to_mm is None:
        return                        # uncalibrated: the source's spacing (if any) stays as it was
    _set(ds, "PixelSpacing", [cal.pixelHeight * to_mm, cal.pixelWidth * to_mm])
    depth = "SpacingBetweenSlices" if "SpacingBetweenSlices" in ds else "SliceThickness"
    if depth in ds or cal.pixelDepth != 1.0:
        _set(ds, depth, cal.pixelDepth * to_mm)


def _becomes_secondary_capture(ds: Any, imp: ImagePlus) -> None:
    """The original class no longer applies: Secondary Capture in a new series of the same study."""
    from pydicom.uid import generate_uid
    frames = imp.data.shape[0]
    key = (int(ds.SamplesPerPixel), int(ds.BitsAllocated))
    ds.SOPClassUID = MULTIFRAME_SC.get(key, SECONDARY_CAPTURE) if frames > 1 and "FloatPixelData" not in ds \
        else SECONDARY_CAPTURE
    ds.SeriesInstanceUID = generate_uid()
    ds.ImageType = ["DERIVED", "SECONDARY"]
    ds.ConversionType = "WSD"
    for keyword in _CLASS_SPECIFIC:
        ds.pop(keyword, None)
    if "Modality" not in ds:
        ds.Modality = "OT"


def _new_header(ds: Any, imp: ImagePlus) -> None:
    """Patient, study, series and SC equipment for an image that was computed, not opened."""
    from pydicom.uid import generate_uid
    now = datetime.datetime.now()
    ds.SpecificCharacterSet = "ISO_IR 192"
    ds.PatientName, ds.PatientID, ds.PatientBirthDate, ds.PatientSex = "", "", "", ""
    ds.StudyInstanceUID = generate_uid()
    ds.StudyDate, ds.StudyTime = now.strftime("%Y%m%d"), now.strftime("%H%M%S")
    ds.ReferringPhysicianName, ds.StudyID, ds.AccessionNumber = "", "", ""
    ds.SeriesNumber, ds.InstanceNumber = 1, 1
    ds.SeriesDescription = imp.getTitle()[:64]
    ds.PatientOrientation = ""
    _becomes_secondary_capture(ds, imp)


# --- small helpers ----------------------------------------------------------------
def _is_signed(ds: Any, imp: ImagePlus) -> bool:
    """Signed int16 for ImageJ's signed data: as the source was, else when the calibration says so."""
    if "PixelRepresentation" in ds and "BitsAllocated" in ds and _number(ds.BitsAllocated) == 16:
        return _number(ds.PixelRepresentation) == 1
    cal = imp.calibration
    coefficients = cal.coefficients or []
    return cal.function == STRAIGHT_LINE and len(coefficients) > 0 and coefficients[0] <= -32768


def _samples(ds: Any, samples: int, bits: int, *, signed: bool, photometric: str,
             values: np.ndarray | None) -> None:
    """Samples, depth and sign; the source's Bits Stored stays while every value fits in it."""
    ds.SamplesPerPixel, ds.BitsAllocated = samples, bits
    stored = _number(ds.get("BitsStored"))
    if not (stored is not None and 0 < stored <= bits and _number(ds.get("HighBit")) == stored - 1
            and values is not None and _fits(values, int(stored), signed)):
        ds.BitsStored, ds.HighBit = bits, bits - 1
    ds.PixelRepresentation = int(signed)
    if str(ds.get("PhotometricInterpretation", "")).strip() != photometric:
        ds.PhotometricInterpretation = photometric
    if samples == 1:
        ds.pop("PlanarConfiguration", None)


def _fits(values: np.ndarray, bits: int, signed: bool) -> bool:
    if values.size == 0:
        return True
    low, high = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)
    return bool(low <= int(values.min()) and int(values.max()) <= high)


def _monochrome(imp: ImagePlus) -> str:
    return "MONOCHROME1" if imp.isInvertedLut() else "MONOCHROME2"


def _pixels(ds: Any, keyword: str, data: bytes, vr: str) -> None:
    from pydicom.dataelem import DataElement
    from pydicom.tag import Tag
    ds[Tag(keyword)] = DataElement(Tag(keyword), vr, data)


def _palette(ds: Any, lut: np.ndarray) -> None:
    """A 256-entry 16-bit palette whose high bytes are the LUT (ImageJ keeps the high byte)."""
    for colour, row in zip(("Red", "Green", "Blue"), lut):
        setattr(ds, f"{colour}PaletteColorLookupTableDescriptor", [256, 0, 16])
        data = (row.astype(np.uint16) * 257).astype("<u2").tobytes()
        _pixels(ds, f"{colour}PaletteColorLookupTableData", data, "OW")


def _set(ds: Any, keyword: str, value: Any, *, keep_absent: bool = False) -> None:
    """Set ``keyword`` unless the data set already holds that value (the source's spelling stays)."""
    current = ds.get(keyword)
    if current is None and keep_absent:
        return
    if current is not None and _same(current, value):
        return
    ds.pop(keyword, None)
    if isinstance(value, list):
        setattr(ds, keyword, [_ds_text(v) for v in value])
    elif isinstance(value, float):
        setattr(ds, keyword, _ds_text(value))
    else:
        setattr(ds, keyword, value)


def _same(current: Any, value: Any) -> bool:
    """Numeric equality of an element's value (the last one, as ImageJ reads windows) and ``value``."""
    wanted = value if isinstance(value, list) else [value]
    have = list(current) if isinstance(current, (list, tuple)) or type(current).__name__ == "MultiValue" \
        else [current]
    if isinstance(value, list):
        pairs = zip(have, wanted) if len(have) == len(wanted) else []
    else:
        pairs = [(have[-1], wanted[0])] if have else []
    try:
        return bool(pairs) and all(float(a) == float(b) for a, b in pairs)
    except (TypeError, ValueError):
        return False


def _ds_text(value: float) -> str:
    """A Decimal String that reads back as exactly ``value`` where 16 characters allow."""
    from pydicom.valuerep import format_number_as_ds
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = repr(float(value))
    return text if len(text) <= 16 else format_number_as_ds(float(value))


def _number(value: Any) -> float | None:
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None
