"""The gateway's operator set and threshold at their guards (issue 21, "What survived").

The module's gateway starts with the three operators of the suite and a threshold of 2. Every
refusal is asserted with its exact revert data, and with the operator count, threshold and
membership unchanged afterwards; every bound is also tested where it is accepted.
"""

from __future__ import annotations

from revert_data import reverts

from tokenized_stocks.devtools.bridge import deploy_gateway

ZERO = "0x" + "00" * 20


def test_adding_an_existing_operator_is_refused_and_changes_nothing(gateway, issuer, operators):
    with reverts(gateway.GatewayOperatorAlreadySet, operator=operators[0].address, isOperator=True):
        gateway.addOperator(operators[0], sender=issuer)
    assert gateway.operatorSet() == (3, 2)
    assert gateway.isOperator(operators[0])


def test_adding_the_zero_address_as_operator_is_refused_and_changes_nothing(gateway, issuer):
    with reverts(gateway.GatewayOperatorAlreadySet, operator=ZERO, isOperator=True):
        gateway.addOperator(ZERO, sender=issuer)
    assert gateway.operatorSet() == (3, 2)
    assert not gateway.isOperator(ZERO)


def test_removing_a_non_operator_is_refused_and_changes_nothing(gateway, issuer, outsider):
    with reverts(gateway.GatewayOperatorAlreadySet, operator=outsider.address, isOperator=False):
        gateway.removeOperator(outsider, sender=issuer)
    assert gateway.operatorSet() == (3, 2)
    assert not gateway.isOperator(outsider)


def test_removing_an_operator_twice_is_refused_the_second_time(gateway, issuer, operators):
    gateway.removeOperator(operators[2], sender=issuer)
    with reverts(gateway.GatewayOperatorAlreadySet, operator=operators[2].address, isOperator=False):
        gateway.removeOperator(operators[2], sender=issuer)
    assert gateway.operatorSet() == (2, 2)


def test_a_zero_threshold_is_refused(gateway, issuer):
    with reverts(gateway.GatewayInvalidThreshold, threshold=0, operatorCount=3):
        gateway.setThreshold(0, sender=issuer)
    assert gateway.operatorSet() == (3, 2)


def test_a_threshold_of_one_is_accepted(gateway, issuer):
    receipt = gateway.setThreshold(1, sender=issuer)
    assert receipt.events == [gateway.ThresholdChanged(threshold=1)]
    assert gateway.operatorSet() == (3, 1)


def test_a_threshold_equal_to_the_operator_count_is_accepted(gateway, issuer):
    receipt = gateway.setThreshold(3, sender=issuer)
    assert receipt.events == [gateway.ThresholdChanged(threshold=3)]
    assert gateway.operatorSet() == (3, 3)


def test_a_threshold_one_above_the_operator_count_is_refused(gateway, issuer):
    with reverts(gateway.GatewayInvalidThreshold, threshold=4, operatorCount=3):
        gateway.setThreshold(4, sender=issuer)
    assert gateway.operatorSet() == (3, 2)


def test_removing_an_operator_down_to_the_threshold_is_accepted(gateway, issuer, operators):
    receipt = gateway.removeOperator(operators[2], sender=issuer)
    assert receipt.events == [gateway.OperatorRemoved(operator=operators[2].address, operatorCount=2)]
    assert gateway.operatorSet() == (2, 2)
    assert not gateway.isOperator(operators[2])


def test_removing_an_operator_below_the_threshold_is_refused_and_changes_nothing(gateway, issuer, operators):
    gateway.setThreshold(3, sender=issuer)
    with reverts(gateway.GatewayInvalidThreshold, threshold=3, operatorCount=2):
        gateway.removeOperator(operators[2], sender=issuer)
    assert gateway.operatorSet() == (3, 3)
    assert gateway.isOperator(operators[2])


def test_deployment_refuses_a_duplicate_operator(project, gateway, issuer, operators):
    with reverts(gateway.GatewayOperatorAlreadySet, operator=operators[0].address, isOperator=True):
        deploy_gateway(project, issuer, [operators[0], operators[1], operators[0]], 2)


def test_deployment_refuses_a_threshold_above_the_operator_count(project, gateway, issuer, operators):
    with reverts(gateway.GatewayInvalidThreshold, threshold=3, operatorCount=2):
        deploy_gateway(project, issuer, operators[:2], 3)


def test_deployment_refuses_a_zero_threshold(project, gateway, issuer, operators):
    with reverts(gateway.GatewayInvalidThreshold, threshold=0, operatorCount=3):
        deploy_gateway(project, issuer, operators, 0)
