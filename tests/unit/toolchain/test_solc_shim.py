"""The solc shim speaks the part of the solc CLI that py-solc-x (ape) and forge use."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SHIM = ROOT / "tools" / "solc" / "solc-v0.8.30"


def run_shim(*args: str, stdin: str = "") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [str(SHIM), *args], input=stdin.encode(), capture_output=True, timeout=120, check=False
    )


def standard_json(sources: dict[str, str], outputs: list[str]) -> str:
    return json.dumps(
        {
            "language": "Solidity",
            "sources": {name: {"content": text} for name, text in sources.items()},
            "settings": {"outputSelection": {"*": {"*": outputs}}},
        }
    )


def test_version_prints_the_line_py_solc_x_parses():
    result = run_shim("--version")
    assert result.returncode == 0
    assert re.search(r"^Version: 0\.8\.30\+commit\.[0-9a-f]{8}", result.stdout.decode(), re.MULTILINE)


def test_standard_json_reads_imports_from_the_base_path(tmp_path):
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "Dep.sol").write_text(
        "// SPDX-License-Identifier: MIT\npragma solidity 0.8.30;\n"
        "library Dep { function one() internal pure returns (uint256) { return 1; } }\n"
    )
    main = (
        "// SPDX-License-Identifier: MIT\npragma solidity 0.8.30;\n"
        'import {Dep} from "lib/Dep.sol";\n'
        "contract Main { function f() external pure returns (uint256) { return Dep.one(); } }\n"
    )
    result = run_shim(
        "--standard-json", "--base-path", str(tmp_path), stdin=standard_json({"Main.sol": main}, ["abi"])
    )
    assert result.returncode == 0
    output = json.loads(result.stdout)
    assert not [e for e in output.get("errors", []) if e["severity"] == "error"]
    assert output["contracts"]["Main.sol"]["Main"]["abi"][0]["name"] == "f"


def test_standard_json_reports_a_missing_import_as_a_compiler_error(tmp_path):
    main = 'pragma solidity 0.8.30;\nimport {Nope} from "nope/Nope.sol";\ncontract Main {}\n'
    result = run_shim(
        "--standard-json", "--base-path", str(tmp_path), stdin=standard_json({"Main.sol": main}, ["abi"])
    )
    output = json.loads(result.stdout)
    assert any("Nope.sol" in e["message"] for e in output["errors"])


def test_output_larger_than_a_pipe_buffer_arrives_whole():
    # Many contracts with their bytecode, assembly and metadata: several hundred KiB of JSON.
    body = "\n".join(
        f"contract C{i} {{ uint256 public v{i}; function set(uint256 x) external {{ v{i} = x * {i + 1}; }} }}"
        for i in range(60)
    )
    source = "// SPDX-License-Identifier: MIT\npragma solidity 0.8.30;\n" + body
    result = run_shim("--standard-json", stdin=standard_json({"Big.sol": source}, ["*"]))
    assert result.returncode == 0
    assert len(result.stdout) > 128 * 1024
    output = json.loads(result.stdout)  # would fail on a truncated document
    assert len(output["contracts"]["Big.sol"]) == 60


@pytest.mark.parametrize("args", [(), ("--bogus",)])
def test_unsupported_invocation_fails_with_one_line(args):
    result = run_shim(*args)
    assert result.returncode == 1
    assert result.stderr.decode().startswith("solc shim:")
