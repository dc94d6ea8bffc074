"""ImageJ's ``ResultsTable``: columns, decimals, and the text and CSV it writes.

What a script sees of a results table is text: ``getResultString``, the
Results window, the saved ``.csv``.  ImageJ decides per column how many
decimals to print (whole numbers print none until a fraction is added in
the first 25 rows), rounds half-even (half-up for 0 decimals), switches to
scientific notation for tiny and huge numbers, and numbers rows from 1.
This module keeps those rules; :mod:`bridge.core.measure` fills the table
the way *Analyze>Measure* does.
"""

from __future__ import annotations

import math
import os

from ..errors import MeasurementError, SaveError
from . import atomicfile
from .javafmt import FLOAT_MAX
from .javafmt import d2s as java_d2s

#: Column indices of the Measure command's headings (``ResultsTable.AREA`` ...).
DEFAULT_HEADINGS = ("Area", "Mean", "StdDev", "Mode", "Min", "Max", "X", "Y", "XM", "YM", "Perim.",
                    "BX", "BY", "Width", "Height", "Major", "Minor", "Angle", "Circ.", "Feret", "IntDen",
                    "Median", "Skew", "Kurt", "%Area", "RawIntDen", "Ch", "Slice", "Frame", "FeretX",
                    "FeretY", "FeretAngle", "MinFeret", "AR", "Round", "Solidity", "MinThr", "MaxThr")
COLUMN = {name: index for index, name in enumerate(DEFAULT_HEADINGS)}
LAST_HEADING = 37
COLUMN_NOT_FOUND, COLUMN_IN_USE = -1, -2
AUTO_FORMAT = -32768


class ResultsTableError(MeasurementError):
    """What ImageJ's ResultsTable throws as ``IllegalArgumentException`` (bad row or column)."""


