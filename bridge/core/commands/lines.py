"""*Edit>Options>Line Width...*: the width new line selections get (ImageJ's static ``Line.getWidth()``).

ImageJ keeps one line width per JVM; a line made afterwards (``makeLine``, a
segmented line) is a wide line of that width (``updateWideLine``), so its
profile is averaged across and *Measure* covers the area.  The selection
already on the image keeps its width, as in ImageJ's batch mode.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .options import Options
from .registry import command
from .session import Session

if TYPE_CHECKING:
    from ...model import ImagePlus

#: ``Line.setWidth``'s ceiling, raised to the image's larger side when that is larger.
_MAX_WIDTH = 500


@command("Line Width...", needs_image=False)
def line_width(imp: ImagePlus | None, options: Options, session: Session) -> None:
    """``line=`` (the dialog's "Line Width:" field); without it the width stays."""
    width = int(options.number("line", session.line_width))      # IJ.getNumber, then (int)
    options.done()
    session.line_width = clamped_line_width(width, imp)


def clamped_line_width(width: int, imp: ImagePlus | None) -> int:
    """``Line.setWidth``: at least 1, at most 500 or the current image's larger side."""
    if width < 1:
        return 1
    ceiling = _MAX_WIDTH if imp is None else max(_MAX_WIDTH, imp.getWidth(), imp.getHeight())
    return min(width, ceiling)
