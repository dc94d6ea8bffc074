"""``BF`` and ``ImporterOptions``: Bio-Formats' scripting names (``loci.plugins``), on either backend.

Fiji scripts open the DICOM files ImageJ's own reader refuses with
``BF.openImagePlus(path)``, which returns a list of images (one per series).
The jvm backend runs the real Bio-Formats (an optional, GPL jar: see
``docs/bioformats.md``); the pydicom backend reproduces its DICOM import
(:mod:`bridge.core.bioformats`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from .backends import current_backend
from .model import ImagePlus


@dataclass
class ImporterOptions:
    """``loci.plugins.in.ImporterOptions``: the common import options, with their setters' names.

    ``series`` are the 0-based series to open (None: the first); ``virtual``
    opens a virtual stack; ``autoscale`` sets each channel's display range
    to its minimum and maximum; ``split_channels`` gives one image per channel;
    ``stack_order`` is the planes' order (``"XYZCT"``: each channel's slices together).
    """

    id: str = ""
    series: list[int] | None = None
    virtual: bool = False
    autoscale: bool = True
    split_channels: bool = False
    open_all_series: bool = False
    stack_order: str = "XYCZT"

    def setId(self, path: str | os.PathLike[str]) -> None:
        self.id = os.fspath(path)

    def setSeriesOn(self, index: int, on: bool) -> None:
        chosen = set(self.series or [])
        chosen = chosen | {index} if on else chosen - {index}
        self.series = sorted(chosen)

    def setVirtual(self, on: bool) -> None:
        self.virtual = on

    def setAutoscale(self, on: bool) -> None:
        self.autoscale = on

    def setSplitChannels(self, on: bool) -> None:
        self.split_channels = on

    def setOpenAllSeries(self, on: bool) -> None:
        self.open_all_series = on

    def setStackOrder(self, order: str) -> None:
        self.stack_order = order

    def changed(self) -> dict[str, object]:
        """The options that differ from the importer's defaults, by name."""
        defaults = ImporterOptions()
        return {name: getattr(self, name) for name in
                ("series", "virtual", "autoscale", "split_channels", "open_all_series", "stack_order")
                if getattr(self, name) != getattr(defaults, name)}


class BF:
    """``loci.plugins.BF``: Bio-Formats' one-call importer."""

    @staticmethod
    def openImagePlus(source: str | os.PathLike[str] | ImporterOptions) -> list[ImagePlus]:
        """The images of ``source`` (a path, or :class:`ImporterOptions` naming one), as Bio-Formats opens them.

        Raises a :class:`~bridge.errors.DicomReadError` naming the file where
        Bio-Formats throws.
        """
        if isinstance(source, ImporterOptions):
            return current_backend().open_bioformats(source.id, source.changed())
        return current_backend().open_bioformats(os.fspath(source), {})
