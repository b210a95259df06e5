"""Gas of buy and sell (signature check included) beside a plain OpenZeppelin ERC20 transfer."""

from tokenized_stocks.devtools.bench_order_desk import measure_order_desk_gas

BUY_BUDGET = 150_000
# No budget is set for a token transfer; it pays for the pause (token + desk), the token freeze,
# the sanctions oracle and the registry's investor freeze of both parties. Kept under 2.5x plain.
TRANSFER_RATIO = 2.5


def test_buy_costs_under_150k_gas_and_figures_are_reported(project, chain, issuer, quote_signer, accounts):
    gas = measure_order_desk_gas(project, chain, issuer, quote_signer, accounts[12], accounts[14])

    plain = gas["plain_transfer"]
    print("\norder desk gas (anvil):")
    for name, used in gas.items():
        print(f"  {name:<16} {used:>8,}  ({used / plain:.2f}x plain transfer)")
    assert gas["buy"] < BUY_BUDGET
    assert gas["sell"] < BUY_BUDGET
    assert gas["token_transfer"] < TRANSFER_RATIO * plain
