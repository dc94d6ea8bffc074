"""What one walk of ImageJ's DICOM decoder learns about the image.

This mirrors ``ij.io.FileInfo`` plus the ``DicomDecoder`` fields that
``ij.plugin.DICOM.open`` reads afterwards (window, rescale, modality).  The
decoder (``decoder.py``) fills it in tag order, with ImageJ's quirks; the
image builder (``opener.py`` and friends) turns it into an ImagePlus.
Java's field names are given where ours differ.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# ij.io.FileInfo.fileType values.
GRAY8, GRAY16_SIGNED, GRAY16_UNSIGNED, GRAY32_INT, GRAY32_FLOAT = 0, 1, 2, 3, 4
COLOR8, RGB, RGB_PLANAR, GRAY32_UNSIGNED = 5, 6, 7, 11

# ij.io.FileInfo.fileFormat values that matter here.
FORMAT_DICOM, FORMAT_ZIP_ARCHIVE = 6, 7


@dataclass
class FileInfo:
    file_name: str = ""
    directory: str = ""
    file_format: int = FORMAT_DICOM
    width: int = 0
    height: int = 0
    offset: int = 0                   # first pixel byte, counted from the start of the file/stream
    n_images: int = 1
    file_type: int = GRAY16_UNSIGNED
    little_endian: bool = True        # ImageJ: intelByteOrder
    samples_per_pixel: int = 1
    planar_configuration: int = 0
    photometric: str = ""             # raw Photometric Interpretation text, padding kept
    bits_allocated: int = 16
    pixel_width: float = 1.0
    pixel_height: float = 1.0
    pixel_depth: float = 1.0
    unit: str | None = None           # "mm" once a pixel spacing was accepted
    white_is_zero: bool = False       # raw Photometric ends with "1 " (MONOCHROME1, space padded)
    lut: tuple[bytes, bytes, bytes] | None = None   # reds, greens, blues (COLOR8 only; lutSize = len)
    # DicomDecoder fields DICOM.open() uses after the walk:
    window_center: float = 0.0
    window_width: float = 0.0
    rescale_intercept: float = 0.0
    rescale_slope: float = 1.0
    modality: str | None = None
    transfer_syntax: str | None = None   # raw text, padding kept
    dicm_found: bool = False
    extra: dict[str, object] = field(default_factory=dict)   # anything else the builder needs
