"""Gas of buy and sell (signature check included) and of the ERC-7540 vault's request, fill and
claim, beside a plain OpenZeppelin ERC20 transfer."""

from tokenized_stocks.devtools.bench_order_desk import measure_order_desk_gas
from tokenized_stocks.devtools.budgets import budget


def test_buy_and_sell_stay_within_their_gas_budgets_and_figures_are_reported(
    project, chain, issuer, quote_signer, accounts
):
    gas = measure_order_desk_gas(project, chain, issuer, quote_signer, accounts[12], accounts[14])

    plain = gas["plain_transfer"]
    print("\norder desk gas (anvil):")
    for name, used in gas.items():
        print(f"  {name:<16} {used:>8,}  ({used / plain:.2f}x plain transfer)")
    budget("order-desk-buy").check(gas["buy"], plain)
    budget("order-desk-sell").check(gas["sell"], plain)
    # A token transfer pays for the pause (token + desk), the token freeze, the sanctions oracle and
    # the registry's investor freeze of both parties: a regression guard, not a product target.
    budget("order-token-transfer").check(gas["token_transfer"], plain)
    # ERC-7540 through the order vault: the investor's request and claim, the executor's fill.
    for side in ("deposit", "redeem"):
        budget("order-vault-request").check(gas[f"vault_request_{side}"], plain)
        budget("order-vault-fulfil").check(gas[f"vault_fulfil_{side}"], plain)
        budget("order-vault-claim").check(gas[f"vault_claim_{side}"], plain)
