"""The upgrade-safety check (tokenized_stocks/governance/upgrade_safety.py): OpenZeppelin upgrades-core
on forge's `upgrades` profile build refuses each kind of unsafe upgrade with a line naming it, and
passes the safe one and every current implementation.

The fixtures are contracts/test/upgrades/Box*Mock.sol: BoxV1Mock (UUPS, roles, an ERC-7201 namespace)
is the reference; BoxV2Mock appends a member and adds a namespace (safe); each BoxV2Unsafe*Mock breaks
one rule. One forge build serves the module (reused while the sources are unchanged).
"""

from __future__ import annotations

import json
import re
import subprocess
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from tokenized_stocks.devtools.upgrade_check import main
from tokenized_stocks.governance import upgrade_safety
from tokenized_stocks.governance.upgrade_safety import (
    ROOT,
    Exclusion,
    UpgradeUnsafe,
    build,
    check_all,
    check_upgrade,
    exclusions,
    parse_report,
    survey,
)
from tokenized_stocks.protocol.errors import UserError

FIXTURES = "contracts/test/upgrades"


@pytest.fixture(scope="module", autouse=True)
def built() -> Path:
    return build()


def _refusal(candidate: str, reference: str = "BoxV1Mock") -> list[str]:
    with pytest.raises(UpgradeUnsafe) as refused:
        check_upgrade(reference, candidate)
    assert str(refused.value) == "\n".join(refused.value.problems)
    return refused.value.problems


def _line(path: str, text: str) -> int:
    """The line of `path` where `text` first appears (so the expected problems follow the sources)."""
    lines = (ROOT / path).read_text().splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


# --------------------------------------------------------------------------------------------------
# check_upgrade
# --------------------------------------------------------------------------------------------------


def test_a_member_appended_to_a_namespace_and_a_new_namespace_are_a_safe_upgrade():
    check_upgrade("BoxV1Mock", "BoxV2Mock")


def test_a_fully_qualified_name_is_accepted():
    check_upgrade(f"{FIXTURES}/BoxV1Mock.sol:BoxV1Mock", f"{FIXTURES}/BoxV2Mock.sol:BoxV2Mock")


def test_a_member_inserted_before_the_others_in_a_namespace_is_refused():
    path = f"{FIXTURES}/BoxV2UnsafeMock.sol"
    assert _refusal("BoxV2UnsafeMock") == [
        f"BoxV2UnsafeMock: Inserted `BoxStorage.fee` ({path}:{_line(path, 'uint256 fee;')})"
    ]


def test_a_retyped_member_of_a_namespace_is_refused():
    path = f"{FIXTURES}/BoxV2UnsafeTypeMock.sol"
    assert _refusal("BoxV2UnsafeTypeMock") == [
        f"BoxV2UnsafeTypeMock: Upgraded `BoxStorage.setter` to an incompatible type "
        f"({path}:{_line(path, 'bytes32 setter;')}); Bad upgrade from address to bytes32"
    ]


def test_a_member_deleted_from_a_namespace_is_refused():
    # The reverse of the insertion: V1 as an upgrade of the unsafe V2 loses `fee`.
    assert _refusal("BoxV1Mock", reference="BoxV2UnsafeMock") == [
        "BoxV1Mock: Deleted `fee` (BoxV2UnsafeMock)"
    ]


def test_selfdestruct_in_the_candidate_is_refused():
    path = f"{FIXTURES}/BoxV2UnsafeSelfdestructMock.sol"
    assert _refusal("BoxV2UnsafeSelfdestructMock") == [
        f"BoxV2UnsafeSelfdestructMock: Use of selfdestruct is not allowed ({path}:{_line(path, 'selfdestruct(')})"
    ]


def test_a_constructor_that_writes_state_is_refused():
    path = f"{FIXTURES}/BoxV2UnsafeConstructorMock.sol"
    assert _refusal("BoxV2UnsafeConstructorMock") == [
        f"BoxV2UnsafeConstructorMock: Contract `BoxV2UnsafeConstructorMock` has a constructor "
        f"({path}:{_line(path, 'constructor()')})"
    ]


def test_a_candidate_without_the_uups_upgrade_function_is_refused():
    # Upgrading to it would leave the proxy unable to upgrade ever again.
    path = f"{FIXTURES}/BoxV2UnsafeNoUpgradeMock.sol"
    assert _refusal("BoxV2UnsafeNoUpgradeMock") == [
        "BoxV2UnsafeNoUpgradeMock: Implementation is missing a public `upgradeTo(address)` or "
        f"`upgradeToAndCall(address,bytes)` function ({path}:{_line(path, 'contract BoxV2UnsafeNoUpgradeMock')})"
    ]


