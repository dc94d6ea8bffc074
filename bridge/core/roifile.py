"""ImageJ's ``.roi`` files and ``.zip`` ROI sets (``RoiEncoder``/``RoiDecoder`` 1.53t), in Python.

A ``.roi`` file is a 64-byte big-endian header (``"Iout"``, version, type,
bounds, counts, line end points or sub-pixel rectangle, stroke, options,
position), the coordinates (shorts relative to the bounds, then Java floats
for sub-pixel ones), and a second 64-byte header (hyperstack position,
name and properties offsets, float stroke width, point counters, group)
followed by the name and properties as UTF-16 code units.

:func:`encode` writes the bytes ImageJ's ``RoiEncoder.saveAsByteArray``
writes for the same selection (byte for byte: tests/core/test_roifile_parity.py
compares them with the live jar); :func:`decode` reads what ImageJ reads.
What bridge's selections cannot hold is refused with a :class:`RoiFileError`
naming the file rather than read half: composite (shape) selections, text,
arrow, image, ellipse and rotated-rectangle subtypes, angles, spline-fitted
and sub-pixel polygons.  A ROI set is a zip of ``.roi`` entries, as the ROI
Manager saves it (entry names made unique its way).

Hostile files are bounded: a count is checked against the bytes present
before anything is allocated, every read is range-checked, and a ROI set's
entries are read at most :data:`MAX_ROI_BYTES` each.
"""

from __future__ import annotations

import math
import os
import struct
import zipfile
from collections.abc import Callable, Sequence
from typing import IO

from ..errors import BridgeError, MeasurementError
from . import atomicfile
from .roi import (FREELINE, FREEROI, LINE, OVAL, POINT, POLYGON, POLYLINE, RECTANGLE, TRACED_ROI, Line, OvalRoi,
                  PointRoi, PolygonRoi, Roi, _f32)

VERSION = 228
HEADER_SIZE = HEADER2_SIZE = 64
#: ``RoiDecoder.getRoi`` refuses files over 5 MB whose name does not end in .roi; bridge bounds every one.
MAX_ROI_BYTES = 64 * 1024 * 1024
#: At most this many entries in a ROI set (a zip bomb of empty entries stops here).
MAX_SET_ENTRIES = 100_000

# Header offsets (RoiDecoder's names).
VERSION_OFFSET, TYPE, TOP, LEFT, BOTTOM, RIGHT, N_COORDINATES = 4, 6, 8, 10, 12, 14, 16
X1, Y1, X2, Y2, SIZE = 18, 22, 26, 30, 18
STROKE_WIDTH, SHAPE_ROI_SIZE, STROKE_COLOR, FILL_COLOR, SUBTYPE, OPTIONS = 34, 36, 40, 44, 48, 50
POINT_TYPE, ROUNDED_RECT_ARC_SIZE, POSITION, HEADER2_OFFSET, COORDINATES = 52, 54, 56, 60, 64
# Header 2 offsets.
C_POSITION, Z_POSITION, T_POSITION, NAME_OFFSET, NAME_LENGTH = 4, 8, 12, 16, 20
GROUP, FLOAT_STROKE_WIDTH, ROI_PROPS_OFFSET, ROI_PROPS_LENGTH, COUNTERS_OFFSET = 30, 36, 40, 44, 48
# Options.
SPLINE_FIT, SUB_PIXEL_RESOLUTION, DRAW_OFFSET, SCALE_STROKE_WIDTH = 1, 128, 256, 8192
OVERLAY_LABELS, OVERLAY_NAMES, OVERLAY_BACKGROUNDS, OVERLAY_BOLD, SCALE_LABELS = 8, 16, 32, 64, 2048
_OVERLAY_OPTIONS = OVERLAY_LABELS | OVERLAY_NAMES | OVERLAY_BACKGROUNDS | OVERLAY_BOLD | SCALE_LABELS
OVERLAY_LABEL_COLOR, OVERLAY_FONT_SIZE = 24, 28
# File type codes (not Roi.getType()'s).
_FILE_TYPES = {POLYGON: 0, RECTANGLE: 1, OVAL: 2, LINE: 3, FREELINE: 4, POLYLINE: 5, FREEROI: 7, TRACED_ROI: 8,
               POINT: 10}
