"""CSV files of the tables managers take away (`frontdesk.services.exports`): UTF-8 with a
byte-order mark so spreadsheet programs read accents right, one header row, then the rows. And
the files managers bring in (`frontdesk import`), as spreadsheet programs and old systems write them."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import platformdirs

from frontdesk.services.errors import FrontDeskError
from frontdesk.services.exports import Table


def exports_folder() -> Path:
    """Where the desk writes CSV files: FRONTDESK_EXPORTS_DIR, else "Front Desk exports" in the
    user's documents folder."""
    chosen = os.environ.get("FRONTDESK_EXPORTS_DIR", "").strip()
    return Path(chosen).expanduser() if chosen else platformdirs.user_documents_path() / "Front Desk exports"


def write_csv(table: Table, target: Path) -> Path:
    """Write `table` to `target` (its folder made when missing)."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(table.header)
            writer.writerows(table.rows)
    except OSError as error:
        raise FrontDeskError(f"Could not write {target}: {error.strerror or error}.") from error
    return target


def read_csv(source: Path) -> list[list[str]]:
    """A CSV written by `write_csv`, header first (for checking what was written)."""
    with source.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.reader(file))


def read_table(source: Path) -> list[list[str]]:
    """The rows of a CSV file someone brings (header first): UTF-8 (with or without a byte-order
    mark), else Windows-1252 as older spreadsheet programs save it; cells separated by commas,
    semicolons or tabs, whichever its header row uses most. OSError when it cannot be read."""
    raw = source.read_bytes()
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        content = raw.decode("cp1252", errors="replace")
    header = content.split("\n", 1)[0]
    separator = max((",", ";", "\t"), key=header.count)  # the one the header uses most; commas when none
    return list(csv.reader(io.StringIO(content, newline=""), delimiter=separator))
