"""*Plugins > Bio-Formats > Bio-Formats Importer*: ``run("Bio-Formats Importer", "open=[path] ...")``.

The macro recorder writes the importer's dialog as keys: ``open=[path]``,
``autoscale``, ``color_mode=Default``, ``view=Hyperstack``,
``stack_order=XYCZT``, ``split_channels``, ``use_virtual_stack``,
``series_1`` ...  A virtual stack has the same pixels, read at once (DICOM
is decoded whole), with what Bio-Formats' virtual image changes (always
autoscaled).  The image opens through :mod:`bridge.core.bioformats`
(Bio-Formats' DICOM import reproduced) and becomes the current image; with
``split_channels`` the last channel's image does, as in ImageJ, and
``BF.openImagePlus`` gives them all.

What the importer offers and a DICOM file makes no difference to is accepted
and changes nothing here: the colour mode and the view (the model holds no
per-channel LUTs or composite mode, so only the jvm backend's Java image shows
them), the series choice (a DICOM file is one series; Bio-Formats opens it
for ``series_2`` too).  Keys for what is not reproduced (cropping, ranges,
metadata windows, grouping files, ...) are refused by name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...errors import ScriptError
from .. import bioformats
from .options import Options
from .registry import command
from .session import Session

if TYPE_CHECKING:
    from ...model import ImagePlus

COMMAND = "Bio-Formats Importer"
COLOR_MODES = ("Default", "Composite", "Colorized", "Grayscale", "Custom")
VIEWS = ("Hyperstack", "Standard ImageJ", "Data Browser", "Image5D", "View5D")
#: checkboxes and fields that change nothing for a DICOM file on this backend (see the module doc)
_NO_EFFECT = ("open_all_series", "windowless", "quiet", "rois_import")
#: keys whose effect is not reproduced: refused, so a ported macro never silently differs
_NOT_REPRODUCED = ("concatenate_series", "crop", "specify_range", "display_metadata", "display_ome-xml",
                   "display_rois", "group_files", "open_files", "split_focal", "split_timepoints",
                   "swap_dimensions", "stitch_tiles")


@command(COMMAND, needs_image=False)
def bioformats_importer(imp: ImagePlus | None, options: Options, session: Session) -> ImagePlus:
    """Open ``open=[path]`` as Bio-Formats' importer does; the (last) image opened becomes current."""
    path = options.text_value("open", "")
    chosen = bioformats.ImportOptions(
        autoscale=options.flag("autoscale"), split_channels=options.flag("split_channels"),
        stack_order=options.choice("stack_order", bioformats.STACK_ORDERS, "XYCZT"),
        view=options.choice("view", VIEWS, "Hyperstack"), virtual=options.flag("use_virtual_stack"))
    options.choice("color_mode", COLOR_MODES, "Default")
    if options.text_value("location", "Local machine") != "Local machine":
        raise ScriptError(COMMAND, None, "only location=[Local machine] is read here")
    for key in (*_NO_EFFECT, *_series_keys(options)):
        options.has(key)
    for key in _NOT_REPRODUCED:
        if options.has(key):
            raise ScriptError(COMMAND, None, f'"{key}" is not reproduced on the pydicom backend '
                                             "(the jvm backend runs the real importer)")
    options.done()
    if not path:
        raise ScriptError(COMMAND, None, "no file to open: give open=[path] (bridge has no file dialog)")
    return bioformats.open_image_plus(path, chosen)[-1]


def _series_keys(options: Options) -> list[str]:
    """The ``series_N`` checkboxes named in the options (one per series of the file, 1-based)."""
    return [key for key in options.keys() if key.startswith("series_") and key[len("series_"):].isdigit()]
