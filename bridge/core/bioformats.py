"""Bio-Formats' DICOM import (``BF.openImagePlus``), reproduced with pydicom.

Bio-Formats is ImageJ's second DICOM reader: Fiji users reach it for the
compressed and multi-frame files ImageJ's own reader refuses.  Its images
differ from ImageJ's in ways scripts depend on, so this module builds what
Bio-Formats 7.3.1 builds, measured on the real one (``tests/parity/
test_bioformats.py`` holds the two together; ``tests/parity/
bioformats_ledger.txt`` lists what is not reproduced, with reasons):

* one image per file (a DICOM file is one Bio-Formats series), titled with
  the file's name;
* samples per pixel are channels and frames are Z slices: a hyperstack in
  XYCZT order, channels varying fastest, every channel a gray plane (an RGB
  file is a 3-channel composite, never ImageJ's packed RGB);
* the pixel type follows Bits Allocated and Pixel Representation, with no
  rescale: signed 8/16-bit data is shifted into ImageJ's unsigned storage
  and calibrated back by a straight line (-128 or -32768, slope 1); 32-bit
  integers become floats of their signed value;
* Pixel Spacing (mm) is calibrated in microns, Spacing Between Slices is
  the voxel depth;
* the display range is the first channel's minimum and maximum over the
  stack ("autoscale", the importer's default), taken on the values as
  Bio-Formats' pixel type holds them;
* the "Info" property is Bio-Formats' metadata table: its core metadata
  (" SizeX = ..." lines), the file's non-empty elements as
  ``gggg,eeee Name = value`` (sequence items flattened, a repeated key
  numbered ``#1``, ``#2``; binary values, pixel data, group lengths and the
  per-frame functional groups left out) and ``Location``, all sorted.  The element names are pydicom's
  dictionary's except where Bio-Formats' own dictionary (older editions of
  the standard) spells them differently: :data:`BIOFORMATS_NAMES` holds the
  ones measured on pydicom's test files, so other files may show more.

The importer's options (:class:`ImportOptions`, the macro keys of
``run("Bio-Formats Importer", ...)``) change that arrangement: without
autoscale the display range is the pixel type's whole range; a view other
than Hyperstack autoscales over every channel; ``split_channels`` gives one
image per channel, titled ``"name - C=0"``; a stack order with Z before C
puts each channel's slices together; a virtual stack scales on its first
plane.  A DICOM file is one series, so
the series choice never changes what opens (Bio-Formats opens the file's one
series for ``series_2`` too, measured).

Decoding is pydicom's (with the pylibjpeg / Pillow plug-ins for compressed
transfer syntaxes); only the arrangement above is ours.
"""

from __future__ import annotations

import gzip
import io
import math
import os
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from .. import config
from ..errors import DicomReadError, LimitExceededError, MissingFileError, NotDicomError, PixelDecodeError
from ..model import GRAY8, GRAY16, GRAY32, NONE, STRAIGHT_LINE, Calibration, ImagePlus

#: Bits Allocated -> (ImageJ type, unsigned storage dtype, signed dtype, shift of signed data into storage)
_PIXEL_TYPES = {8: (GRAY8, np.uint8, np.int8, 128), 16: (GRAY16, np.uint16, np.int16, 32768),
                32: (GRAY32, np.uint32, np.int32, 0)}
#: millimetres to microns as Bio-Formats' unit conversion computes it (its rounding included)
_MM, _MICRON = 1e-3, 1e-6


#: the stack orders the importer offers ("Default" is the reader's own, XYCZT for DICOM)
STACK_ORDERS = ("Default", "XYZCT", "XYZTC", "XYCZT", "XYTCZ", "XYCTZ", "XYTZC")


