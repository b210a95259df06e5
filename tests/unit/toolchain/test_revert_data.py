"""The suite's revert assertion (`tests/revert_data.py`) fails for the wrong reason's revert.

`ape.reverts(contract.SomeError)` passes on a revert without data; `reverts` must not."""

from __future__ import annotations

import ape
import pytest
from eth_utils import keccak
from revert_data import expected_revert_data, reverts

ACCOUNT = "0x00000000000000000000000000000000000000A1"


@pytest.fixture(scope="module")
def owner(accounts):
    return accounts[0]


@pytest.fixture(scope="module")
def probe(project, owner):
    return project.RevertProbe.deploy(sender=owner)


def test_passes_on_the_expected_error_with_its_arguments(probe):
    with reverts(probe.ProbeError, amount=7, account=ACCOUNT):
        probe.customError(7, ACCOUNT)


def test_passes_on_the_expected_error_with_some_arguments_named(probe):
    with reverts(probe.ProbeError, amount=7):
        probe.customError(7, ACCOUNT)


def test_passes_on_the_expected_error_without_arguments_named(probe):
    with reverts(probe.ProbeError):
        probe.customError(7, ACCOUNT)


def test_fails_on_a_revert_without_data(probe):
    with pytest.raises(AssertionError, match="no custom error"):
        with reverts(probe.ProbeError):
            probe.empty()


def test_ape_reverts_alone_does_not_see_a_revert_without_data(probe):
    """The blind spot this helper closes: ape accepts the empty revert as the custom error."""
    with ape.reverts(probe.ProbeError):
        probe.empty()


def test_fails_on_an_error_string(probe):
    with pytest.raises(AssertionError, match="no custom error"):
        with reverts(probe.ProbeError):
            probe.message()


def test_fails_on_another_custom_error(probe):
    with pytest.raises(AssertionError, match="got ProbeOther"):
        with reverts(probe.ProbeError):
            probe.otherError()


def test_fails_on_a_wrong_argument(probe):
    with pytest.raises(AssertionError, match="amount: expected 8, got 7"):
        with reverts(probe.ProbeError, amount=8):
            probe.customError(7, ACCOUNT)


def test_fails_on_a_misspelt_argument(probe):
    with pytest.raises(AssertionError, match="no argument"):
        with reverts(probe.ProbeError, amout=7):
            probe.customError(7, ACCOUNT)


def test_fails_when_nothing_reverts(probe):
    with pytest.raises(AssertionError, match="did not revert"):
        with reverts(probe.ProbeError):
            probe.fine()


def test_the_expected_data_is_the_selector_and_the_encoded_arguments(probe):
    data = expected_revert_data(probe.ProbeError, amount=1, account=ACCOUNT)
    assert data[:4] == keccak(text="ProbeError(uint256,address)")[:4]
    assert data[4:].hex() == f"{1:064x}" + ACCOUNT[2:].lower().rjust(64, "0")


def test_passes_on_the_expected_error_of_a_transaction(probe, owner):
    with reverts(probe.ProbeError, amount=3, account=owner.address):
        probe.customErrorTx(3, sender=owner)


def test_fails_on_another_argument_of_a_transaction(probe, owner):
    with pytest.raises(AssertionError, match="amount: expected 4, got 3"):
        with reverts(probe.ProbeError, amount=4):
            probe.customErrorTx(3, sender=owner)


def test_fails_on_a_transaction_reverting_without_data(probe, owner):
    with pytest.raises(AssertionError, match="no custom error"):
        with reverts(probe.ProbeError):
            probe.emptyTx(sender=owner)


# On a call anvil prints the arguments as hex only when they are not valid UTF-8; small numbers and
# addresses without a byte >= 0x80 come as raw text, and ape strips trailing whitespace off it.
RAW_TEXT_ACCOUNT = "0x0000000000000000000000000000000000000041"  # every byte < 0x80
TRAILING_SPACE_ACCOUNT = "0x0000000000000000000000000000000000000020"  # last byte stripped by ape


@pytest.mark.parametrize("account", [ACCOUNT, RAW_TEXT_ACCOUNT, TRAILING_SPACE_ACCOUNT])
def test_passes_on_a_call_with_every_argument_byte_for_byte(probe, account):
    with reverts(probe.ProbeError, amount=2, account=account):
        probe.customError(2, account)


@pytest.mark.parametrize("account", [ACCOUNT, RAW_TEXT_ACCOUNT, TRAILING_SPACE_ACCOUNT])
def test_fails_on_a_wrong_argument_of_a_call(probe, account):
    with pytest.raises(AssertionError, match="amount: expected 0, got 2"):
        with reverts(probe.ProbeError, amount=0):
            probe.customError(2, account)


def test_passes_on_a_call_reverting_with_an_error_without_arguments(probe):
    with reverts(probe.ProbeOther):
        probe.otherError()
