"""The pure-Python backend ("pydicom"): a thin adapter from the backend interface to :mod:`bridge.core`.

Everything ImageJ-specific (the header walk, the image it builds, the text
rules of ``getTag``) lives in the core, which the jvm backend shares for its
pre-flight checks and scans.  This module only answers the interface of
:class:`bridge.backends.base.Backend` with core calls.

It speaks the ImageJ release :mod:`bridge.emulation` chooses (1.53t, 1.54f,
1.54p and those that behave as they do); what differs between releases is
the rule table in :mod:`bridge.core.versions`, which the core consults.

pydicom itself is used only for cross-checks and, outside parity mode, for decoding.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ... import emulation
from ...core import tags
from ...core.decoder import get_info
from ...core.dictionary import tag_name
from ...core.opener import open_image
from ...errors import BridgeError, VersionError
from ...model import ImagePlus
from ..base import Backend

if TYPE_CHECKING:
    from ...core.headerscan import TagResult
# Series, Bio-Formats, scans and Show Info are imported where used: a script that opens one
# file and reads a tag (a cold start) needs none of them.

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
        imp = open_image(path)
        imp.backend = self
        return imp

    def open_series(self, folder: str, *, virtual: bool = False, sort: str = "imagej") -> ImagePlus:
        from ...core.series import open_series
        from ...series import sort_geometrically
        imp = open_series(folder, virtual=virtual)
        if sort == "geometric":
            sort_geometrically(imp)
        imp.backend = self
        return imp

    def open_bioformats(self, path: str, options: dict[str, object]) -> list[ImagePlus]:
        from ...core import bioformats
        images = bioformats.open_image_plus(path, bioformats.import_options(options))
        for imp in images:
            imp.backend = self
        return images

    def run_command(self, imp: ImagePlus | None, command: str, options: str | None) -> ImagePlus | None:
        """ImageJ's command in Python (:mod:`bridge.core.commands`); a new image is this backend's too.

        The command table is imported here, when a command first runs: a child
        forked from a process whose JVM runs may only open images on this
        backend, and importing (compiling) the command modules there can start
        Python's garbage collector, which deadlocks on the JVM objects the
        child inherited.
        """
        from ...core import commands
        created = commands.run(imp, command, options)
        if created is not None:
            created.backend = self
        return created

    def get_info(self, path: str) -> str:
        return get_info(path)

    def get_tag(self, imp: ImagePlus, tag_id: str) -> str | None:
        text = tags.search_text(imp.info, imp.labels, imp.current_slice)
        return tags.get_tag(text, tag_id)

    def get_string_property(self, imp: ImagePlus, key: str) -> str | None:
        if tags.is_dicom_key(key):
            return self.get_tag(imp, key)
        return tags.get_string_property(imp.info, imp.labels, imp.current_slice, key)

    def get_image_info(self, imp: ImagePlus, *, in_macro: bool = False) -> str:
        from ...core.imageinfo import image_info
        return image_info(imp, in_macro=in_macro)

    def scan_tags(self, paths: list[str], tags: list[str]) -> list[dict[str, object]]:
        from ...core.headerscan import header_rows
        return header_rows(paths, tags, _read_tags)

    def get_tag_name(self, tag_id: str) -> str | None:
        return tag_name(tag_id)


def _read_tags(paths: list[str], tag_ids: list[str]) -> list[TagResult]:
    """``getTag(getInfo(path), id)`` for each id and whether there was any text; or the file's error.

    The whole text is built: a walk that renders only the wanted lines was
    tried, and once the walk got fast it saved nothing.
    """
    results: list[TagResult] = []
    for path in paths:
        try:
            text = get_info(path)
        except BridgeError as err:
            results.append(err)
            continue
        results.append(({t: tags.get_tag(text, t) for t in tag_ids}, bool(text)))
    return results


BACKEND: Backend = PureBackend()    # annotated: mypy checks it implements the interface
