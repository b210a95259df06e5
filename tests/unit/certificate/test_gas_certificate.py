"""Gas of the certificate beside a plain OpenZeppelin ERC20, measured in the same run.

Budgets (gas-budgets.toml): `certificate-transfer`, the product target as a ratio to the plain
ERC20 transfer; live screening, the issuer's opt-in, is only kept from regressing. The certificate is
wired to the real `SanctionsList` (subscribed, so the list pushes to its cached flags): a transfer
reads one slot of the certificate (pause flag, sanctions oracle, multiplier and flags packed
together) besides the two units slots, which also hold the cached sanctions flags; no oracle call.
"""

from tokenized_stocks.devtools.bench_certificate import benchmark_certificate_gas
from tokenized_stocks.devtools.budgets import budget


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
    budget("certificate-transfer").check(gas.transfer, gas.plain_transfer)
    budget("certificate-transfer-live-screening").check(gas.transfer_live_screening, gas.plain_transfer)
