#!/usr/bin/env python3
"""Rewrite tests/parity/ledger.txt from a parity run: every (file, field) that differs today.

Usage: scripts/update_ledger.py   (needs the jvm backend; prints the count)
The ledger is the honest count of what the pydicom backend does not match yet.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bridge.compare import FIELDS, describe, same  # noqa: E402
from tests.parity.cases import LEDGER, cached_snapshot, ledger, pydicom_test_files  # noqa: E402


def main() -> int:
    """Rewrite the ledger; a case still open keeps the note a person wrote for it."""
    notes = ledger()
    rows = []
    for name, path in pydicom_test_files().items():
        imagej, ours = cached_snapshot("jvm", path), cached_snapshot("pydicom", path)
        if "crash" in imagej or "crash" in ours:
            rows.append(f"{name} crash  # {(imagej.get('crash') or ours.get('crash'))[:100]}")
        for field in FIELDS:
            if field not in imagej and field not in ours:
                continue
            if not same(field, imagej.get(field), ours.get(field)):
                note = describe(field, imagej.get(field), ours.get(field)).splitlines()
                rows.append(f"{name} {field}  # {notes.get((name, field)) or (note[0] if note else '')[:100]}")
    LEDGER.write_text("".join(r + "\n" for r in rows))
    print(f"ledger: {len(rows)} known differences written to {LEDGER}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