def test_a_missing_reference_contract_is_one_clear_error():
    with pytest.raises(UserError) as refused:
        check_upgrade("NoSuchBox", "BoxV2Mock")
    assert not isinstance(refused.value, UpgradeUnsafe)
    assert str(refused.value) == "upgrades-core validate: Could not find contract NoSuchBox."


def test_a_missing_candidate_contract_is_one_clear_error():
    with pytest.raises(UserError, match=r"^upgrades-core validate: Could not find contract NoSuchBoxV2\.$"):
        check_upgrade("BoxV1Mock", "NoSuchBoxV2")


def test_a_contract_is_not_its_own_reference():
    with pytest.raises(UserError, match=r"BoxV1Mock must not use itself as a reference"):
        check_upgrade("BoxV1Mock", "BoxV1Mock")


@pytest.mark.parametrize("name", ["", "-x", "Box V2", "--contract", "a.sol:", "1Box", "Box;rm"])
def test_a_name_that_is_no_contract_name_is_refused_before_anything_runs(name, tmp_path):
    # tmp_path holds no project: a build would fail; the name is refused first.
    with pytest.raises(UserError, match="is not a contract name"):
        check_upgrade("BoxV1Mock", name, root=tmp_path)


# --------------------------------------------------------------------------------------------------
# check_all
# --------------------------------------------------------------------------------------------------


def test_every_current_implementation_and_upgrade_pair_passes():
    lines = check_all()
    assert "BoxV1Mock: safe (contracts/test/upgrades/BoxV1Mock.sol)" in lines
    assert "BoxV2Mock upgrades from BoxV1Mock: safe (contracts/test/upgrades/BoxV2Mock.sol)" in lines
    assert re.fullmatch(
        r"\d+ upgradeable contracts checked \(\d+ against a reference\), 0 unsafe, \d+ files excluded",
        lines[-1],
    )


def test_every_uups_or_initializable_contract_in_contracts_is_found_not_listed():
    """A contract that inherits UUPSUpgradeable or Initializable (or an upgradeable base) is checked
    without being named anywhere: upgrades-core finds it in the build."""
    checked = {result.source for result in survey().results}
    excluded = {path for path, _ in survey().excluded}
    upgradeable = re.compile(
        r"^contract \w+ is [^{]*\b(UUPSUpgradeable|Initializable|\w+Upgradeable|BoxMockBase)\b", re.M
    )
    sources = {
        str(path.relative_to(ROOT))
        for path in (ROOT / "contracts").rglob("*.sol")
        if upgrade_safety.UNPACKED not in path.parts and upgradeable.search(path.read_text())
    }
    assert f"{FIXTURES}/BoxV1Mock.sol" in sources
    assert sources - excluded <= checked


def test_the_unsafe_fixtures_are_excluded_by_a_documented_rule_not_silently():
    found = survey()
    assert {Path(path).name for path, _ in found.excluded} >= {
        "BoxV2UnsafeMock.sol",
        "BoxV2UnsafeTypeMock.sol",
        "BoxV2UnsafeSelfdestructMock.sol",
        "BoxV2UnsafeConstructorMock.sol",
        "BoxV2UnsafeNoUpgradeMock.sol",
    }
    assert all(path.startswith("contracts/test/") for path, _ in found.excluded), (
        "nothing deployed is excluded"
    )
    assert any(line.startswith("excluded (contracts/test/upgrades/*Unsafe*.sol) ") for line in found.lines())


def test_without_the_exclusions_check_all_would_fail_on_each_unsafe_fixture():
    problems = survey(rules=[]).problems
    for fixture in (
        "BoxV2UnsafeNoUpgradeMock",
        "BoxV2UnsafeMock",
        "BoxV2UnsafeTypeMock",
        "BoxV2UnsafeSelfdestructMock",
        "BoxV2UnsafeConstructorMock",
    ):
        assert any(problem.startswith(f"{fixture}: ") for problem in problems), fixture


def test_check_all_raises_naming_each_problem_when_an_unsafe_contract_is_not_excluded(monkeypatch):
    monkeypatch.setattr(upgrade_safety, "exclusions", lambda: [])
    with pytest.raises(UpgradeUnsafe) as refused:
        check_all()
    assert any(p.startswith("BoxV2UnsafeMock: Inserted `BoxStorage.fee`") for p in refused.value.problems)
    assert any(
        p.startswith("BoxV2UnsafeTypeMock: Upgraded `BoxStorage.setter`") for p in refused.value.problems
    )


def test_every_exclusion_rule_gives_a_reason():
    rules = exclusions()
    assert rules and all(rule.reason for rule in rules)