@dataclass(frozen=True)
class ImportOptions:
    """The importer's options that change what a DICOM file opens as (``loci.plugins.in.ImporterOptions``).

    The defaults are ``BF.openImagePlus(path)``'s; a macro's
    ``run("Bio-Formats Importer", ...)`` has autoscale off unless named.
    """

    autoscale: bool = True
    split_channels: bool = False
    stack_order: str = "XYCZT"
    #: "Hyperstack" makes a multi-channel image a composite; any other view a plain stack
    view: str = "Hyperstack"
    #: a virtual stack: the same pixels (DICOM is decoded whole here), with what Bio-Formats'
    #: virtual image changes (measured): the display range is the first plane's (autoscaled: its
    #: minimum and maximum; else ImageJ's own reset of it), and a single plane has no slice label
    virtual: bool = False


#: ``ImporterOptions`` fields (the facade's) that change nothing for a DICOM file: it is one series
NO_EFFECT_OPTIONS = ("series", "open_all_series")


def import_options(changed: dict[str, object]) -> ImportOptions:
    """The :class:`ImportOptions` of the facade's ``ImporterOptions`` fields that differ from the defaults."""
    unknown = set(changed) - {"autoscale", "split_channels", "stack_order", "virtual", *NO_EFFECT_OPTIONS}
    if unknown:
        raise ValueError(f"importer options {sorted(unknown)} are not reproduced")
    defaults = ImportOptions()
    return ImportOptions(autoscale=bool(changed.get("autoscale", defaults.autoscale)),
                         split_channels=bool(changed.get("split_channels", defaults.split_channels)),
                         stack_order=str(changed.get("stack_order", defaults.stack_order)),
                         virtual=bool(changed.get("virtual", defaults.virtual)))


def open_image_plus(path: str, options: ImportOptions = ImportOptions()) -> list[ImagePlus]:
    """The images Bio-Formats' importer gives for the DICOM file ``path`` (one, or one per channel when split)."""
    if options.stack_order not in STACK_ORDERS:
        raise ValueError(f"stack order {options.stack_order!r} is not one of {', '.join(STACK_ORDERS)}")
    dataset = _read(path)
    pixels = _decode(dataset, path)
    image = _image(os.path.basename(path), dataset, pixels, path, options.stack_order)
    channels = _hyperstack(image)[0]
    if options.autoscale and channels > 1 and options.view != "Hyperstack":
        image.display_range = _min_max(image.data)     # a plain stack autoscales over every channel
    images = _split_channels(image) if options.split_channels else [image]
    if not options.split_channels and _z_before_c(options.stack_order):
        _reorder_z_before_c(image)
    for part in images:
        if options.virtual:     # the virtual image scales on its first plane alone
            part.display_range = _min_max(part.data[0]) if options.autoscale else _first_plane_range(part)
        elif not options.autoscale:
            part.display_range = _TYPE_RANGES[part.image_type]
        if options.virtual and len(part.labels) == 1:
            part.labels = [None]
    return images


def _z_before_c(order: str) -> bool:
    """Whether the order puts Z before C (T is always 1 for DICOM, so only C against Z matters)."""
    return order != "Default" and order.index("Z") < order.index("C")


def _reorder_z_before_c(image: ImagePlus) -> None:
    """The planes (and their labels) channel after channel, as Bio-Formats stacks them for XYZCT."""
    channels, slices, _ = _hyperstack(image)
    order = [c + channels * z for c in range(channels) for z in range(slices)]
    image.data = image.data[order]
    image.labels = [image.labels[i] for i in order]


def _split_channels(image: ImagePlus) -> list[ImagePlus]:
    """One image per channel, titled ``"name - C=0"`` (0-based), as the importer's Split_channels gives.

    Each keeps the whole image's display range (the first channel's, measured).
    """
    channels, slices, frames = _hyperstack(image)
    # split signed 16-bit images get ImageJ's own signed calibration, whose unit is spelt "Gray Value"
    calibration = replace(image.calibration, valueUnit="Gray Value") \
        if image.calibration.function != NONE and image.image_type == GRAY16 else image.calibration
    return [replace(image, title=f"{image.title} - C={c}", data=np.ascontiguousarray(image.data[c::channels]),
                    labels=image.labels[c::channels], dimensions=(1, slices, frames),
                    calibration=replace(calibration))
            for c in range(channels)]