_ROI_TYPES = {code: kind for kind, code in _FILE_TYPES.items()}
_ANGLE, _NO_ROI = 9, 6
_SUBTYPES = {1: "text", 2: "arrow", 3: "ellipse", 4: "image", 5: "rotated rectangle"}


class RoiFileError(BridgeError, ValueError):
    """A ``.roi`` file or ROI set that cannot be read or written; ``path`` names it (and ``entry`` a zip member)."""

    def __init__(self, reason: str, path: str, entry: str | None = None) -> None:
        self.reason, self.path, self.entry = reason, path, entry
        where = f"{path} (entry {entry})" if entry else path
        super().__init__(f"{where}: {reason}")


# --- writing ------------------------------------------------------------------------
def encode(roi: Roi, path: str = "<roi>") -> bytes:
    """``RoiEncoder.saveAsByteArray(roi)``: the file's bytes (``path`` only names it in errors)."""
    kind = roi.getType()
    if kind not in _FILE_TYPES:
        raise RoiFileError(f"cannot save a selection of type {kind}", path)
    b = roi.getBounds()
    if max(b.x, b.y, b.width, b.height) > 65535 or min(b.x, b.y) < -32768:
        raise RoiFileError(f"bounds {b} are beyond the 16-bit coordinates bridge writes", path)
    xs, ys, xf, yf = _coordinates(roi)
    n = len(xs)
    if n > 65535 and kind != POINT:
        raise RoiFileError(f"{n} vertices: ImageJ saves only points beyond 65535", path)
    name = _utf16(roi.name)
    props = _utf16(roi.properties)
    counters = _counters(roi, n)
    float_size = 8 * n if xf is not None else 0
    hdr2 = HEADER_SIZE + 4 * n + float_size
    out = _Bytes(bytearray(HEADER_SIZE + HEADER2_SIZE + 4 * n + float_size + len(name) + len(props)
                           + 4 * len(counters)))
    out.data[0:4] = b"Iout"
    out.put_short(VERSION_OFFSET, VERSION)
    out.data[TYPE] = _FILE_TYPES[kind]
    out.put_short(TOP, b.y)
    out.put_short(LEFT, b.x)
    out.put_short(BOTTOM, b.y + b.height)
    out.put_short(RIGHT, b.x + b.width)
    scaled = roi.scale_stroke_width if roi.scale_stroke_width is not None else roi.stroke_width > 0
    options = SCALE_STROKE_WIDTH if scaled else 0
    if xf is not None:
        options |= SUB_PIXEL_RESOLUTION
    if kind in (RECTANGLE, OVAL) and roi._subpixel():
        fx, fy, fw, fh = _f32(list(roi._float_bounds))
        right, bottom = _f32([roi._float_bounds[0] + roi._float_bounds[2], roi._float_bounds[1] + roi._float_bounds[3]])
        out.put_float(X1, fx)
        out.put_float(Y1, fy)
        out.put_float(X2, _f32([right - fx])[0])
        out.put_float(Y2, _f32([bottom - fy])[0])
        options |= SUB_PIXEL_RESOLUTION
    if n > 65535:
        out.put_int(SIZE, n)
    else:
        out.put_short(N_COORDINATES, n)
    out.put_int(POSITION, roi.position)
    if kind == RECTANGLE and roi.corner_diameter > 0:
        out.put_short(ROUNDED_RECT_ARC_SIZE, roi.corner_diameter)
    if isinstance(roi, Line):
        for offset, value in zip((X1, Y1, X2, Y2), (roi.x1d, roi.y1d, roi.x2d, roi.y2d)):
            out.put_float(offset, _f32([value])[0])
        if roi.draw_offset:
            options |= SUB_PIXEL_RESOLUTION + DRAW_OFFSET
    if isinstance(roi, PointRoi):
        out.data[POINT_TYPE] = roi.point_type & 0xFF
        out.put_short(STROKE_WIDTH, roi.point_size)
    if roi.stroke_width > 0:
        out.put_short(STROKE_WIDTH, _java_int(roi.stroke_width))
    if roi.stroke_color:
        out.put_int(STROKE_COLOR, roi.stroke_color)
    if roi.fill_color:
        out.put_int(FILL_COLOR, roi.fill_color)
    _header2(out, roi, hdr2, name, props, counters)
    options |= roi.overlay_options & _OVERLAY_OPTIONS
    for i in range(n):
        out.put_short(COORDINATES + 2 * i, xs[i])
        out.put_short(COORDINATES + 2 * n + 2 * i, ys[i])
    if xf is not None and yf is not None:
        for i in range(n):
            out.put_float(COORDINATES + 4 * n + 4 * i, xf[i])
            out.put_float(COORDINATES + 8 * n + 4 * i, yf[i])
    out.put_short(OPTIONS, options)
    return bytes(out.data)


