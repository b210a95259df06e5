"""The one error a refused ISO 20022 message raises."""

from __future__ import annotations


class MessageRefused(ValueError):
    """A message is malformed, unsigned, replayed or does not match what it answers; nothing was
    changed. The text is the one line an operator reads."""
