"""ImageJ's ``DicomDecoder.getFileInfo`` and ``DICOM.getInfo`` on one walk.

The walk (``walker.py``) is consumed once: each element becomes a header
line (``header.py``) and, if ImageJ interprets it, updates the
:class:`FileInfo` in file order, exactly as the decoder's ``switch`` does
(§4.1: a later tag overrides an earlier one; Pixel Representation 1 makes
any depth signed 16-bit...).  The result keeps what ImageJ had read before
any failure, because ``getInfo`` returns that partial text.
"""

from __future__ import annotations

import math
import os
import stat
from dataclasses import dataclass

from .. import config
from ..errors import (CorruptHeaderError, DicomReadError, LimitExceededError, MissingFileError,
                       NotARegularFileError)
from . import dictionary, native
from . import fileinfo as ft
from .charset import java_string
from .fileinfo import FileInfo
from .header import HeaderText
from .javafmt import s2d
from .source import ByteSource
from .walker import (BITS_ALLOCATED, BLUE_PALETTE, COLUMNS, FLOAT_PIXEL_DATA, GREEN_PALETTE,
                     IMAGER_PIXEL_SPACING, MODALITY, NUMBER_OF_FRAMES, PHOTOMETRIC_INTERPRETATION,
                     PIXEL_DATA, PIXEL_REPRESENTATION, PIXEL_SPACING, PLANAR_CONFIGURATION,
                     RAK_PIXEL_DATA, RED_PALETTE, RESCALE_INTERCEPT, RESCALE_SLOPE, ROWS,
                     SAMPLES_PER_PIXEL, SLICE_SPACING, SLICE_THICKNESS, TRANSFER_SYNTAX_UID,
                     UNDECODABLE, WINDOW_CENTER, WINDOW_WIDTH, Element, ImageJThrewError, Record,
                     Walk)

UNREADABLE = "Unsupported format or file not found:\n{path}"
_INT_MAX = 2**31 - 1


@dataclass
class Decoded:
    """What one decode learnt: the header text, and the image description or why there is none.

    ``fi`` is ``None`` exactly when ``error`` is set; ``info`` is the text
    ImageJ had built by then (what ``getInfo`` returns).
    """

    info: str
    fi: FileInfo | None
    error: DicomReadError | None


