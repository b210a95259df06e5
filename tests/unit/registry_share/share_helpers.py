"""Assertions shared by the registry share tests."""

from __future__ import annotations

from revert_data import reverts


def balances(share, *wallets) -> list[int]:
    """Balances of `wallets`, then the total supply: what a refused transfer must leave unchanged."""
    return [share.balanceOf(w) for w in wallets] + [share.totalSupply()]


def assert_refused(share, sender, to, amount: int, code: int) -> None:
    """The pre-check reports `code`, the transfer reverts with it, and no balance moves."""
    before = balances(share, sender, to)
    assert share.detectTransferRestriction(sender, to, amount) == code
    with reverts(share.ShareTransferRestricted, code=code):
        share.transfer(to, amount, sender=sender)
    assert balances(share, sender, to) == before


def assert_allowed(share, sender, to, amount: int) -> None:
    """The pre-check reports 0 and the transfer moves exactly `amount`."""
    assert share.detectTransferRestriction(sender, to, amount) == 0
    sender_before, to_before = share.balanceOf(sender), share.balanceOf(to)
    receipt = share.transfer(to, amount, sender=sender)
    assert receipt.events == [share.Transfer(sender, to, amount)]
    assert share.balanceOf(sender) == sender_before - amount
    assert share.balanceOf(to) == to_before + amount
