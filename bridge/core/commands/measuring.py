"""*Analyze* commands on the session's Results table: Measure, Set Measurements..., Clear Results."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import measure
from .options import Options
from .registry import command
from .session import Session

if TYPE_CHECKING:
    from ...model import ImagePlus


@command("Measure")
def measure_selection(imp: ImagePlus | None, options: Options, session: Session) -> None:
    """One Results row for the selection (or the whole slice), with the session's measurements."""
    assert imp is not None
    options.done()
    measure.measure(imp, imp.getRoi(), session.measurements, session.results)


@command("Set Measurements...", needs_image=False)
def set_measurements(imp: ImagePlus | None, options: Options, session: Session) -> None:
    """The checkboxes and decimals; every box not named is off, as in a macro."""
    session.measurements = measure.parse_set_measurements(options.text)


@command("Clear Results", needs_image=False)
def clear_results(imp: ImagePlus | None, options: Options, session: Session) -> None:
    options.done()
    session.results.reset()


@command("Select None")
def select_none(imp: ImagePlus | None, options: Options, session: Session) -> None:
    assert imp is not None
    options.done()
    imp.deleteRoi()


#: The commands whose state is the session's (Results, measurement choices, selection, the width of new
#: lines), on either backend.
SESSION_COMMANDS = frozenset(("Measure", "Set Measurements...", "Clear Results", "Select None", "Line Width..."))
