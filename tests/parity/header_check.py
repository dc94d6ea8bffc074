"""The differential check shared by the header fuzz test and ``scripts/fuzz_header.py``.

For one file: ``getInfo`` on both backends (text, or the same failure), and
for files real ImageJ opens, the opened image's ``Info`` against the pure
decoder's text (the pure decoder must then also see an image).
"""

from __future__ import annotations

from bridge import backends
from bridge.core import decoder


def _outcome(call, path: str) -> tuple[str, str]:
    try:
        return "text", call(path)
    except Exception as exc:  # the backends raise bridge errors; keep ImageJ's exception, else its words
        return "error", str(getattr(exc, "thrown", None) or getattr(exc, "imagej_message", None) or exc)


def header_difference(path: str) -> str | None:
    """``None`` when the pydicom backend agrees with real ImageJ on ``path``, else what differs."""
    jvm = backends.load("jvm")
    want = _outcome(jvm.get_info, path)
    got = _outcome(decoder.get_info, path)
    if want[0] != got[0] or (want[0] == "text" and want != got) or (
            want[0] == "error" and not want[1].endswith(got[1])):
        return f"getInfo differs:\n  jvm:  {want[1][:3000]!r}\n  pure: {got[1][:3000]!r}"
    try:
        imp = jvm.open_image(path)
    except Exception:
        return None                     # opener-level outcomes are the opener's to test
    decoded = decoder.decode(path)
    if decoded.error is not None:
        return f"ImageJ opens it but the pure decoder fails: {decoded.error}"
    if decoded.info != imp.info:
        return f"Info differs:\n  jvm:  {imp.info!r}\n  pure: {decoded.info!r}"
    return None