def _hyperstack(image: ImagePlus) -> tuple[int, int, int]:
    """(channels, slices, frames): :func:`_image` always sets them."""
    assert image.dimensions is not None
    return image.dimensions


def _min_max(data: np.ndarray) -> tuple[float, float]:
    return float(data.min()), float(data.max())


def _first_plane_range(image: ImagePlus) -> tuple[float, float]:
    """ImageJ's own ``resetMinAndMax`` on the first plane: 0-255 for 8-bit, else the plane's minimum and maximum."""
    return (0.0, 255.0) if image.image_type == GRAY8 else _min_max(image.data[0])


def _read(path: str) -> Any:
    import pydicom
    from pydicom.errors import InvalidDicomError
    if not os.path.exists(path):
        raise MissingFileError("no such file", path)
    try:
        if _is_gzip(path):
            return pydicom.dcmread(io.BytesIO(_gunzip(path)))
        return pydicom.dcmread(path)
    except InvalidDicomError as exc:
        raise NotDicomError(f"not a DICOM file ({exc})", path) from exc
    except (OSError, ValueError, EOFError) as exc:  # truncated or corrupt headers
        raise DicomReadError(f"cannot read the header: {exc}", path) from exc
    except RecursionError as exc:   # pydicom's reader recurses into nested sequences
        raise LimitExceededError("sequences nested too deep for pydicom's reader", path) from exc


def _is_gzip(path: str) -> bool:
    with open(path, "rb") as file:
        return file.read(2) == b"\x1f\x8b"


def _gunzip(path: str) -> bytes:
    """A gzip-compressed file's content, as Bio-Formats opens such files itself; capped at max_image_bytes."""
    limit = config.settings().max_image_bytes
    with gzip.open(path, "rb") as file:
        content = file.read(limit + 1)
    if len(content) > limit:
        raise LimitExceededError(f"inflates to more than max_image_bytes={limit}", path)
    return content


def _decode(dataset: Any, path: str) -> np.ndarray:
    """(frames, rows, columns, samples) as stored, without colour-space conversion or rescale."""
    if "PixelData" not in dataset:
        raise DicomReadError("no pixel data", path)
    bits = _storage_bits(dataset)
    if bits not in _PIXEL_TYPES:
        raise DicomReadError(f"Bits Allocated {bits} is not read here (see bioformats_ledger.txt)", path)
    if int(dataset.BitsAllocated) == 1 and dataset.file_meta.get("TransferSyntaxUID") not in NATIVE_SYNTAXES:
        raise DicomReadError("compressed 1-bit data is not read here", path)
    try:
        shape = (_frames(dataset), int(dataset.Rows), int(dataset.Columns), int(dataset.get("SamplesPerPixel", 1)))
    except (AttributeError, TypeError, ValueError) as exc:
        raise DicomReadError(f"no valid image geometry (Rows, Columns, Samples per Pixel): {exc}", path) from exc
    declared = math.prod(shape) * bits // 8
    if declared > config.settings().max_image_bytes:
        raise LimitExceededError(f"declared image of {declared} bytes exceeds max_image_bytes="
                                 f"{config.settings().max_image_bytes}", path)
    syntax = dataset.file_meta.get("TransferSyntaxUID")
    if syntax in NATIVE_SYNTAXES:
        return _stored(dataset, shape, bits, big_endian=syntax == BIG_ENDIAN)
    try:
        pixels = np.asarray(dataset.pixel_array).reshape(shape)
    except Exception as exc:  # pydicom raises many kinds for a damaged or undecodable stream
        raise PixelDecodeError(f"cannot decode the pixel data: {exc}", path) from exc
    if syntax == RLE_LOSSLESS:
        pixels = _as_bioformats_rle(pixels, bits)
    return pixels


