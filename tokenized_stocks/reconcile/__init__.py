"""Reconciliation: the pure model (`model`), reading chains (`read`) and rendering (`render`)."""