class _ImageTags:
    """The decoder's interpretation of image-defining tags, applied in file order."""

    def __init__(self, fi: FileInfo) -> None:
        self.fi = fi
        self.signed = False
        self.reds: bytes | None = None
        self.greens: bytes | None = None
        self.blues: bytes | None = None
        self.little_endian = True

    def apply(self, el: Element) -> None:
        fi, tag = self.fi, el.tag
        self.little_endian = el.little_endian
        if tag == FLOAT_PIXEL_DATA:               # even when empty
            fi.file_type = ft.GRAY32_FLOAT
        if tag == PIXEL_DATA or tag == FLOAT_PIXEL_DATA:
            if el.special:
                fi.offset = el.location
            return
        if tag == RAK_PIXEL_DATA:
            fi.offset = el.location
            return
        if not el.special:
            return
        raw = el.value
        assert raw is not None, "the walker reads every interpreted tag but pixel data"
        if tag in _SHORT_FIELDS:
            self._short(tag, _short(raw, el.little_endian))
        elif tag in (RED_PALETTE, GREEN_PALETTE, BLUE_PALETTE):
            self._lut(tag, el, raw)
        else:
            self._text(tag, java_string(raw))

    def _short(self, tag: int, value: int) -> None:
        fi = self.fi
        if tag == SAMPLES_PER_PIXEL:
            fi.samples_per_pixel = value
        elif tag == PLANAR_CONFIGURATION:
            fi.planar_configuration = value
        elif tag == ROWS:
            fi.height = value
        elif tag == COLUMNS:
            fi.width = value
        elif tag == BITS_ALLOCATED:
            fi.bits_allocated = value
            if value == 8:
                fi.file_type = ft.GRAY8
            elif value == 32:
                fi.file_type = ft.GRAY32_UNSIGNED
        elif tag == PIXEL_REPRESENTATION and value == 1:
            fi.file_type = ft.GRAY16_SIGNED
            self.signed = True

    def _lut(self, tag: int, el: Element, raw: bytes) -> None:
        # ImageJ keeps the high byte of each 16-bit entry; an odd length gives no table.
        table = None if el.length & 1 else (raw[1::2] if el.little_endian else raw[0::2])
        if tag == RED_PALETTE:
            self.reds = table
        elif tag == GREEN_PALETTE:
            self.greens = table
        else:
            self.blues = table

    def _text(self, tag: int, text: str) -> None:
        fi = self.fi
        if tag == TRANSFER_SYNTAX_UID:
            fi.transfer_syntax = text
        elif tag == MODALITY:
            fi.modality = text
        elif tag == NUMBER_OF_FRAMES:
            frames = s2d(text)
            if frames > 1.0:
                fi.n_images = _INT_MAX if math.isinf(frames) else min(int(frames), _INT_MAX)
        elif tag == PHOTOMETRIC_INTERPRETATION:
            fi.photometric = text
        elif tag == PIXEL_SPACING or tag == IMAGER_PIXEL_SPACING:
            _spatial_scale(fi, text)
        elif tag == SLICE_THICKNESS or tag == SLICE_SPACING:
            fi.pixel_depth = s2d(text)
        elif tag == WINDOW_CENTER:
            fi.window_center = s2d(text[text.find("\\") + 1:])
        elif tag == WINDOW_WIDTH:
            fi.window_width = s2d(text[text.find("\\") + 1:])
        elif tag == RESCALE_INTERCEPT:
            fi.rescale_intercept = s2d(text)
        elif tag == RESCALE_SLOPE:
            fi.rescale_slope = s2d(text)

    def finish(self) -> None:
        """The decoder's decisions after the walk (palette, 32-bit sign, RGB, MONOCHROME1)."""
        fi = self.fi
        if (fi.file_type == ft.GRAY8 and self.reds is not None and self.greens is not None
                and self.blues is not None and len(self.reds) == len(self.greens) == len(self.blues)):
            fi.file_type = ft.COLOR8
            fi.lut = (self.reds, self.greens, self.blues)
        if fi.file_type == ft.GRAY32_UNSIGNED and self.signed:
            fi.file_type = ft.GRAY32_INT
        if fi.samples_per_pixel == 3 and fi.photometric.startswith("RGB"):
            if fi.planar_configuration == 0:
                fi.file_type = ft.RGB
            elif fi.planar_configuration == 1:
                fi.file_type = ft.RGB_PLANAR
        elif fi.photometric.endswith("1 "):
            fi.white_is_zero = True
        fi.little_endian = self.little_endian


_SHORT_FIELDS = frozenset({SAMPLES_PER_PIXEL, PLANAR_CONFIGURATION, ROWS, COLUMNS, BITS_ALLOCATED,
                           PIXEL_REPRESENTATION})


def _short(raw: bytes, little: bool) -> int:
    return raw[0] | raw[1] << 8 if little else raw[0] << 8 | raw[1]


def _spatial_scale(fi: FileInfo, text: str) -> None:
    """``getSpatialScale``: "height\\width", both non-zero, the backslash not first."""
    i = text.find("\\")
    if i <= 0:
        return
    y, x = s2d(text[:i]), s2d(text[i + 1:])
    if x != 0.0 and y != 0.0:
        fi.pixel_width, fi.pixel_height, fi.unit = x, y, "mm"


def decode_source(src: ByteSource, path: str) -> Decoded:
    """Walk ``src`` once; ``path`` names it in errors and in the FileInfo."""
    walker, info, picked, error = walk_text(src, path, pick=True)
    if error is not None:
        return Decoded(info, None, error)
    directory, file_name = os.path.split(path)
    fi = FileInfo(file_name=file_name, directory=directory + os.sep if directory else "")
    fi.dicm_found = walker.dicm_found
    tags = _ImageTags(fi)
    for plan, value, location in picked:
        tags.apply(plan.record(value, location))
    tags.finish()
    if not (fi.width > 0 and fi.height > 0 and fi.offset > 0):
        return Decoded(info, None, CorruptHeaderError(
            f"no usable image: {fi.width}x{fi.height} pixels at offset {fi.offset}", path,
            imagej_message=UNDECODABLE))
    return Decoded(info, fi, None)


def new_walk(src: ByteSource, path: str) -> tuple[Walk, bool]:
    """A walk over ``src`` under the settings in force, and whether it runs in C (:func:`native.active`).

    Every file of a batch asks, so the settings are read once per file and
    what they decide (the dictionary of the emulated release, the nesting
    limit, the accelerator switch) is kept until they change.
    """
    settings = config.settings()
    last = _walk_settings
    if last is None or last[0] is not settings:
        last = _remember_walk_settings(settings)
    return Walk(src, path, last[1], last[2]), last[3]


