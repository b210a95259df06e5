"""`ape run deploy --role NAME=HOLDER`: a key of its own per role (tokenized_stocks/cli/rolebook.py).
The live flow is tests/e2e/test_testnet_rehearsal.py; these are the refusals and the defaults."""

from __future__ import annotations

import pytest

from tokenized_stocks.cli.rolebook import assign_roles, majority, parse_role_specs
from tokenized_stocks.deploy.suite import RoleBook
from tokenized_stocks.protocol.errors import UserError

CUSTODY = "0x1111111111111111111111111111111111111111"
OP_1 = "0x2222222222222222222222222222222222222222"
OP_2 = "0x3333333333333333333333333333333333333333"
OP_3 = "0x4444444444444444444444444444444444444444"


def test_specs_are_read_by_role_with_operators_repeatable():
    parsed = parse_role_specs(
        [f"custodian={CUSTODY}", "transfer-agent=agent", f"operator={OP_1}", f"operator={OP_2}"]
    )
    assert parsed == {"custodian": [CUSTODY], "transfer_agent": ["agent"], "operator": [OP_1, OP_2]}


@pytest.mark.parametrize(
    ("spec", "message"),
    [(["custodian"], "write NAME=ALIAS or NAME=ADDRESS"),
     (["custodian="], "write NAME=ALIAS or NAME=ADDRESS"),
     (["janitor=bob"], "--role janitor: unknown role"),
     (["guardian=a", "guardian=b"], "--role guardian is given twice"),
     ([f"operator={OP_1}", f"operator={OP_1.upper().replace('0X', '0x')}"], "operators must be distinct"),
     (["registrar=" + "ab" * 32], "looks like a private key")],
    ids=["no-equals", "no-holder", "unknown-role", "twice", "duplicate-operator", "private-key"],
)  # fmt: skip
def test_a_bad_role_spec_is_one_clear_error(spec, message):
    with pytest.raises(UserError, match=message.replace("(", r"\(")):
        parse_role_specs(spec)


def test_the_registrar_signs_during_the_deploy_so_an_address_is_refused():
    with pytest.raises(UserError, match="--role registrar signs during the deploy"):
        assign_roles(RoleBook.single(_Holder(OP_3)), [f"registrar={CUSTODY}"], None)


def test_addresses_replace_the_single_key_and_operators_default_to_a_majority():
    issuer = _Holder(OP_3)
    book = assign_roles(
        RoleBook.single(issuer), [f"custodian={CUSTODY}", f"operator={OP_1}", f"operator={OP_2}"], None
    )
    assert str(book.custodian.address) == CUSTODY
    assert [str(o.address) for o in book.operators] == [OP_1, OP_2]
    assert book.threshold == majority(2) == 2
    assert book.registrar is issuer and book.guardian is issuer


@pytest.mark.parametrize("threshold", [0, 3])
def test_an_operator_threshold_outside_the_operators_is_refused(threshold):
    with pytest.raises(UserError, match=f"--operator-threshold {threshold}: must be between 1 and the 2"):
        assign_roles(RoleBook.single(_Holder(OP_3)), [f"operator={OP_1}", f"operator={OP_2}"], threshold)


def test_a_bad_address_names_the_role():
    with pytest.raises(UserError, match="bad --role custodian"):
        assign_roles(RoleBook.single(_Holder(OP_3)), ["custodian=0x1234"], None)


class _Holder:
    """A role holder as the role book sees one: an object with an address."""

    def __init__(self, address: str) -> None:
        self.address = address
