"""*Process>Filters* (and *Process>Noise>Despeckle*, *Remove Outliers...*, *Smooth*, *Sharpen*, *Find Edges*).

Each command reads its dialog's keys as ImageJ's macro does and filters
the current slice, or every slice with ``stack``, inside the selection's
bounds (pixels outside a non-rectangular selection are kept).  The filters
themselves are ImageJ's, ported bit for bit: :mod:`..rankfilters`,
:mod:`..gaussian`, :mod:`..filter3x3`; :mod:`..filtering` is the part of
ImageJ's ``PlugInFilterRunner`` they need.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ...errors import ScriptError
from .. import filter3x3, filtering, rankfilters
from ..imagetypes import COLOR_256, GRAY16, GRAY32
from ..statistics import MIN_MAX, Region, get_statistics
from .options import Options
from .registry import command
from .session import Session

if TYPE_CHECKING:
    from ...model import ImagePlus

#: the rank filters' menu names and their ``RankFilters`` types
RANK_COMMANDS = {"Mean...": rankfilters.MEAN, "Minimum...": rankfilters.MIN, "Maximum...": rankfilters.MAX,
                 "Variance...": rankfilters.VARIANCE, "Median...": rankfilters.MEDIAN}
#: the largest radius ImageJ's dialog accepts (the median's work grows with its square)
_MAX_RADIUS = {rankfilters.MEDIAN: 100.0, rankfilters.OUTLIERS: 100.0}


def _slices(imp: ImagePlus, options: Options) -> range:
    """Every slice with ``stack`` (ImageJ's ``IJ.setupDialog`` in a macro), else the current one."""
    if options.flag("stack") and imp.getStackSize() > 1:
        return range(imp.getStackSize())
    return range(imp.getCurrentSlice() - 1, imp.getCurrentSlice())


def _writable(imp: ImagePlus) -> np.ndarray:
    """The stack as an array the filter may change (a virtual stack is read into memory first)."""
    if not isinstance(imp.data, np.ndarray) or not imp.data.flags.writeable:
        imp.data = np.array(imp.data)
    return imp.data


def _radius(options: Options, kind: int) -> float:
    radius = options.number("radius", 2.0)
    if not 0 <= radius <= _MAX_RADIUS.get(kind, 1000.0):
        raise ScriptError(options.command, None, f"Radius out of range: {radius} "
                                                 f"(0 to {_MAX_RADIUS.get(kind, 1000.0):g})")
    return radius


def rank_filter(imp: ImagePlus, slices: range, radius: float, kind: int, *, threshold: float = 50.0,
                which: int = rankfilters.BRIGHT_OUTLIERS) -> None:
    """``RankFilters.rank`` on the slices inside the selection; the display range as ImageJ leaves it."""
    image_type = imp.getType()
    filtering.apply(_writable(imp), image_type, imp.getRoi(), slices,
                    filtering.rank(image_type, radius, kind, threshold=threshold, which=which,
                                   inverted_lut=imp.isInvertedLut()))
    if kind == rankfilters.VARIANCE:
        _stretch_display_range(imp)


def _stretch_display_range(imp: ImagePlus) -> None:
    """After Variance: ``ContrastEnhancer.stretchHistogram(ip, 0.5)`` of the current slice (16- and 32-bit)."""
    if imp.getType() not in (GRAY16, GRAY32):
        return
    pixels = np.asarray(imp.data[imp.getCurrentSlice() - 1])
    height, width = pixels.shape
    stats = get_statistics(pixels, imp.getType(), Region(0, 0, width, height), MIN_MAX, None)
    histogram = stats.histogram16 if imp.getType() == GRAY16 and stats.histogram16 is not None \
        else stats.histogram
    threshold = int(stats.pixelCount * 0.5 / 200.0)
    counts = np.cumsum(histogram)
    low = int(np.argmax(counts > threshold)) if counts[-1] > threshold else len(histogram) - 1
    from_top = np.cumsum(histogram[::-1])
    high = len(histogram) - 1 - int(np.argmax(from_top > threshold)) if from_top[-1] > threshold else 0
    if high > low:
        if imp.getType() == GRAY16:
            imp.display_range = (float(low), float(high))
        else:                       # FloatProcessor keeps its display range as floats
            imp.display_range = (float(np.float32(stats.histMin + low * stats.binSize)),
                                 float(np.float32(stats.histMin + high * stats.binSize)))


def _register_rank(name: str, kind: int) -> None:
    @command(name)
    def run(imp: ImagePlus | None, options: Options, session: Session) -> None:
        assert imp is not None
        radius = _radius(options, kind)
        slices = _slices(imp, options)
        options.done()
        rank_filter(imp, slices, radius, kind)
    run.__doc__ = f"*{name}*: ``RankFilters`` with ImageJ's circular kernel of the given radius."


for _name, _kind in RANK_COMMANDS.items():
    _register_rank(_name, _kind)


@command("Remove Outliers...")
def remove_outliers(imp: ImagePlus | None, options: Options, session: Session) -> None:
    """A pixel further than ``threshold`` from its neighbourhood's median (above: bright) becomes the median."""
    assert imp is not None
    radius = _radius(options, rankfilters.OUTLIERS)
    threshold = options.number("threshold", 50.0)
    which = options.choice("which", ("Bright", "Dark"), "Bright")
    slices = _slices(imp, options)
    options.done()
    if threshold < 0:
        raise ScriptError(options.command, None, f"Threshold out of range: {threshold}")
    rank_filter(imp, slices, radius, rankfilters.OUTLIERS, threshold=threshold,
                which=rankfilters.DARK_OUTLIERS if which == "Dark" else rankfilters.BRIGHT_OUTLIERS)


@command("Despeckle")
def despeckle(imp: ImagePlus | None, options: Options, session: Session) -> None:
    """A median of radius 1 (a 3x3 square), as ImageJ's Despeckle is."""
    assert imp is not None
    slices = _slices(imp, options)
    options.done()
    rank_filter(imp, slices, 1.0, rankfilters.MEDIAN)


def gaussian_blur(imp: ImagePlus, slices: range, sigma_x: float, sigma_y: float) -> None:
    """``GaussianBlur.blurGaussian`` on the slices inside the selection."""
    filtering.apply(_writable(imp), imp.getType(), imp.getRoi(), slices,
                    filtering.gaussian_blur(imp.getType(), sigma_x, sigma_y))


@command("Gaussian Blur...")
def gaussian_blur_command(imp: ImagePlus | None, options: Options, session: Session) -> None:
    """Sigma in pixels, or with ``scaled`` in the image's units (the box exists only for a spatial scale).

    Old macros' ``radius=`` is ImageJ's too: 2.5 sigmas.
    """
    assert imp is not None
    old_macro = options.has("radius") and not options.has("sigma")
    sigma = options.number("radius" if old_macro else "sigma", 2.0)
    cal = imp.getCalibration()
    has_scale = cal.getUnits() != "pixels"
    scaled = options.flag("scaled") and has_scale
    slices = _slices(imp, options)
    options.done(also_accepted=("scaled",))
    if sigma < 0:
        raise ScriptError(options.command, None, f"Sigma out of range: {sigma}")
    if old_macro:
        sigma /= 2.5
    sigma_x = sigma / cal.pixelWidth if scaled else sigma
    sigma_y = sigma / cal.pixelHeight if scaled else sigma
    gaussian_blur(imp, slices, sigma_x, sigma_y)


@command("Unsharp Mask...")
def unsharp_mask(imp: ImagePlus | None, options: Options, session: Session) -> None:
    """*Process>Filters>Unsharp Mask...*: subtract a Gaussian-blurred copy, weighted, and rescale.

    ``radius`` is the blur's sigma and ``mask`` its weight; an absent key keeps
    the value last used (ImageJ keeps both in static fields), and old macros'
    ``gaussian=`` is 2.5 sigmas.  Like ImageJ in a macro, values its dialog
    would flag (negative, a weight above 0.99) are used as given.
    """
    assert imp is not None
    old_macro = options.has("gaussian")
    sigma = options.number("gaussian" if old_macro else "radius", abs(session.unsharp_sigma))
    weight = options.number("mask", min(max(session.unsharp_weight, 0.0), 0.99))
    slices = _slices(imp, options)
    options.done()
    if old_macro:
        sigma /= 2.5
    session.unsharp_sigma, session.unsharp_weight = sigma, weight
    filtering.apply(_writable(imp), imp.getType(), imp.getRoi(), slices,
                    filtering.unsharp_mask(imp.getType(), sigma, weight))


def _register_3x3(name: str, kind: str) -> None:
    @command(name)
    def run(imp: ImagePlus | None, options: Options, session: Session) -> None:
        assert imp is not None
        slices = _slices(imp, options)
        options.done()
        filter_3x3(imp, slices, kind)
    run.__doc__ = f"*{name}*: ImageJ's 3x3 filter in the image's own arithmetic."


def filter_3x3(imp: ImagePlus, slices: range, kind: str) -> None:
    """*Smooth*, *Sharpen* or *Find Edges* (``ip.filter``) on the slices inside the selection."""
    image_type = imp.getType()
    if image_type == COLOR_256:
        raise ScriptError(kind, None, f'"{kind}" requires an image of type 8-bit grayscale, 16-bit, '
                                      "32-bit or RGB")
    filtering.apply(_writable(imp), image_type, imp.getRoi(), slices, filtering.three_by_three(image_type, kind))


for _name, _kind3 in (("Smooth", filter3x3.SMOOTH), ("Sharpen", filter3x3.SHARPEN),
                      ("Find Edges", filter3x3.FIND_EDGES)):
    _register_3x3(_name, _kind3)
