"""The attestor's settings (ATTESTOR_* variables, options win) and its key: an ape account alias
or a keyfile unlocked from the environment, never a key on the command line."""

from __future__ import annotations

import json
import logging

import pytest
from click.testing import CliRunner
from eth_account import Account

from tokenized_stocks.attestor.config import AttestorSettings, keyfile_key, parse_chain
from tokenized_stocks.cli.attestor import JsonLines, cli
from tokenized_stocks.protocol.errors import UserError

GATEWAY = "0x" + "ab" * 20
KEY = "0x" + "42" * 32


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    import os

    for variable in list(os.environ):
        if variable.upper().startswith("ATTESTOR_"):
            monkeypatch.delenv(variable)


def test_a_chain_is_an_rpc_url_a_gateway_and_an_optional_start_block():
    assert parse_chain(f"http://a:8545,{GATEWAY}").start_block == 0
    assert parse_chain(f"http://a:8545, {GATEWAY}, 12").start_block == 12


@pytest.mark.parametrize(
    "text",
    [f"a:8545,{GATEWAY}", "http://a,0x12", f"http://a,{GATEWAY},-1", "http://a", f"http://a,{GATEWAY},1,2"],
)
def test_a_bad_chain_is_refused(text):
    with pytest.raises(ValueError):
        parse_chain(text)


def test_settings_come_from_attestor_variables_and_options_win(monkeypatch):
    monkeypatch.setenv("ATTESTOR_CHAINS", f"http://a,{GATEWAY};http://b,{GATEWAY},5")
    monkeypatch.setenv("ATTESTOR_CONFIRMATIONS", "3")
    monkeypatch.setenv("ATTESTOR_PORT", "9000")

    settings = AttestorSettings.load(port=9100, confirmations=None)

    assert [c.rpc_url for c in settings.chains] == ["http://a", "http://b"]
    assert (settings.confirmations, settings.port) == (3, 9100)


def test_a_misspelt_variable_is_refused(monkeypatch):
    monkeypatch.setenv("ATTESTOR_CONFIRMATION", "3")
    with pytest.raises(UserError, match="unknown attestor setting ATTESTOR_CONFIRMATION .did you mean"):
        AttestorSettings.load(chains=[f"http://a,{GATEWAY}"])


def test_no_chain_is_one_line_naming_the_option_and_the_variable():
    with pytest.raises(UserError, match="^--watch / ATTESTOR_CHAINS is required$"):
        AttestorSettings.load()


def test_a_keyfile_is_unlocked_with_the_passphrase_variable(tmp_path):
    account = Account.from_key(KEY)
    path = tmp_path / "op.json"
    path.write_text(json.dumps(Account.encrypt(account.key, "s3cret", kdf="scrypt", iterations=2**10)))

    assert keyfile_key(path, {"ATTESTOR_PASSPHRASE": "s3cret"}).address == account.address
    with pytest.raises(UserError, match="wrong passphrase"):
        keyfile_key(path, {"ATTESTOR_PASSPHRASE": "nope"})
    with pytest.raises(UserError, match="set ATTESTOR_PASSPHRASE"):
        keyfile_key(path, {})


def test_serve_refuses_a_private_key_given_as_the_account(monkeypatch):
    result = CliRunner(mix_stderr=False).invoke(
        cli, ["serve", "--watch", f"http://a,{GATEWAY}", "--account", KEY]
    )
    assert result.exit_code == 2
    assert "looks like a private key" in result.stderr and KEY not in result.stderr
    assert result.stdout == ""


def test_serve_needs_exactly_one_key_source():
    result = CliRunner(mix_stderr=False).invoke(cli, ["serve", "--watch", f"http://a,{GATEWAY}"])
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: give one of --account <ape alias> and --keyfile <path>"


def test_serve_json_with_bad_input_leaves_stdout_empty_and_one_error_line():
    result = CliRunner(mix_stderr=False).invoke(cli, ["serve", "--json", "--watch", f"http://a,{GATEWAY}"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        "error: give one of --account <ape alias> and --keyfile <path>"
    ]


def test_serve_json_logs_are_one_json_object_per_record():
    record = logging.LogRecord(
        "tokenized_stocks.attestor", logging.WARNING, __file__, 1, "chain %s behind", (7,), None
    )
    line = json.loads(JsonLines().format(record))
    assert line["level"] == "WARNING" and line["logger"] == "tokenized_stocks.attestor"
    assert line["message"] == "chain 7 behind" and "time" in line


def test_the_deprecated_chain_spelling_still_reaches_the_settings():
    result = CliRunner(mix_stderr=False).invoke(cli, ["serve", "--chain", "not-a-chain"])
    assert result.exit_code == 2
    assert "--watch" in result.stderr  # parsed as a watched chain, refused by the same rule