RLE_LOSSLESS = "1.2.840.10008.1.2.5"
BIG_ENDIAN = "1.2.840.10008.1.2.2"
#: the uncompressed transfer syntaxes: implicit and explicit little endian, explicit big endian
NATIVE_SYNTAXES = ("1.2.840.10008.1.2", "1.2.840.10008.1.2.1", BIG_ENDIAN)


def _stored(dataset: Any, shape: tuple[int, int, int, int], bits: int, big_endian: bool) -> np.ndarray:
    """Uncompressed pixels as Bio-Formats reads them: the stored values, whatever the header says of them.

    Samples are interleaved unless Planar Configuration is 1, whatever the
    photometric interpretation (YBR_FULL_422 is read as three full samples);
    8-bit big-endian data is never byte-swapped (pydicom swaps the bytes of an
    OW element); what lies past the end of short pixel data reads as zeros.
    """
    order = ">" if big_endian and bits > 8 else "<"
    stored = np.frombuffer(dataset.PixelData, dtype=np.dtype(f"{order}u{bits // 8}"),
                           count=len(dataset.PixelData) // (bits // 8))
    count = math.prod(shape)
    pixels = np.zeros(count, dtype=np.dtype(f"u{bits // 8}"))
    pixels[:min(count, stored.size)] = stored[:count]
    frames, rows, columns, samples = shape
    if samples > 1 and dataset.get("PlanarConfiguration", 0) == 1:
        return pixels.reshape(frames, samples, rows, columns).transpose(0, 2, 3, 1)
    return pixels.reshape(shape)


def _as_bioformats_rle(pixels: np.ndarray, bits: int) -> np.ndarray:
    """Bio-Formats' RLE decoder loses the last byte of each sample's first (most significant) segment.

    So the last pixel of every frame and sample keeps only its low ``bits - 8``
    bits (0 for 8-bit data): measured on every RLE file of pydicom's set that
    Bio-Formats 7.3.1 opens (8, 16 and 32 bits, one to three samples, one and
    two frames).
    """
    fixed = pixels.copy()
    stored = fixed.view(np.dtype(f"u{fixed.dtype.itemsize}"))
    stored[:, -1, -1, :] &= (1 << (bits - 8)) - 1
    return fixed


def _storage_bits(dataset: Any) -> int:
    """Bits Allocated, except 1: Bio-Formats reads packed bits as one byte per pixel (the stored bytes, then zeros)."""
    bits = int(dataset.get("BitsAllocated", 0))
    return 8 if bits == 1 else bits


def _frames(dataset: Any) -> int:
    try:
        return max(int(dataset.get("NumberOfFrames") or 1), 1)
    except (TypeError, ValueError):
        return 1


def _image(title: str, dataset: Any, pixels: np.ndarray, path: str, order: str) -> ImagePlus:
    """The image as Bio-Formats builds it, autoscaled (see :func:`_display_range`), planes in XYCZT order."""
    frames, rows, columns, channels = pixels.shape
    image_type, storage, signed_type, shift = _PIXEL_TYPES[_storage_bits(dataset)]
    signed = int(dataset.get("PixelRepresentation", 0)) == 1
    raw = pixels.astype(signed_type if signed else storage, copy=False)
    # XYCZT: plane index = c + channels * z
    planes = np.ascontiguousarray(raw.transpose(0, 3, 1, 2)).reshape(frames * channels, rows, columns)
    if image_type == GRAY32:
        data = planes.view(np.int32).astype(np.float32)
    elif signed:
        data = (planes.astype(np.int32) + shift).astype(storage)
    else:
        data = planes
    return ImagePlus(
        title=title, data=data, image_type=image_type,
        info=_info(dataset, path, _core_metadata(dataset, rows, columns, channels, frames, signed, order)),
        labels=_labels(channels, frames, _series_name(dataset, title)),
        calibration=_calibration(dataset, signed and image_type != GRAY32, shift),
        display_range=_display_range(raw[..., 0], shift if signed else 0, float_single=image_type == GRAY32
                                     and channels == 1),
        dimensions=(channels, frames, 1))


#: the display range without autoscale: the pixel type's whole range
_TYPE_RANGES = {GRAY8: (0.0, 255.0), GRAY16: (0.0, 65535.0), GRAY32: (0.0, 4294967296.0)}


def _display_range(first_channel: np.ndarray, shift: int, float_single: bool) -> tuple[float, float]:
    """Autoscale: the first channel's minimum and maximum in Bio-Formats' pixel type, shifted into storage.

    A single float image keeps its range in a ``FloatProcessor``, as 32-bit
    floats; a composite image keeps each channel's range as doubles.
    """
    low, high = float(first_channel.min()) + shift, float(first_channel.max()) + shift
    if float_single:
        low, high = float(np.float32(low)), float(np.float32(high))
    return low, high


#: element names Bio-Formats 7.3.1 spells unlike pydicom's dictionary (measured on pydicom's test files)
BIOFORMATS_NAMES = {0x00080201: "Timezone Offset from UTC", 0x00081070: "Operator's Name",
                    0x00181020: "Software Version(s)", 0x00181151: "X-ray Tube Current",
                    0x00280002: "Samples per pixel", 0x00280008: "Number of frames"}
#: Bio-Formats' pixel type names, by Bits Allocated and signedness
_PIXEL_TYPE_NAMES = {(8, False): "uint8", (8, True): "int8", (16, False): "uint16", (16, True): "int16",
                     (32, False): "uint32", (32, True): "int32"}
#: value representations Bio-Formats leaves out of its table (binary data, tags, sequences themselves)
_LEFT_OUT_VRS = {"OB", "OW", "OF", "OD", "OL", "OV", "UN", "SQ", "AT"}


def _core_metadata(dataset: Any, rows: int, columns: int, channels: int, frames: int,
                   signed: bool, order: str) -> dict[str, str]:
    bits = int(dataset.BitsAllocated)
    syntax = dataset.file_meta.get("TransferSyntaxUID")
    little = "false" if syntax is not None and syntax == "1.2.840.10008.1.2.2" else "true"
    # RLE keeps each sample in its own segment; the other syntaxes interleave unless Planar Configuration is 1
    interleaved = channels > 1 and syntax != "1.2.840.10008.1.2.5" and dataset.get("PlanarConfiguration", 0) != 1
    return {" BitsPerPixel": str(bits), " DimensionOrder": "XYCZT" if order == "Default" else order,
            " IsInterleaved": "true" if interleaved else "false", " IsRGB": "false", " LittleEndian": little, " PixelType": _PIXEL_TYPE_NAMES[(_storage_bits(dataset), signed)],
            " Series 0 Name": _series_name(dataset, os.path.basename(dataset.filename or "")),
            " SizeC": str(channels), " SizeT": "1", " SizeX": str(columns), " SizeY": str(rows),
            " SizeZ": str(frames)}


def _info(dataset: Any, path: str, core: dict[str, str]) -> str:
    """Bio-Formats' metadata table as its importer writes the "Info" property: sorted ``key = value`` lines."""
    table = dict(core)
    counts: dict[str, int] = {}
    elements = [*dataset.file_meta.iterall(), *_table_elements(dataset)]
    keyed = []
    for element in elements:
        value = _text(element)
        if value is None:
            continue
        name = BIOFORMATS_NAMES.get(int(element.tag), element.name)
        key = f"{element.tag.group:04x},{element.tag.element:04x} {name}"
        counts[key] = counts.get(key, 0) + 1
        keyed.append((key, counts[key], value))
    for key, number, value in keyed:
        table[f"{key} #{number}" if counts[key] > 1 else key] = value
    table["Location"] = os.path.abspath(path)
    return "".join(f"{key} = {value}\n" for key, value in sorted(table.items()))


#: Per-Frame Functional Groups Sequence: Bio-Formats' table leaves out everything inside it
PER_FRAME_GROUPS = 0x52009230


def _table_elements(dataset: Any) -> Iterator[Any]:
    """Every element, sequence items flattened in order (pydicom's ``iterall``), but none inside the per-frame groups."""
    for element in dataset:
        yield element
        if element.VR == "SQ" and element.tag != PER_FRAME_GROUPS:
            for item in element.value:
                yield from _table_elements(item)


def _text(element: Any) -> str | None:
    """An element's value as Bio-Formats writes it, or None where it leaves the element out."""
    if element.VR in _LEFT_OUT_VRS or element.tag.is_private or element.tag == 0x7FE00010 \
            or element.tag.element == 0 and element.tag.group != 2:
        return None
    value = element.value
    if value is None or value == "" or element.VR == "US" and element.VM > 1:  # several US: a binary array to it
        return None
    if element.VR == "US" and _signed_in_bioformats(element.tag):
        value = _as_short(value)
    if isinstance(value, (list, tuple)) or type(value).__name__ == "MultiValue":
        text = "\\".join(str(v) for v in value)
    else:
        text = str(value)
    text = text.strip()
    return text or None


def _signed_in_bioformats(tag: int) -> bool:
    """Elements the standard lets be US or SS (Largest Image Pixel Value ...): Bio-Formats reads them as SS."""
    from pydicom.datadict import dictionary_VR
    try:
        return bool(dictionary_VR(tag) == "US or SS")
    except KeyError:
        return False


def _as_short(value: int) -> int:
    return value - 65536 if value > 32767 else value


def _series_name(dataset: Any, title: str) -> str:
    """Bio-Formats names a DICOM series by the third value of Image Type (0008,0008), else its second, else by the file."""
    image_type = dataset.get("ImageType")
    values = [image_type] if isinstance(image_type, str) else list(image_type or [])
    return str(values[min(len(values), 3) - 1]).strip() if len(values) > 1 else title


def _labels(channels: int, slices: int, name: str) -> list[str | None]:
    labels: list[str | None] = []
    for z in range(1, slices + 1):
        for c in range(1, channels + 1):
            position = " ".join(part for part, n in ((f"c:{c}/{channels}", channels), (f"z:{z}/{slices}", slices))
                                if n > 1)
            labels.append(f"{position} - {name}".strip())
    return labels


def _calibration(dataset: Any, signed: bool, shift: int) -> Calibration:
    calibration = Calibration(function=STRAIGHT_LINE, coefficients=[-float(shift), 1.0],
                                valueUnit="gray value") if signed \
        else Calibration(function=NONE)
    spacing = _pixel_spacing(dataset)
    if spacing is not None:
        calibration.pixelHeight, calibration.pixelWidth = (_microns(v) for v in spacing)
        calibration.unit = "micron"
        depth = dataset.get("SpacingBetweenSlices")
        if depth is not None and float(depth) > 0:
            calibration.pixelDepth = _microns(float(depth))
    return calibration


def _pixel_spacing(dataset: Any) -> tuple[float, float] | None:
    """Pixel Spacing (rows, columns) in mm: the top level's, else the enhanced shared functional group's."""
    spacing = dataset.get("PixelSpacing")
    if spacing is None:
        for group in dataset.get("SharedFunctionalGroupsSequence", []):
            for measures in group.get("PixelMeasuresSequence", []):
                spacing = measures.get("PixelSpacing")
    if spacing is None or len(spacing) < 2:
        return None
    return float(spacing[0]), float(spacing[1])


def _microns(millimetres: float) -> float:
    return millimetres * _MM / _MICRON
