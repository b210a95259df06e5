"""`assert_views_agree_with_transfer(asset, sender, to, amount)`: the agreement every asset keeps
between its pre-trade views and the transfer itself (ERC-7943 `canTransfer`, ERC-1404
`detectTransferRestriction`, ITransferDiagnostic `diagnoseTransfer`):

    canTransfer == (detectTransferRestriction == 0) == all(diagnoseTransfer passed)
                == (transfer succeeds),

and the first failing rule of the diagnostic is the ERC-1404 code. The transfer is really sent
(its effects stay), so a random walk of calls explores the states the transfers themselves make.
"""

from __future__ import annotations

from typing import Any

from ape.exceptions import ContractLogicError


def assert_views_agree_with_transfer(asset: Any, sender: Any, to: Any, amount: int) -> bool:
    """Checks the agreement for one transfer, sends it, and returns whether it succeeded."""
    allowed = asset.canTransfer(sender, to, amount)
    code = asset.detectTransferRestriction(sender, to, amount)
    rules = asset.diagnoseTransfer(sender, to, amount)
    failed = [rule.code for rule in rules if not rule.passed]
    context = (str(sender), str(to), amount, code, failed)
    try:
        asset.transfer(to, amount, sender=sender)
        succeeded = True
    except ContractLogicError:
        succeeded = False
    assert allowed == (code == 0) == (not failed) == succeeded, context
    assert code == (failed[0] if failed else 0), context
    return succeeded