def test_an_exclusion_without_a_reason_is_refused(tmp_path):
    bad = tmp_path / "upgrade_safety.toml"
    bad.write_text('[[exclude]]\nglob = "contracts/test/upgrades/*Unsafe*.sol"\nreason = " "\n')
    with pytest.raises(UserError, match="needs a glob and a reason"):
        exclusions(bad)


def test_an_exclusion_that_matches_no_file_is_refused():
    with pytest.raises(UserError, match=r"exclusion 'contracts/nowhere/\*.sol' matches no file"):
        survey(rules=[Exclusion("contracts/nowhere/*.sol", "stale")])


# --------------------------------------------------------------------------------------------------
# The build and the report
# --------------------------------------------------------------------------------------------------


def test_the_forge_profile_emits_what_upgrades_core_reads():
    profile = tomllib.loads((ROOT / "foundry.toml").read_text())["profile"][upgrade_safety.PROFILE]
    assert profile["out"] == upgrade_safety.OUT
    assert profile["build_info"] is True and profile["ast"] is True
    assert "storageLayout" in profile["extra_output"]


def test_a_fresh_build_is_reused(built, monkeypatch):
    def no_forge(*args, **kwargs):
        raise AssertionError("forge ran although nothing changed")

    monkeypatch.setattr(subprocess, "run", no_forge)
    assert build() == built


def test_a_changed_source_means_a_clean_rebuild(tmp_path, monkeypatch):
    (tmp_path / "contracts").mkdir()
    (tmp_path / "contracts" / "A.sol").write_text("contract A {}")
    (tmp_path / "foundry.toml").write_text("")
    commands = []

    def fake_forge(command, **kwargs):
        commands.append((command, kwargs["env"]["FOUNDRY_PROFILE"]))
        info = tmp_path / upgrade_safety.OUT / "build-info"
        info.mkdir(parents=True, exist_ok=True)
        (info / "x.json").write_text("{}")
        return subprocess.CompletedProcess(command, 0, "", "")

    monkeypatch.setattr(subprocess, "run", fake_forge)
    build(tmp_path)
    build(tmp_path)
    assert len(commands) == 1
    (tmp_path / "contracts" / "A.sol").write_text("contract A { uint256 x; }")
    build(tmp_path)
    assert len(commands) == 2
    command, profile = commands[-1]
    assert profile == "upgrades" and command[1:3] == ["build", "--force"]


def test_a_second_build_info_file_means_a_clean_rebuild(tmp_path, monkeypatch):
    (tmp_path / "contracts").mkdir()
    (tmp_path / "foundry.toml").write_text("")
    runs = []

    def fake_forge(command, **kwargs):
        runs.append(command)
        info = tmp_path / upgrade_safety.OUT / "build-info"
        for stale in info.glob("*.json"):
            stale.unlink()
        info.mkdir(parents=True, exist_ok=True)
        (info / "full.json").write_text("{}")
        return subprocess.CompletedProcess(command, 0, "", "")

    monkeypatch.setattr(subprocess, "run", fake_forge)
    info = build(tmp_path)
    (info / "partial.json").write_text("{}")  # what an incremental `forge build` leaves
    build(tmp_path)
    assert len(runs) == 2


def test_a_failing_build_is_one_clear_error(tmp_path, monkeypatch):
    (tmp_path / "contracts").mkdir()
    (tmp_path / "foundry.toml").write_text("")
    output = "Compiler run failed:\nError (2314): Expected ';' but got '}'\n --> contracts/A.sol:3:1:\n"
    monkeypatch.setattr(
        subprocess, "run", lambda command, **kw: subprocess.CompletedProcess(command, 1, output, "")
    )
    with pytest.raises(
        UserError, match=r"^forge build \(profile upgrades\) failed: Error \(2314\): Expected ';'"
    ):
        build(tmp_path)


REPORT = """\
 ✔  contracts/A.sol:A

 ✘  contracts/B.sol:B (upgrades from contracts/A.sol:A)

      contracts/B.sol:9: Use of delegatecall is not allowed
          https://zpl.in/upgrades/error-002

      A: Deleted `x`
        > Keep the variable even if unused

      contracts/B.sol:4: Upgraded `y` to an incompatible type
        - Bad upgrade from uint256 to address
        - In struct S

FAILED (2 upgradeable contracts detected, 1 passed, 1 failed)
"""


def test_the_report_is_read_one_problem_per_error_block(tmp_path):
    results = parse_report(REPORT, root=tmp_path)
    assert [(r.name, r.reference, r.ok) for r in results] == [
        ("A", None, True),
        ("B", "contracts/A.sol:A", False),
    ]
    assert results[1].problems == (
        "B: Use of delegatecall is not allowed (contracts/B.sol:9)",
        "B: Deleted `x` (A)",
        "B: Upgraded `y` to an incompatible type (contracts/B.sol:4); Bad upgrade from uint256 to address; In struct S",
    )


