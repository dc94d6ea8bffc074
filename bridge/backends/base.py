"""The small interface every backend implements.

A backend turns a path into a :class:`bridge.model.ImagePlus` exactly as
ImageJ 1.53t would, gives the header text, and answers the text queries
ImageJ makes on an opened image.  The facade never needs to know which
backend it talks to; the parity tests hold the two implementations together.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from ..model import ImagePlus


@runtime_checkable
class Backend(Protocol):
    #: The user-facing name ("jvm" or "pydicom").
    name: str

    def missing(self) -> list[str]:
        """What keeps this backend from running here, each with its fix; empty when usable."""

    def full_version(self) -> str:
        """ImageJ's ``IJ.getFullVersion()`` as this backend reproduces it."""

    def open_image(self, path: str) -> ImagePlus:
        """Open like ``IJ.openImage``; raise a ``DicomReadError`` where ImageJ gives null."""

    def open_series(self, folder: str, *, virtual: bool = False, sort: str = "imagej") -> ImagePlus:
        """``FolderOpener.open(folder)`` (see :mod:`bridge.series`); raise a ``DicomReadError`` where it gives null."""

    def open_bioformats(self, path: str, options: dict[str, object]) -> list[ImagePlus]:
        """``BF.openImagePlus``: Bio-Formats' images of ``path``; ``options`` are changed ``ImporterOptions``."""

    def get_info(self, path: str) -> str:
        """``new DICOM().getInfo(path)``: the header text, ``""`` where nothing parsed."""

    def get_tag(self, imp: ImagePlus, tag_id: str) -> str | None:
        """``DicomTools.getTag(imp, id)``."""

    def get_string_property(self, imp: ImagePlus, key: str) -> str | None:
        """``imp.getStringProperty(key)``."""

    def get_image_info(self, imp: ImagePlus, *, in_macro: bool = False) -> str:
        """*Show Info*'s text for ``imp`` as opened; ``in_macro``: as the macro ``getImageInfo()`` gives it."""

    def run_command(self, imp: ImagePlus | None, command: str, options: str | None) -> ImagePlus | None:
        """``IJ.run(imp, command, options)``: ``imp`` changed as ImageJ changes it; the image it opened, if any."""

    def get_tag_name(self, tag_id: str) -> str | None:
        """``DicomTools.getTagName(id)``: the dictionary name or None."""

    def scan_tags(self, paths: list[str], tags: list[str]) -> list[dict[str, object]]:
        """Header-only rows for a batch: ``{"path", <tag>: getTag value, "error"}`` per file."""
