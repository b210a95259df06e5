"""The relayer's settings (RELAYER_* variables, options win) and its keys: ape account aliases
unlocked with ape's passphrase variable, never a key on the command line (issue 14)."""

from __future__ import annotations

import json

import pytest
from ape_accounts.accounts import KeyfileAccount
from eth_account import Account

from tokenized_stocks.cli.signers import passphrase_variable, refuse_key_like, unlock
from tokenized_stocks.protocol.errors import UserError
from tokenized_stocks.relayer.config import RelayerSettings

KEY = "0x" + "42" * 32


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    import os

    for variable in list(os.environ):
        if variable.upper().startswith("RELAYER_"):
            monkeypatch.delenv(variable)


def test_settings_come_from_relayer_variables(monkeypatch):
    monkeypatch.setenv("RELAYER_RPC_A", "http://a")
    monkeypatch.setenv("RELAYER_RPC_B", "http://b")
    monkeypatch.setenv("RELAYER_ATTESTORS", "http://op1:8600, http://op2:8600")
    monkeypatch.setenv("RELAYER_BATCH_SIZE", "50")
    monkeypatch.setenv("RELAYER_GATEWAY_A", "0x" + "ab" * 20)

    settings = RelayerSettings.load()

    assert (settings.rpc_a, settings.rpc_b, settings.batch_size) == ("http://a", "http://b", 50)
    assert settings.attestors == ["http://op1:8600", "http://op2:8600"]
    assert settings.gateway_a == "0xABaBaBaBABabABabAbAbABAbABabababaBaBABaB"
    assert settings.tunables()["db_path"] == "relayer.sqlite"


def test_an_option_given_wins_over_the_variable(monkeypatch):
    monkeypatch.setenv("RELAYER_RPC_A", "http://env")
    monkeypatch.setenv("RELAYER_MAX_ATTEMPTS", "9")

    settings = RelayerSettings.load(rpc_a="http://option", rpc_b="http://b", max_attempts=None, attestors=())

    assert settings.rpc_a == "http://option"
    assert settings.max_attempts == 9  # an option not given leaves the variable


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({}, "--rpc-a / RELAYER_RPC_A is required"),
        ({"rpc_a": "a", "rpc_b": "b", "batch_size": 0}, "bad --batch-size / RELAYER_BATCH_SIZE: "),
        (
            {"rpc_a": "a", "rpc_b": "b", "gateway_b": "0x12"},
            "bad --gateway-b / RELAYER_GATEWAY_B: '0x12' is not",
        ),
        ({"rpc_a": "a", "rpc_b": "b", "db_path": ""}, "bad --db / RELAYER_DB_PATH: "),
    ],
)
def test_a_bad_setting_is_one_line_naming_the_option_and_the_variable(overrides, message):
    with pytest.raises(UserError) as err:
        RelayerSettings.load(**overrides)
    assert message in str(err.value) and "\n" not in str(err.value)


@pytest.mark.parametrize("variable", ["RELAYER_OPERATORS", "RELAYER_OPERATOR_TEST_ACCOUNTS"])
def test_an_operator_key_variable_is_refused_the_relayer_holds_no_operator_key(monkeypatch, variable):
    monkeypatch.setenv(variable, "op1")

    with pytest.raises(UserError, match="the relayer holds no operator key.*--attestor <URL>"):
        RelayerSettings.load(rpc_a="a", rpc_b="b")


def test_the_relayer_has_no_operator_setting():
    assert not {name for name in RelayerSettings.model_fields if "operator" in name}


def test_a_misspelt_variable_is_refused(monkeypatch):
    monkeypatch.setenv("RELAYER_BATCHSIZE", "5")

    with pytest.raises(
        UserError, match="unknown relayer setting RELAYER_BATCHSIZE .did you mean RELAYER_BATCH_SIZE"
    ):
        RelayerSettings.load(rpc_a="a", rpc_b="b")


@pytest.mark.parametrize("variable", ["RELAYER_SUBMITTER_KEY", "RELAYER_OPERATOR_KEYS"])
def test_the_retired_key_variables_are_refused_without_echoing_them(monkeypatch, variable):
    monkeypatch.setenv(variable, KEY)

    with pytest.raises(UserError, match="is no longer read") as err:
        RelayerSettings.load(rpc_a="a", rpc_b="b")
    assert KEY[2:] not in str(err.value)


@pytest.mark.parametrize("value", [KEY, KEY[2:], KEY.upper()[2:]])
def test_a_key_where_an_alias_goes_is_refused_without_echoing_it(value):
    with pytest.raises(UserError, match="looks like a private key") as err:
        refuse_key_like(value, "--submitter")
    assert "42424242" not in str(err.value)


def test_an_alias_is_not_mistaken_for_a_key():
    refuse_key_like("relayer-submitter", "--submitter")
    refuse_key_like("0x" + "11" * 20, "--submitter")  # an address is no key


@pytest.fixture
def keyfile_account(tmp_path):
    path = tmp_path / "op1.json"
    path.write_text(json.dumps(Account.encrypt(KEY, "correct horse")))
    return KeyfileAccount(keyfile_path=path)


def test_an_alias_is_unlocked_with_apes_passphrase_variable(monkeypatch, keyfile_account):
    monkeypatch.setenv(passphrase_variable("op1"), "correct horse")

    assert passphrase_variable("op1") == "APE_ACCOUNTS_op1_PASSPHRASE"
    assert unlock(keyfile_account, "op1").address == Account.from_key(KEY).address


def test_a_wrong_passphrase_is_one_line(monkeypatch, keyfile_account):
    monkeypatch.setenv(passphrase_variable("op1"), "wrong")

    with pytest.raises(UserError, match="wrong passphrase for account 'op1' .APE_ACCOUNTS_op1_PASSPHRASE"):
        unlock(keyfile_account, "op1")


def test_without_a_passphrase_and_a_terminal_the_variable_is_named(monkeypatch, keyfile_account):
    monkeypatch.delenv(passphrase_variable("op1"), raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)

    with pytest.raises(UserError, match="set APE_ACCOUNTS_op1_PASSPHRASE"):
        unlock(keyfile_account, "op1")