def _coordinates(roi: Roi) -> tuple[list[int], list[int], list[float] | None, list[float] | None]:
    """``getNonSplineCoordinates()`` (relative to the bounds) and the sub-pixel floats, as the encoder takes them."""
    if isinstance(roi, PolygonRoi):
        return [x - roi.x for x in roi.xpoints], [y - roi.y for y in roi.ypoints], None, None
    if isinstance(roi, PointRoi):
        # ImageJ (1.53t) keeps every point selection in floats, relative to their float bounds, then rounds them for the short copy
        rel_x, rel_y = roi.relative_points
        return ([_round(v) for v in rel_x], [_round(v) for v in rel_y], list(roi.xpoints), list(roi.ypoints))
    return [], [], None, None


def _counters(roi: Roi, n: int) -> list[int]:
    """``PointRoi.getCounters()``: one int per point (zeros for a plain point selection); none otherwise."""
    if not isinstance(roi, PointRoi) or n > 65535:
        return []
    counters = roi.counters
    return list(counters) if counters is not None and len(counters) >= n else [0] * n


def _header2(out: _Bytes, roi: Roi, hdr2: int, name: bytes, props: bytes, counters: list[int]) -> None:
    """``RoiEncoder.putHeader2``: hyperstack position, name, float stroke width, properties, counters, group."""
    out.put_int(HEADER2_OFFSET, hdr2)
    c, z, t = roi.hyperstack_position or (0, 0, 0)
    out.put_int(hdr2 + C_POSITION, c)
    out.put_int(hdr2 + Z_POSITION, z)
    out.put_int(hdr2 + T_POSITION, t)
    if roi.overlay_label_color:
        out.put_int(hdr2 + OVERLAY_LABEL_COLOR, roi.overlay_label_color)
    if roi.overlay_font_size is not None:
        out.put_short(hdr2 + OVERLAY_FONT_SIZE, roi.overlay_font_size)
    offset = hdr2 + HEADER2_SIZE
    if name:
        out.put_int(hdr2 + NAME_OFFSET, offset)
        out.put_int(hdr2 + NAME_LENGTH, len(name) // 2)
        out.data[offset:offset + len(name)] = name
    out.put_float(hdr2 + FLOAT_STROKE_WIDTH, _f32([roi.stroke_width])[0])
    offset += len(name)
    if props:
        out.put_int(hdr2 + ROI_PROPS_OFFSET, offset)
        out.put_int(hdr2 + ROI_PROPS_LENGTH, len(props) // 2)
        out.data[offset:offset + len(props)] = props
    offset += len(props)
    if counters:
        out.put_int(hdr2 + COUNTERS_OFFSET, offset)
        for i, value in enumerate(counters):
            out.put_int(offset + 4 * i, value)


class _Bytes:
    """``RoiEncoder``'s put methods: Java's truncating stores of shorts and ints, big-endian."""

    def __init__(self, data: bytearray) -> None:
        self.data = data

    def put_short(self, offset: int, value: int) -> None:
        self.data[offset:offset + 2] = (value & 0xFFFF).to_bytes(2, "big")

    def put_int(self, offset: int, value: int) -> None:
        self.data[offset:offset + 4] = (value & 0xFFFFFFFF).to_bytes(4, "big")

    def put_float(self, offset: int, value: float) -> None:
        self.data[offset:offset + 4] = struct.pack(">f", value)


def _utf16(text: str | None) -> bytes:
    """Java's chars of ``text`` (UTF-16 code units, big-endian)."""
    return b"" if not text else text.encode("utf-16-be", "surrogatepass")


def _round(value: float) -> int:
    """``(int)Math.floor(v + 0.5)``."""
    return math.floor(value + 0.5)


def write(roi: Roi, path: str | os.PathLike[str]) -> None:
    """``RoiEncoder.save(roi, path)``: the file written whole or not at all, under the user's umask."""
    target = os.fspath(path)
    _write_atomically(target, lambda out: out.write(encode(roi, target)))


# --- reading ------------------------------------------------------------------------
def decode(data: bytes, path: str = "<roi>", name: str | None = None, entry: str | None = None) -> Roi:
    """``new RoiDecoder(bytes, name).getRoi()``: the selection in ``data``.

    ``name`` is what an unnamed selection is called (the file name without
    ``.roi``, as ImageJ).  Raises :class:`RoiFileError` naming ``path`` (and
    ``entry``) for anything ImageJ cannot read or bridge cannot hold.
    """
    return _Decoder(data, path, name, entry).roi()


def read(path: str | os.PathLike[str]) -> Roi:
    """``RoiDecoder.open(path)`` (which gives null on errors; this raises :class:`RoiFileError` saying why)."""
    target = os.fspath(path)
    data = _read_bounded(target)
    base = os.path.basename(target)
    return decode(data, target, base[:-4] if base.endswith(".roi") else base)


class _Decoder:
    def __init__(self, data: bytes, path: str, name: str | None, entry: str | None) -> None:
        self.data, self.path, self.entry = data, path, entry
        self.name = name[:-4] if name is not None and name.endswith(".roi") else name

    def fail(self, reason: str) -> RoiFileError:
        return RoiFileError(reason, self.path, self.entry)

    def bytes_at(self, offset: int, count: int) -> bytes:
        if offset < 0 or count < 0 or offset + count > len(self.data):
            raise self.fail(f"truncated: {count} bytes at offset {offset} are beyond the {len(self.data)} in the file")
        return self.data[offset:offset + count]

    def byte(self, offset: int) -> int:
        return self.bytes_at(offset, 1)[0]

    def get_short(self, offset: int) -> int:
        """``RoiDecoder.getShort``: signed, except that below -5000 it is taken as unsigned."""
        value = int.from_bytes(self.bytes_at(offset, 2), "big", signed=True)
        return value & 0xFFFF if value < -5000 else value

    def ushort(self, offset: int) -> int:
        return int.from_bytes(self.bytes_at(offset, 2), "big")

    def get_int(self, offset: int) -> int:
        return int.from_bytes(self.bytes_at(offset, 4), "big", signed=True)

    def get_float(self, offset: int) -> float:
        return float(struct.unpack(">f", self.bytes_at(offset, 4))[0])

    def text(self, offset_at: int, length_at: int) -> str | None:
        """A name or properties string; None where ImageJ finds none (absent, or beyond the file)."""
        offset, length = self.get_int(offset_at), self.get_int(length_at)
        if offset == 0 or length == 0 or offset + length * 2 > len(self.data) or offset < 0 or length < 0:
            return None
        return self.bytes_at(offset, 2 * length).decode("utf-16-be", "surrogatepass")

    def roi(self) -> Roi:
        if len(self.data) < HEADER_SIZE:
            raise self.fail(f"truncated: {len(self.data)} bytes, a .roi header has {HEADER_SIZE}")
        if self.data[0:2] != b"Io":
            raise self.fail("This is not an ImageJ ROI")
        version, kind, subtype = self.get_short(VERSION_OFFSET), self.byte(TYPE), self.get_short(SUBTYPE)
        options = self.get_short(OPTIONS)
        if self.get_int(SHAPE_ROI_SIZE) > 0:
            raise self.fail("composite (shape) selections are not supported yet")
        if subtype in _SUBTYPES:
            raise self.fail(f"{_SUBTYPES[subtype]} selections are not supported yet")
        if version >= 218 and options & SPLINE_FIT:
            raise self.fail("spline-fitted selections are not supported yet")
        if kind == _ANGLE:
            raise self.fail("angle selections are not supported yet")
        if kind not in _ROI_TYPES:
            raise self.fail(f"Unrecognized ROI type: {kind}")
        sub_pixel = bool(options & SUB_PIXEL_RESOLUTION) and version >= 222
        try:
            roi = self.geometry(_ROI_TYPES[kind], version, sub_pixel, options)
        except MeasurementError as exc:             # NaN or infinite coordinates
            raise self.fail(str(exc)) from None
        self.attributes(roi, version, options)
        return roi

    def geometry(self, kind: int, version: int, sub_pixel: bool, options: int) -> Roi:
        top, left = self.get_short(TOP), self.get_short(LEFT)
        width, height = self.get_short(RIGHT) - left, self.get_short(BOTTOM) - top
        if kind in (RECTANGLE, OVAL):
            cls = Roi if kind == RECTANGLE else OvalRoi
            if version >= 223 and sub_pixel:
                roi = cls(self.get_float(X1), self.get_float(Y1), self.get_float(X2), self.get_float(Y2), True)
            else:
                roi = cls(left, top, width, height)
            if kind == RECTANGLE and self.get_short(ROUNDED_RECT_ARC_SIZE) > 0:
                roi.corner_diameter = self.get_short(ROUNDED_RECT_ARC_SIZE)
            return roi
        if kind == LINE:
            line = Line(self.get_float(X1), self.get_float(Y1), self.get_float(X2), self.get_float(Y2))
            if sub_pixel and options & DRAW_OFFSET:
                line.draw_offset = True   
            return line
        n = self.ushort(N_COORDINATES) or self.get_int(SIZE)
        if n <= 0:
            raise self.fail("a polygon or point selection without coordinates (ImageJ reads it as null)")
        shorts = self.bytes_at(COORDINATES, 4 * n)
        xs = [left + max(0, v) for v in self._shorts(shorts[:2 * n])]
        ys = [top + max(0, v) for v in self._shorts(shorts[2 * n:])]
        if kind == POINT:
            if sub_pixel:
                floats = self.bytes_at(COORDINATES + 4 * n, 8 * n)
                values = list(struct.unpack(f">{2 * n}f", floats))
                return PointRoi(values[:n], values[n:])
            return PointRoi([float(x) for x in xs], [float(y) for y in ys])   # ImageJ's int points are floats too
        if sub_pixel:
            raise self.fail("sub-pixel polygon and line selections are not supported yet")
        return PolygonRoi(xs, ys, kind)

    def _shorts(self, raw: bytes) -> list[int]:
        """``getShort`` over a run of coordinates (its unsigned reading below -5000 included)."""
        values = struct.unpack(f">{len(raw) // 2}h", raw)
        return [v & 0xFFFF if v < -5000 else v for v in values]

    def attributes(self, roi: Roi, version: int, options: int) -> None:
        """Name, stroke, colours, point style, properties, counters, group and position, as ``getRoi`` sets them."""
        hdr2 = self.get_int(HEADER2_OFFSET)
        name = self.text(hdr2 + NAME_OFFSET, hdr2 + NAME_LENGTH) if hdr2 != 0 else None
        roi.name = name if name is not None else self.name
        if isinstance(roi, PointRoi) and version >= 226:
            point_type, point_size = self.byte(POINT_TYPE), self.get_short(STROKE_WIDTH)
            if 0 <= point_type < 4:                     # setPointType and setSize ignore unknown ones
                roi.point_type = point_type
            if 0 <= point_size < 7:
                roi.point_size = point_size
        if version >= 218:
            width = float(self.get_short(STROKE_WIDTH))
            if hdr2 > 0 and self.get_float(hdr2 + FLOAT_STROKE_WIDTH) > 0.0:
                width = self.get_float(hdr2 + FLOAT_STROKE_WIDTH)
            if width > 0.0:                  # a point's width is then set to 0 again, its scaling stays
                roi.stroke_width = 0.0 if isinstance(roi, PointRoi) else width
                roi.scale_stroke_width = version < 228 or bool(options & SCALE_STROKE_WIDTH)
            roi.stroke_color, roi.fill_color = self.get_int(STROKE_COLOR), self.get_int(FILL_COLOR)
        if hdr2 != 0 and version >= 224:
            props = self.text(hdr2 + ROI_PROPS_OFFSET, hdr2 + ROI_PROPS_LENGTH)
            if props is not None:
                roi.properties = props         
        if isinstance(roi, PointRoi) and version >= 227 and hdr2 != 0:
            offset = self.get_int(hdr2 + COUNTERS_OFFSET)
            if offset != 0 and offset + 4 * roi.size() <= len(self.data):
                roi.counters = list(struct.unpack(f">{roi.size()}i", self.bytes_at(offset, 4 * roi.size())))
        if version >= 228 and hdr2 > 0 and hdr2 + GROUP < len(self.data) and self.byte(hdr2 + GROUP) > 0:
            raise self.fail("selection groups (which colour a selection by its group) are not supported yet")
        roi.setPosition(self.get_int(POSITION))
        self.overlay(roi, version, options, hdr2)
        if hdr2 > 0 and hdr2 + 36 <= len(self.data):
            c, z, t = self.get_int(hdr2 + C_POSITION), self.get_int(hdr2 + Z_POSITION), self.get_int(hdr2 + T_POSITION)
            if c > 0 or z > 0 or t > 0:
                roi.hyperstack_position = (max(c, 0), max(z, 0), max(t, 0))
                roi.position = 0


    def overlay(self, roi: Roi, version: int, options: int, hdr2: int) -> None:
        """``decodeOverlayOptions``: the label options, colour (made opaque) and font size ImageJ keeps."""
        color = font_size = 0
        if hdr2 > 0 and hdr2 + 36 <= len(self.data):
            color, font_size = self.get_int(hdr2 + OVERLAY_LABEL_COLOR), self.get_short(hdr2 + OVERLAY_FONT_SIZE)
        roi.overlay_options = options & (OVERLAY_LABELS | OVERLAY_NAMES | OVERLAY_BACKGROUNDS)
        if version >= 220 and color != 0:
            roi.overlay_label_color = _java_int32(color | 0xFF000000)      # new Color(rgb): opaque
        if font_size > 0 or options & (OVERLAY_BOLD | SCALE_LABELS):
            roi.overlay_font_size = font_size
            roi.overlay_options |= options & (OVERLAY_BOLD | SCALE_LABELS)


def _java_int(value: float) -> int:
    """Java's ``(int)`` of a float: toward zero, saturating, NaN to 0."""
    if math.isnan(value):
        return 0
    if math.isinf(value):
        return 2**31 - 1 if value > 0 else -2**31
    return max(-2**31, min(2**31 - 1, int(value)))


def _java_int32(value: int) -> int:
    value &= 0xFFFFFFFF
    return value - (1 << 32) if value >= 1 << 31 else value


# --- ROI sets (.zip) ------------------------------------------------------------------
def write_set(rois: Sequence[Roi], path: str | os.PathLike[str], labels: Sequence[str] | None = None) -> None:
    """``RoiManager.save(path)``: one ``label.roi`` entry per selection, labels made unique as the manager does."""
    target = os.fspath(path)
    names = list(labels) if labels is not None else [roi.name or f"{i + 1:04d}" for i, roi in enumerate(rois)]
    entries = [(unique_label(names, i), encode(roi, target)) for i, roi in enumerate(rois)]

    def fill(out: IO[bytes]) -> None:
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for label, data in entries:
                archive.writestr(label if label.endswith(".roi") else label + ".roi", data)
    _write_atomically(target, fill)


def unique_label(names: list[str], index: int) -> str:
    """``RoiManager.getUniqueName``: a label used by another entry gets ``-1``, ``-2``... (``names`` updated)."""
    name = names[index]
    n = 1
    while any(i != index and other == name for i, other in enumerate(names)):
        dash = name.rfind("-")
        if dash != -1 and len(name) - dash < 5:
            name = name[:dash]
        name = f"{name}-{n}"
        n += 1
    names[index] = name
    return name


def read_set(path: str | os.PathLike[str]) -> list[Roi]:
    """``RoiManager.openZip``: the selections of a ROI set's ``.roi`` entries, in order."""
    return [roi for _, roi in read_set_entries(path)]


def read_set_entries(path: str | os.PathLike[str]) -> list[tuple[str, Roi]]:
    """The ``.roi`` entries of a ROI set as ``(label, selection)``: the label is the entry's name less ``.roi``.

    An unnamed selection is named by its entry, as ImageJ's decoder does.
    """
    target = os.fspath(path)
    try:
        archive = zipfile.ZipFile(target)
    except (OSError, zipfile.BadZipFile) as exc:
        raise RoiFileError(f"not a readable ROI set: {exc}", target) from exc
    entries = []
    with archive:
        members = [info for info in archive.infolist() if info.filename.endswith(".roi")]
        if len(members) > MAX_SET_ENTRIES:
            raise RoiFileError(f"{len(members)} entries: more than the {MAX_SET_ENTRIES} bridge reads", target)
        for info in members:
            if info.file_size > MAX_ROI_BYTES:
                raise RoiFileError(f"{info.file_size} bytes: larger than a .roi file can be", target, info.filename)
            try:
                with archive.open(info) as member:
                    data = member.read(MAX_ROI_BYTES + 1)
            except (OSError, zipfile.BadZipFile, EOFError, RuntimeError) as exc:
                raise RoiFileError(f"cannot read the entry: {exc}", target, info.filename) from exc
            label = info.filename[:-4]
            entries.append((label, decode(data, target, info.filename, info.filename)))
    return entries


# --- files ------------------------------------------------------------------------------
def _read_bounded(path: str) -> bytes:
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_ROI_BYTES + 1)
    except OSError as exc:
        raise RoiFileError(f"cannot read: {exc.strerror or exc}", path) from exc
    if len(data) > MAX_ROI_BYTES:
        raise RoiFileError(f"larger than {MAX_ROI_BYTES} bytes: not a .roi file", path)
    return data


def _write_atomically(path: str, fill: Callable[[IO[bytes]], object]) -> None:
    """Write through ``fill(file)`` whole or not at all (:mod:`.atomicfile`), errors naming ``path``."""
    try:
        atomicfile.write(path, fill)
    except OSError as exc:
        raise RoiFileError(f"cannot write: {exc.strerror or exc}", path) from exc
