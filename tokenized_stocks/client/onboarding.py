"""Investors to onboard from a CSV file (`ape run admin onboard-csv`), validated whole before use.

The file has a header row naming the columns, in any order:

    investor_id,country,class_flags,kyc_expiry,wallets
    0xab...ab,840,1,2027-12-31,0xFABB0ac9d68B0B445fB7357272Ff202C5651694a;0x71bE63f3384f5fb98995898A86B02Fb2426c5788

`investor_id` is 32 bytes of hex; `country` an ISO 3166-1 numeric code; `class_flags` the registry's
class bits (0 retail, 1 accredited...); `kyc_expiry` an ISO date or date-time (UTC when no zone);
`wallets` one or more addresses separated by `;`. Every problem is one line naming the row (the
file's line number) and the column; an investor or a wallet listed twice is refused.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from tokenized_stocks.client.admin import parse_expiry
from tokenized_stocks.client.suite import address, investor_key
from tokenized_stocks.protocol.errors import UserError

COLUMNS = ("investor_id", "country", "class_flags", "kyc_expiry", "wallets")


@dataclass(frozen=True)
class InvestorRow:
    """One investor of the file; `line` is its line number in the file."""

    line: int
    investor_id: bytes
    country: int
    class_flags: int
    kyc_expiry: datetime
    wallets: tuple[str, ...]


def _integer(text: str, low: int, high: int) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise UserError(f"{text.strip()!r} is not a whole number") from None
    if not low <= value <= high:
        raise UserError(f"{value} is outside {low}..{high}")
    return value


def _cell(line: int, column: str, parse: object, text: str) -> object:
    try:
        return parse(text)  # type: ignore[operator]
    except UserError as err:
        raise UserError(f"row {line}, column {column}: {err}") from None


def parse_rows(lines: list[str], source: str = "the file") -> list[InvestorRow]:
    """The investors of a CSV text (see the module docstring), or one UserError line."""
    reader = csv.reader(lines)
    header = next(reader, None)
    if header is None or not any(cell.strip() for cell in header):
        raise UserError(f"{source} is empty: the first row names the columns {', '.join(COLUMNS)}")
    names = [cell.strip().lower() for cell in header]
    missing = [c for c in COLUMNS if c not in names]
    unknown = [c for c in names if c not in COLUMNS]
    if missing or unknown or len(set(names)) != len(names):
        raise UserError(
            f"{source}, row 1: the columns must be {', '.join(COLUMNS)}"
            + (f" (missing {', '.join(missing)})" if missing else "")
            + (f" (unknown {', '.join(unknown)})" if unknown else "")
        )
    rows: list[InvestorRow] = []
    seen_investors: dict[bytes, int] = {}
    seen_wallets: dict[str, int] = {}
    for line, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue  # a blank line
        if len(cells) != len(names):
            raise UserError(f"row {line}: {len(cells)} cells, the header has {len(names)}")
        values = dict(zip(names, cells, strict=True))
        key = _cell(line, "investor_id", lambda t: investor_key(t.strip()), values["investor_id"])
        country = _cell(line, "country", lambda t: _integer(t, 1, 999), values["country"])
        flags = _cell(line, "class_flags", lambda t: _integer(t, 0, 2**16 - 1), values["class_flags"])
        expiry = _cell(line, "kyc_expiry", parse_expiry, values["kyc_expiry"])
        wallets = tuple(
            str(_cell(line, "wallets", lambda t: address(t.strip(), "wallet"), w))
            for w in values["wallets"].split(";")
            if w.strip()
        )
        if not wallets:
            raise UserError(f"row {line}, column wallets: at least one wallet")
        assert isinstance(key, bytes) and isinstance(expiry, datetime)
        if key in seen_investors:
            raise UserError(
                f"row {line}, column investor_id: 0x{key.hex()} is already on row {seen_investors[key]}"
            )
        seen_investors[key] = line
        for wallet in wallets:
            if wallet in seen_wallets:
                raise UserError(
                    f"row {line}, column wallets: {wallet} is already on row {seen_wallets[wallet]}"
                )
            seen_wallets[wallet] = line
        rows.append(InvestorRow(line, key, int(str(country)), int(str(flags)), expiry, wallets))
    if not rows:
        raise UserError(f"{source} lists no investor (only a header)")
    return rows


def read_rows(path: Path) -> list[InvestorRow]:
    """The investors of the CSV file at `path`."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as err:
        raise UserError(f"cannot read {path}: {err.strerror or err}") from None
    except UnicodeDecodeError:
        raise UserError(f"{path} is not a UTF-8 text file") from None
    return parse_rows(text.splitlines(), str(path))