class ResultsTable:
    """``ij.measure.ResultsTable``: numeric columns by index, optional row labels and string cells."""

    def __init__(self, precision: int = 3) -> None:
        self.precision = precision
        self.reset()

    def reset(self) -> None:
        """``reset()``: no rows, no columns, no labels (precision kept)."""
        self.counter = 0
        self.headings: list[str | None] = []
        self.columns: dict[int, list[float]] = {}
        self.strings: dict[int, dict[int, str]] = {}
        self.decimals: dict[int, int] = {}
        self.row_labels: list[str | None] | None = None
        self.row_label_heading = ""
        self.show_row_numbers = False
        self.nan_empty_cells = False

    # --- shape ---------------------------------------------------------------------
    def size(self) -> int:
        return self.counter

    def incrementCounter(self) -> None:
        self.counter += 1
        fill = math.nan if self.nan_empty_cells else 0.0
        for values in self.columns.values():
            values.append(fill)
        if self.row_labels is not None:
            self.row_labels.append(None)

    def setDefaultHeadings(self) -> None:
        """``setDefaultHeadings()``: the Measure command's column names at their fixed indices."""
        self._heading_slots(len(DEFAULT_HEADINGS))
        self.headings[:len(DEFAULT_HEADINGS)] = list(DEFAULT_HEADINGS)
        self.show_row_numbers = True

    def getColumnHeading(self, column: int) -> str | None:
        return self.headings[column] if 0 <= column < len(self.headings) else None

    def getColumnIndex(self, heading: str) -> int:
        """The column named ``heading``; the search stops at the first unnamed slot, as ImageJ's."""
        for index, name in enumerate(self.headings):
            if name is None:
                return COLUMN_NOT_FOUND
            if name == heading:
                return index
        return COLUMN_NOT_FOUND

    def columnExists(self, column: int) -> bool:
        return column in self.columns

    def getFreeColumn(self, heading: str) -> int:
        for index, name in enumerate(self.headings):
            if name is None:
                self._create(index, heading)
                return index
            if name == heading:
                return COLUMN_IN_USE
        index = len(self.headings)
        self._create(index, heading)
        return index

    def _create(self, index: int, heading: str | None) -> None:
        self._heading_slots(index + 1)
        if heading is not None:
            self.headings[index] = heading
        fill = math.nan if self.nan_empty_cells else 0.0
        self.columns.setdefault(index, [fill] * self.counter)

    def _heading_slots(self, count: int) -> None:
        while len(self.headings) < count:
            self.headings.append(None)

    # --- adding values ------------------------------------------------------------
    def addValue(self, column: int | str, value: float) -> None:
        """``addValue``: into the last row (a first row is made if there is none)."""
        if isinstance(column, str):
            index = self.getColumnIndex(column)
            column = self.getFreeColumn(column) if index == COLUMN_NOT_FOUND else index
        if self.counter == 0:
            self.incrementCounter()
        if column not in self.columns:
            self._create(column, None)
            if self.headings[column] is None:
                self.headings[column] = f"C{column + 1}"
        self.columns[column][self.counter - 1] = float(value)
        if self.counter < 25 and _has_fraction(value):
            self.decimals[column] = self.precision

    def addLabel(self, heading: str | None, label: str) -> None:
        """``addLabel(heading, label)``: the label of the last row."""
        if self.counter == 0:
            raise ResultsTableError("Counter==0")
        self._labels()[self.counter - 1] = label
        if heading is not None:
            self.row_label_heading = heading

    def setLabel(self, label: str, row: int) -> None:
        if not 0 <= row < self.counter:
            raise ResultsTableError("row>=counter")
        self._labels()[row] = label
        if self.row_label_heading == "":
            self.row_label_heading = "Label"

    def _labels(self) -> list[str | None]:
        if self.row_labels is None:
            self.row_labels = [None] * self.counter
        return self.row_labels

    def setValue(self, column: int | str, row: int, value: float | str) -> None:
        """``setValue``: a number or a string; row ``size()`` appends a row."""
        if isinstance(column, str):
            index = self.getColumnIndex(column)
            column = self.getFreeColumn(column) if index == COLUMN_NOT_FOUND else index
        if row >= self.counter:
            if row != self.counter:
                raise ResultsTableError("row>counter")
            self.incrementCounter()
        if column not in self.columns:
            self._create(column, None)
        if self.headings[column] is None:
            self.headings[column] = f"C{column + 1}"
        if isinstance(value, str):
            self.columns[column][row] = math.nan
            self.strings.setdefault(column, {})[row] = value
            return
        self.columns[column][row] = float(value)
        if _has_fraction(value):
            self.decimals[column] = self.precision

    def setDecimalPlaces(self, column: int, digits: int) -> None:
        self.decimals[column] = digits

    def setPrecision(self, precision: int) -> None:
        """``setPrecision``: columns already showing decimals switch to the new count."""
        self.precision = min(precision, 9)
        for column, places in self.decimals.items():
            if places != AUTO_FORMAT:
                self.decimals[column] = self.precision

    # --- reading --------------------------------------------------------------------
    def getValue(self, column: str, row: int) -> float:
        if not 0 <= row < self.counter:
            raise ResultsTableError("Row out of range")
        index = self.getColumnIndex(column)
        if index == COLUMN_NOT_FOUND or index not in self.columns:
            raise ResultsTableError(f'"{column}" column not found')
        return self.columns[index][row]

    def getValueAsDouble(self, column: int, row: int) -> float:
        if row >= self.counter or column not in self.columns:
            raise ResultsTableError(f"Index out of range: {column},{row}")
        return self.columns[column][row]

    def getStringValue(self, column: int | str, row: int) -> str:
        if isinstance(column, str):
            index = self.getColumnIndex(column)
            if index == COLUMN_NOT_FOUND:
                raise ResultsTableError(f'"{column}" column not found')
            column = index
        if row >= self.counter or column not in self.columns:
            raise ResultsTableError(f"Index out of range: {column},{row}")
        return self.value_as_string(column, row)

    def getLabel(self, row: int) -> str | None:
        if not 0 <= row < self.counter:
            raise ResultsTableError("Row out of range")
        return self.row_labels[row] if self.row_labels is not None else None

    def value_as_string(self, column: int, row: int) -> str:
        """``getValueAsString``: a string cell, or the number with the column's decimals."""
        value = self.columns[column][row]
        if math.isnan(value) and column in self.strings:
            text = self.strings[column].get(row, "NaN")
            return text.replace("\n", "\\n")
        places = self.decimals.get(column, AUTO_FORMAT)
        if places == AUTO_FORMAT:
            whole = _java_int(value) == value and self.precision >= 0
            return d2s(value, 0 if whole else self.precision)
        return d2s(value, places)

    # --- text ---------------------------------------------------------------------
    def _used_columns(self) -> list[int]:
        return sorted(self.columns)

    def getColumnHeadings(self, delimiter: str = "\t") -> str:
        """The heading line; the row-number and label headings each end with a delimiter, as ImageJ's."""
        prefix = (" " + delimiter if self.show_row_numbers else "") \
            + (self.row_label_heading + delimiter if self.row_labels is not None else "")
        return prefix + delimiter.join(self.headings[i] or f"C{i + 1}" for i in self._used_columns())

    def getHeadings(self) -> list[str]:
        labels = [self.row_label_heading] if self.row_labels is not None else []
        return labels + [self.headings[i] or f"C{i + 1}" for i in self._used_columns()]

    def getRowAsString(self, row: int, delimiter: str = "\t", quote_commas: bool = False) -> str:
        if not 0 <= row < self.counter:
            raise ResultsTableError(f"Row out of range: {row}")
        prefix = str(row + 1) + delimiter if self.show_row_numbers else ""
        if self.row_labels is not None:
            label = self.row_labels[row] or ""
            prefix += (label.replace(",", ";") if delimiter == "," else label) + delimiter
        values = []
        for column in self._used_columns():
            value = self.value_as_string(column, row)
            values.append(f'"{value}"' if quote_commas and "," in value else value)
        return prefix + delimiter.join(values)

    def saveAs(self, path: str | os.PathLike[str]) -> None:
        """``saveAs(path)``: comma-separated for ``.csv`` (quoting commas), tab-separated otherwise.

        Lines end with the platform separator, as Java's ``PrintWriter.println``.
        """
        text_path = os.fspath(path)
        csv = text_path.endswith((".csv", ".CSV"))
        delimiter = "," if csv else "\t"
        lines = []
        if not (self.counter == 0 and not self.columns):
            lines.append(self.getColumnHeadings(delimiter))
        lines += [self.getRowAsString(row, delimiter, quote_commas=csv) for row in range(self.counter)]
        text = "".join(line + os.linesep for line in lines).encode("utf-8")
        try:
            atomicfile.write(text_path, lambda out: out.write(text), suffix=".csv")
        except OSError as exc:
            raise SaveError(f"cannot write: {exc.strerror or exc}", text_path) from exc


# --- numbers as ImageJ prints them -------------------------------------------------
def d2s(value: float, places: int) -> str:
    """``ResultsTable.d2s``: ``IJ.d2s`` with fixed decimals, scientific for tiny or huge magnitudes."""
    magnitude = abs(value)
    if math.isfinite(value) and value != FLOAT_MAX and (
            (magnitude < 0.001 and magnitude != 0.0 and magnitude < 1.0 / 10.0 ** places)
            or magnitude > 999999999999.0 or places < 0):
        return java_d2s(value, -(min(-places, 9) if places < 0 else 3))
    return java_d2s(value, max(0, places))


def _java_int(value: float) -> int | float:
    """Java's ``(int)`` of a double (saturating, NaN to 0), for the whole-number test."""
    if math.isnan(value):
        return 0
    if math.isinf(value):
        return 2147483647 if value > 0 else -2147483648
    return max(-2147483648, min(2147483647, int(value)))


def _has_fraction(value: float) -> bool:
    """``(int)value != value && !isNaN(value)``: what switches a column to decimals."""
    return not math.isnan(value) and _java_int(value) != value
