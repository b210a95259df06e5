"""Gas of the certificate beside a plain OpenZeppelin ERC20, measured in the same run.

Budget of the issue: a transfer costs at most 1.25x the plain ERC20 transfer. The certificate is
wired to the real `SanctionsList` (subscribed, so the list pushes to its cached flags): a transfer
reads one slot of the certificate (pause flag, sanctions oracle, multiplier and flags packed
together) besides the two units slots, which also hold the cached sanctions flags; no oracle call.
"""

from tokenized_stocks.devtools.bench_certificate import benchmark_certificate_gas

TRANSFER_BUDGET = 1.25
# Live screening (the issuer's opt-in) adds two cold oracle look-ups, 6,800 gas of EIP-2929
# accesses and the calls: it is not held to 1.25x, only kept from regressing.
LIVE_SCREENING_CEILING = 1.38


def test_gas_transfer_mint_and_corporate_action_beside_a_plain_erc20(
    project, issuer, investor_alice, investor_bob
):
    gas = benchmark_certificate_gas(project, issuer, investor_alice, investor_bob)

    print(
        f"\nplain ERC20 transfer {gas.plain_transfer}\ncertificate transfer {gas.transfer} "
        f"({gas.transfer_ratio:.3f}x)\ncertificate mint {gas.mint}\n"
        f"corporate action (schedule split) {gas.corporate_action}\n"
        f"certificate transfer, live screening on {gas.transfer_live_screening} "
        f"({gas.live_screening_ratio:.3f}x)\n"
        f"certificate transfer, split pending (slow path) {gas.transfer_pending_update}\n"
        f"setSanctioned pushing to one subscriber {gas.set_sanctioned_pushed}\n"
        f"syncSanctions of one account (flag changes) {gas.sync_one_account}\n"
        f"crosschainBurnUnits via a mock gateway {gas.crosschain_burn_units}\n"
        f"crosschainMintUnits via a mock gateway {gas.crosschain_mint_units}"
    )
    assert gas.transfer_ratio <= TRANSFER_BUDGET
    assert gas.live_screening_ratio <= LIVE_SCREENING_CEILING