#: (the settings object, its dictionary table, its max_depth, whether the C walk is active)
_walk_settings: tuple[config.Settings, dict[int, tuple[str, str]], int, bool] | None = None


def _remember_walk_settings(settings: config.Settings
                            ) -> tuple[config.Settings, dict[int, tuple[str, str]], int, bool]:
    global _walk_settings
    _walk_settings = (settings, dictionary.table(), settings.max_depth, native.active())
    return _walk_settings


def walk_text(src: ByteSource, path: str, pick: bool = False
              ) -> tuple[Walk, str, list[Record], DicomReadError | None]:
    """The one walk: (the walker, the header text, the records ImageJ interprets if ``pick``, the failure).

    In C where the accelerator is active (:mod:`.native`), else in Python; both give the same.
    """
    picked: list[Record] = []
    walker, accelerated = new_walk(src, path)
    if accelerated:
        raw, error = native.walk_header(walker, picked if pick else None)
        return walker, java_string(raw), picked, error
    header = HeaderText()
    error = None
    try:
        header.consume(walker.records(), picked if pick else None)
    except DicomReadError as exc:
        error = exc
    return walker, header.text(), picked, error


def decode_bytes(data: bytes, name: str) -> Decoded:
    """Decode an in-memory file (as if read from disk under ``name``)."""
    return decode_source(ByteSource(bytes(data)), name)


def open_source(path: str) -> ByteSource | DicomReadError:
    """The file's bytes for a walk, or why there are none (missing, not a file, unreadable)."""
    try:
        src = ByteSource.from_path(path)
    except OSError as exc:
        return _unreadable(path) or DicomReadError(
            f"cannot read: {exc.strerror or exc}", path, imagej_message=UNREADABLE.format(path=path))
    if not src.regular:     # opened without blocking, never read
        src.close()
        return _unreadable(path) or _not_regular(path, src.mode)
    return src


def decode(path: str) -> Decoded:
    """Decode the file at ``path``; never raises for a bad input (see ``Decoded.error``)."""
    src = open_source(path)
    if isinstance(src, DicomReadError):
        return Decoded("", None, src)
    with src:
        return decode_source(src, path)


def header_text(path: str) -> tuple[str, DicomReadError | None]:
    """The header text alone and the walk's failure: ``decode`` without describing the image."""
    src = open_source(path)
    if isinstance(src, DicomReadError):
        return "", src
    with src:
        _, info, _, error = walk_text(src, path)
    return info, error


def walk_failure(path: str) -> DicomReadError | None:
    """How ImageJ's walk over ``path`` fails (None when it reaches the pixel data), nothing else built.

    For the guards that run before ImageJ reads a file: they need the failure only.
    """
    src = open_source(path)
    if isinstance(src, DicomReadError):
        return src
    with src:
        walk, accelerated = new_walk(src, path)
        if accelerated:         # the C walk writes the text too: still cheaper than the Python walk alone
            return native.walk_header(walk, None)[1]
        try:
            for _ in walk.records():
                pass
        except DicomReadError as exc:
            return exc
    return None


def _unreadable(path: str) -> DicomReadError | None:
    """Why ``path`` is missing or not a file, from ``stat`` (the error paths only: the open is non-blocking)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return MissingFileError("file not found", path)
    except OSError as exc:
        return DicomReadError(f"cannot read: {exc.strerror or exc}", path,
                              imagej_message=UNREADABLE.format(path=path))
    if not stat.S_ISREG(mode):
        return _not_regular(path, mode)
    return None


def _not_regular(path: str, mode: int) -> DicomReadError:
    kind = "a directory" if stat.S_ISDIR(mode) else "not a regular file"
    return NotARegularFileError(kind, path, imagej_message=UNREADABLE.format(path=path))


def get_info(path: str) -> str:
    """``new DICOM().getInfo(path)``: the header text ImageJ built, ``""`` if none.

    Like ImageJ, a failure only shortens the text -- except where ImageJ
    itself throws (a negative value length), which raises here too, and where
    a limit refuses the file (nesting beyond ``max_depth``).
    """
    info, error = header_text(path)
    if isinstance(error, (ImageJThrewError, LimitExceededError)):
        raise error
    return info
