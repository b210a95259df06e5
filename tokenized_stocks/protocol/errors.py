"""The one exception bad user input raises everywhere in the package."""

from __future__ import annotations


class UserError(Exception):
    """Bad input or a missing precondition the user can fix; printed as one line."""