def test_a_contract_marked_failed_without_readable_problems_still_fails(tmp_path):
    results = parse_report(" ✘  contracts/B.sol:B\n\nFAILED\n", root=tmp_path)
    assert results[0].problems == ("B: refused by upgrades-core",)


# --------------------------------------------------------------------------------------------------
# The command (`make upgrade-check`)
# --------------------------------------------------------------------------------------------------


def test_the_command_prints_the_table_and_exits_0_when_everything_is_safe():
    result = CliRunner().invoke(main, [])
    assert result.exit_code == 0, result.output
    assert "BoxV2Mock" in result.output and "0 unsafe" in result.output


def test_the_command_exits_1_naming_the_problem_of_an_unsafe_upgrade():
    result = CliRunner().invoke(main, ["--reference", "BoxV1Mock", "--candidate", "BoxV2UnsafeTypeMock"])
    assert result.exit_code == 1
    assert "BoxV2UnsafeTypeMock: Upgraded `BoxStorage.setter` to an incompatible type" in result.output


def test_the_command_exits_2_on_a_missing_contract():
    result = CliRunner().invoke(main, ["--reference", "NoSuchBox", "--candidate", "BoxV2Mock"])
    assert result.exit_code == 2
    assert result.output.strip() == "error: upgrades-core validate: Could not find contract NoSuchBox."


def test_the_command_exits_2_on_a_reference_without_a_candidate():
    result = CliRunner().invoke(main, ["--reference", "BoxV1Mock"])
    assert result.exit_code == 2
    assert "--reference and --candidate go together" in result.output


def test_the_command_prints_only_json_on_stdout_with_json():
    result = CliRunner(mix_stderr=False).invoke(main, ["--json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["ok"] is True
    assert {
        "contract": f"{FIXTURES}/BoxV2Mock.sol:BoxV2Mock",
        "reference": f"{FIXTURES}/BoxV1Mock.sol:BoxV1Mock",
        "ok": True,
        "problems": [],
    } in data["contracts"]
    assert {Path(e["path"]).name for e in data["excluded"]} >= {"BoxV2UnsafeMock.sol"}


def test_the_command_names_the_problems_in_json_of_an_unsafe_upgrade():
    result = CliRunner(mix_stderr=False).invoke(
        main, ["--json", "--reference", "BoxV1Mock", "--candidate", "BoxV2UnsafeSelfdestructMock"]
    )
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["ok"] is False and len(data["problems"]) == 1
    assert data["problems"][0].startswith("BoxV2UnsafeSelfdestructMock: Use of selfdestruct is not allowed")


# --------------------------------------------------------------------------------------------------
# the Gateway (the first upgradeable contract of the suite)
# --------------------------------------------------------------------------------------------------


def test_the_gateway_v2_with_its_own_namespace_is_a_safe_upgrade_of_the_gateway():
    check_upgrade("Gateway", "GatewayV2Mock")


def test_a_gateway_v2_that_inserts_a_field_in_the_gateways_namespace_is_refused():
    path = f"{FIXTURES}/GatewayV2UnsafeMock.sol"
    problems = _refusal("GatewayV2UnsafeMock", reference="Gateway")

    assert (
        f"GatewayV2UnsafeMock: Replaced `GatewayStorage.nonce` with `insertedField` of incompatible type "
        f"({path}:{_line(path, 'uint256 insertedField;')})"
    ) in problems
    assert all(problem.removeprefix("GatewayV2UnsafeMock: ").strip() for problem in problems)


def test_ape_solidity_s_unpacked_dependencies_are_neither_built_nor_fingerprinted(tmp_path, monkeypatch):
    (tmp_path / "contracts" / ".cache" / "openzeppelin").mkdir(parents=True)
    (tmp_path / "contracts" / "A.sol").write_text("contract A {}")
    (tmp_path / "foundry.toml").write_text("")
    before = upgrade_safety.fingerprint(tmp_path)
    (tmp_path / "contracts" / ".cache" / "openzeppelin" / "B.sol").write_text("contract B {}")
    commands = []

    def fake_forge(command, **kwargs):
        commands.append(command)
        info = tmp_path / upgrade_safety.OUT / "build-info"
        info.mkdir(parents=True, exist_ok=True)
        (info / "x.json").write_text("{}")
        return subprocess.CompletedProcess(command, 0, "", "")

    monkeypatch.setattr(subprocess, "run", fake_forge)
    build(tmp_path)

    assert upgrade_safety.fingerprint(tmp_path) == before
    assert commands[0][-2:] == ["--skip", "*/.cache/*"]
