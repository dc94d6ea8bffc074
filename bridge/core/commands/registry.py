"""The table of ImageJ menu commands bridge runs in Python, and the one way to run them.

A command is a function ``(imp, options, session) -> ImagePlus | None``:
it changes ``imp`` in place as ImageJ changes the current image, and returns
a new image where ImageJ opens one (*Duplicate...*), which then becomes the
current image.  ``@command("Median...")`` registers it under ImageJ's exact
menu name (trailing space included: ``"Rotate... "`` rotates the image,
``"Rotate..."`` the selection).  A name not in the table is ImageJ's
``Unrecognized command`` error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ...errors import ScriptError
from .options import Options
from .session import Session, current

if TYPE_CHECKING:
    from ...model import ImagePlus

CommandFunction = Callable[["ImagePlus | None", Options, Session], "ImagePlus | None"]


@dataclass(frozen=True)
class Command:
    name: str
    function: CommandFunction
    #: False for commands that work on ImageJ's state, not on an image (*Clear Results*)
    needs_image: bool


_COMMANDS: dict[str, Command] = {}


def command(name: str, *, needs_image: bool = True) -> Callable[[CommandFunction], CommandFunction]:
    """Register the decorated function as ImageJ's command ``name``."""
    def register(function: CommandFunction) -> CommandFunction:
        if name in _COMMANDS:
            raise ValueError(f"command {name!r} registered twice")
        _COMMANDS[name] = Command(name, function, needs_image)
        return function
    return register


def names() -> list[str]:
    """The commands bridge runs in Python, sorted."""
    return sorted(_COMMANDS)


def run(imp: ImagePlus | None, name: str, options: str | None = "",
        session: Session | None = None) -> ImagePlus | None:
    """``IJ.run(imp, name, options)``: the image ImageJ would open (or None), ``imp`` changed in place.

    Raises :class:`~bridge.errors.ScriptError` with ImageJ's text for an unknown
    command, a command that needs an image when there is none, and option keys
    the command's dialog does not have.
    """
    found = _COMMANDS.get(name)
    if found is None:
        raise ScriptError(name, None, f'Unrecognized command: "{name}"')
    if found.needs_image and imp is None:
        raise ScriptError(name, None, "There are no images open")
    return found.function(imp, Options(name, options), session if session is not None else current())
