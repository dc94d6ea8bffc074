"""The pure-Python backend ("pydicom"): ImageJ's DICOM reader re-done on raw bytes.

It speaks the release ``bridge.emulation`` chooses (1.53t, 1.54f or 1.54p
and the releases that behave as they do); what differs between them is
the rule table in ``bridge/core/versions.py``.

Module map, in reading order:

* ``dictionary.py`` – ImageJ's own tag dictionary (extracted from ij.jar by ``scripts/``).
* ``walker.py``     – one pass over the bytes with ImageJ's VR guessing and sequence flag.
* ``decoder.py``    – consumes the walk: header text (``header.py``) and the ``FileInfo``.
* ``fileinfo.py``   – what the walk learns about the image.
* ``pixels.py``, ``calibration.py`` – pixels, calibration and display range, ImageJ's rules.
* ``opener.py``     – ``IJ.openImage``'s routing (sniff, zip rule, titles, nulls).
* ``tags.py``       – ``getTag`` / ``getStringProperty`` text rules.
* ``series.py``     – ``FolderOpener.open(dir)``: a folder of files as one stack.
* ``imageinfo.py``  – *Show Info* (``getImageInfo``) text from the model.

pydicom itself is used only for cross-checks and, outside parity mode, for decoding.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ... import emulation
from ...errors import BridgeError, VersionError
from ...model import ImagePlus
from ..base import Backend
from . import tags

if TYPE_CHECKING:
    from ...scan import TagResult

class PureBackend:
    name = "pydicom"

    def missing(self) -> list[str]:
        try:
            emulation.rules()
        except VersionError as exc:
            return [str(exc)]
        return []

    def full_version(self) -> str:
        return emulation.full_version()

    def open_image(self, path: str) -> ImagePlus:
        from .opener import open_image
        imp = open_image(path)
        imp.backend = self
        return imp

    def open_series(self, folder: str, *, virtual: bool = False, sort: str = "imagej") -> ImagePlus:
        from .series import open_series
        imp = open_series(folder, virtual=virtual)
        if sort == "geometric":
            from ...series import sort_geometrically
            sort_geometrically(imp)
        imp.backend = self
        return imp

    def get_info(self, path: str) -> str:
        from .decoder import get_info
        return get_info(path)

    def get_tag(self, imp: ImagePlus, tag_id: str) -> str | None:
        text = tags.search_text(imp.info, imp.labels, imp.current_slice)
        return tags.get_tag(text, tag_id)

    def get_string_property(self, imp: ImagePlus, key: str) -> str | None:
        if tags.is_dicom_key(key):
            return self.get_tag(imp, key)
        return tags.get_string_property(imp.info, imp.labels, imp.current_slice, key)

    def get_image_info(self, imp: ImagePlus, *, in_macro: bool = False) -> str:
        from .imageinfo import image_info
        return image_info(imp, in_macro=in_macro)

    def scan_tags(self, paths: list[str], tags: list[str]) -> list[dict[str, object]]:
        from ...scan import header_rows
        return header_rows(paths, tags, _read_tags)

    def get_tag_name(self, tag_id: str) -> str | None:
        from .dictionary import tag_name
        return tag_name(tag_id)



def _read_tags(paths: list[str], tag_ids: list[str]) -> list[TagResult]:
    """``getTag(getInfo(path), id)`` for each id and whether there was any text; or the file's error.

    The whole text is built: a walk that renders only the wanted lines was
    tried, and once the walk got fast it saved nothing.
    """
    from .decoder import get_info
    from .tags import get_tag
    results: list[TagResult] = []
    for path in paths:
        try:
            text = get_info(path)
        except BridgeError as err:
            results.append(err)
            continue
        results.append(({t: get_tag(text, t) for t in tag_ids}, bool(text)))
    return results


BACKEND: Backend = PureBackend()    # annotated: mypy checks it implements the interface
