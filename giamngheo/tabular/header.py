"""Find the header row of a sheet as communes keep it, and map its cells to the columns we expect.

Headers match without regard to case, accents, spaces or underscores (``fold_key``), by name or alias; a
unit in brackets or on a second line ("Thu nhập bình quân (đồng/người/tháng)") is ignored. The header row
is the first of the top rows that names every required column (title rows, a decision reference, merged
group headings may stand above it); a header split over two rows by merged cells is completed from the row
above. A numbering row right under the header ("1 2 3 …", "(1) (2) …" or "A B 1 2 …", usual on official forms)
is skipped — only when it numbers the header's columns in order, so a data row of small numbers is kept.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from giamngheo.text import fold_key

SCAN_ROWS = 40  # the header must be within the first rows; past that a file is not in the expected shape


@dataclass(frozen=True)
class ColumnSpec:
    """A column we expect: its canonical name (also its first alias) and the other names users give it."""

    name: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    label_vi: str | None = None  # how to name it in an error, when the canonical name is not telling
    # The columns that together make a row a record (a household's code and name): a row with all of them
    # filled is never taken for a total, a note or a signature, and the data never ends before it.
    identity: bool = False

    def match_keys(self) -> set[str]:
        return {fold_key(text) for text in (self.name, *self.aliases) if fold_key(text)}


@dataclass
class Header:
    index: int  # 0-based position of the header row among the rows read
    names: list[str]  # one unique, non-empty display name per column position
    found: dict[str, int] = field(default_factory=dict)  # canonical name → column position
    skip_numbering_row: bool = False

    @property
    def first_data_index(self) -> int:
        return self.index + 1 + int(self.skip_numbering_row)


_BRACKETS = re.compile(r"\(.*?\)|\[.*?\]")


def header_keys(cell: str) -> list[str]:
    """Keys a header cell can match: the whole text, without bracketed parts, and its first line."""
    first_line = cell.splitlines()[0] if cell.strip() else ""
    variants = [cell, _BRACKETS.sub(" ", cell), first_line, _BRACKETS.sub(" ", first_line)]
    return [key for key in dict.fromkeys(fold_key(v) for v in variants) if key]


def key_index(specs: Sequence[ColumnSpec]) -> dict[str, str]:
    """header key → canonical name (the first spec that claims a key keeps it)."""
    index: dict[str, str] = {}
    for spec in specs:
        for key in spec.match_keys():
            index.setdefault(key, spec.name)
    return index


def match_columns(
    cells: Sequence[str], specs: Sequence[ColumnSpec], by_key: dict[str, str] | None = None
) -> dict[str, int]:
    """canonical name → position of the first cell that names it."""
    by_key = by_key if by_key is not None else key_index(specs)
    found: dict[str, int] = {}
    for position, cell in enumerate(cells):
        for key in header_keys(cell or ""):
            name = by_key.get(key)
            if name is not None and name not in found:
                found[name] = position
                break
    return found


def _completed(row: Sequence[str], above: Sequence[str] | None) -> list[str]:
    """Fill the header's empty cells from the row above (a heading merged down over two rows)."""
    cells = [c or "" for c in row]
    if above is None:
        return cells
    width = max(len(cells), len(above))
    cells += [""] * (width - len(cells))
    return [
        cell if cell.strip() else (above[i] if i < len(above) and above[i] else "")
        for i, cell in enumerate(cells)
    ]


def _unique_names(cells: Sequence[str]) -> list[str]:
    names: list[str] = []
    for position, cell in enumerate(cells):
        name = " ".join(cell.split()) or f"column_{position + 1}"
        candidate, n = name, 2
        while candidate in names:
            candidate, n = f"{name} ({n})", n + 1
        names.append(candidate)
    return names


_NUMBER_LABEL = re.compile(r"^\(?(\d{1,3}|[A-Za-z])\)?\.?$")


def is_numbering_row(cells: Sequence[str], header_cells: Sequence[str]) -> bool:
    """The row numbers the header's columns: read left to right, its filled cells are 1, 2, … n (bare,
    "(1)" or "1."), optionally after the letters A, B, … (official forms letter their text columns); every
    named header column is numbered and nothing stands outside the header. A data row of small integers
    ("1 2 3" in a list of numbers) does not number the columns in order from 1 and is kept."""
    named = {i for i, cell in enumerate(header_cells) if cell and cell.strip()}
    filled = [(i, c.strip()) for i, c in enumerate(cells) if c and c.strip()]
    if len(filled) < 2 or not named <= {i for i, _ in filled} or filled[-1][0] >= len(header_cells):
        return False
    letters = numbers = 0
    for _, cell in filled:
        match = _NUMBER_LABEL.match(cell)
        if match is None:
            return False
        label = match.group(1)
        if label.isdigit():
            numbers += 1
            if int(label) != numbers:
                return False
        elif numbers or label.upper() != chr(ord("A") + letters):
            return False  # a letter after the numbers, or out of order
        else:
            letters += 1
    return numbers >= 1


def _second_header_row(
    rows: Sequence[Sequence[str]], specs: Sequence[ColumnSpec], by_key: dict[str, str], header: Header
) -> Header:
    """A header over two rows (group headings merged above the detailed names): the lower row, completed
    from the upper one, names more columns."""
    cells = _completed(rows[header.index + 1], rows[header.index])
    found = match_columns(cells, specs, by_key)
    if set(header.found) <= set(found) and len(found) > len(header.found):
        return Header(index=header.index + 1, names=_unique_names(cells), found=found)
    return header


def find_header(rows: Sequence[Sequence[str]], specs: Sequence[ColumnSpec]) -> Header | None:
    """The header among the first rows: the first naming all required columns, else the one naming most."""
    required = {s.name for s in specs if s.required}
    by_key = key_index(specs)
    best: Header | None = None
    for index, row in enumerate(rows[:SCAN_ROWS]):
        cells = _completed(row, rows[index - 1] if index else None)
        found = match_columns(cells, specs, by_key)
        if not found:
            continue
        header = Header(index=index, names=_unique_names(cells), found=found)
        if required <= set(found):
            best = header
            break
        if best is None or len(found) > len(best.found):
            best = header
    if best is not None and best.index + 1 < len(rows):
        best = _second_header_row(rows, specs, by_key, best)
    if best is not None and best.index + 1 < len(rows):
        header_cells = _completed(rows[best.index], rows[best.index - 1] if best.index else None)
        best.skip_numbering_row = is_numbering_row(rows[best.index + 1], header_cells)
    return best
