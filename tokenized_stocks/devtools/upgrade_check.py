"""The upgrade-safety check from the command line (`make upgrade-check`, a step of CI).

    python -m tokenized_stocks.devtools.upgrade_check                       # every implementation
    python -m tokenized_stocks.devtools.upgrade_check --reference Gateway --candidate GatewayV2

Without options: every upgradeable implementation under contracts/ and every
`@custom:oz-upgrades-from` pair (tokenized_stocks.governance.upgrade_safety.check_all), printed as a
table. With `--reference` and `--candidate`: that one upgrade (`check_upgrade`). Exits 0 when safe,
1 when anything is unsafe (one line per problem), 2 on bad input.
"""

from __future__ import annotations

import click
from rich.console import Console
from rich.table import Table

from tokenized_stocks.cli.errors import BAD_INPUT, FAILED, fail
from tokenized_stocks.governance.upgrade_safety import UpgradeUnsafe, check_upgrade, survey
from tokenized_stocks.protocol.errors import UserError


def _print_problems(error: UpgradeUnsafe) -> None:
    click.echo("upgrade unsafe:", err=True)
    for problem in error.problems:
        click.echo(f"  {problem}", err=True)


@click.command(help=__doc__.split("\n\n")[0] if __doc__ else None)
@click.option("--reference", help="the implementation deployed now (Name or path/File.sol:Name)")
@click.option("--candidate", help="the implementation proposed to replace it")
def main(reference: str | None, candidate: str | None) -> None:
    if (reference is None) != (candidate is None):
        fail("--reference and --candidate go together")
    try:
        if reference is not None and candidate is not None:
            check_upgrade(reference, candidate)
            click.echo(f"{candidate} is a safe upgrade of {reference}")
            return
        found = survey()
    except UpgradeUnsafe as error:
        _print_problems(error)
        raise SystemExit(FAILED) from error
    except UserError as error:
        fail(str(error), BAD_INPUT)
    table = Table(title="Upgrade safety (OpenZeppelin upgrades-core)")
    for column in ("contract", "upgrades from", "verdict", "source"):
        table.add_column(column)
    for result in found.results:
        verdict = "[green]safe[/green]" if result.ok else "[red]UNSAFE[/red]"
        reference_name = (result.reference or "").rsplit(":", 1)[-1] or "-"
        table.add_row(result.name, reference_name, verdict, result.source)
    console = Console()
    console.print(table)
    for line in found.lines()[len(found.results) :]:
        console.print(line, highlight=False)
    if found.problems:
        _print_problems(UpgradeUnsafe(found.problems))
        raise SystemExit(FAILED)


if __name__ == "__main__":
    main()
