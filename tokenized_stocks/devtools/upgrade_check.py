"""The upgrade-safety check from the command line (`make upgrade-check`, a step of CI).

    python -m tokenized_stocks.devtools.upgrade_check                       # every implementation
    python -m tokenized_stocks.devtools.upgrade_check --reference Gateway --candidate GatewayV2

Without options: every upgradeable implementation under contracts/ and every
`@custom:oz-upgrades-from` pair (tokenized_stocks.governance.upgrade_safety.check_all), printed as a
table. With `--reference` and `--candidate`: that one upgrade (`check_upgrade`). Exits 0 when safe,
1 when anything is unsafe (one line per problem), 2 on bad input; `--json` prints the result as
one JSON object on stdout.
"""

from __future__ import annotations

import click
from rich.table import Table

from tokenized_stocks.cli.errors import BAD_INPUT, FAILED, fail
from tokenized_stocks.cli.output import Output, json_option
from tokenized_stocks.governance.upgrade_safety import UpgradeUnsafe, check_upgrade, survey
from tokenized_stocks.protocol.errors import UserError


def _print_problems(out: Output, problems: list[str]) -> None:
    out.print("[red]upgrade unsafe:[/red]")
    for problem in problems:
        out.print(f"  {problem}", highlight=False, markup=False)


@click.command(help=__doc__.split("\n\n")[0] if __doc__ else None)
@click.option("--reference", help="the implementation deployed now (Name or path/File.sol:Name)")
@click.option("--candidate", help="the implementation proposed to replace it")
@json_option
def main(reference: str | None, candidate: str | None, as_json: bool) -> None:
    if (reference is None) != (candidate is None):
        fail("--reference and --candidate go together")
    out = Output(as_json)
    try:
        if reference is not None and candidate is not None:
            try:
                check_upgrade(reference, candidate)
            except UpgradeUnsafe as error:
                _print_problems(out, error.problems)
                out.result(
                    {"ok": False, "reference": reference, "candidate": candidate, "problems": error.problems}
                )
                raise SystemExit(FAILED) from error
            out.print(f"{candidate} is a safe upgrade of {reference}", highlight=False)
            out.result({"ok": True, "reference": reference, "candidate": candidate, "problems": []})
            return
        found = survey()
    except UserError as error:
        fail(str(error), BAD_INPUT)
    table = Table(title="Upgrade safety (OpenZeppelin upgrades-core)")
    for column in ("contract", "upgrades from", "verdict", "source"):
        table.add_column(column)
    for result in found.results:
        verdict = "[green]safe[/green]" if result.ok else "[red]UNSAFE[/red]"
        reference_name = (result.reference or "").rsplit(":", 1)[-1] or "-"
        table.add_row(result.name, reference_name, verdict, result.source)
    out.print(table)
    for line in found.lines()[len(found.results) :]:
        out.print(line, highlight=False, markup=False)
    if found.problems:
        _print_problems(out, found.problems)
    out.result(
        {
            "ok": not found.problems,
            "contracts": [
                {"contract": r.contract, "reference": r.reference, "ok": r.ok, "problems": list(r.problems)}
                for r in found.results
            ],
            "excluded": [
                {"path": path, "glob": rule.glob, "reason": rule.reason} for path, rule in found.excluded
            ],
        }
    )
    if found.problems:
        raise SystemExit(FAILED)


if __name__ == "__main__":
    main()
