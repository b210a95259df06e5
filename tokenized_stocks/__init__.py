"""Python tooling for the tokenized-stock suite.

Layers (imports point one way; `tests/unit/toolchain/test_import_layers.py` enforces it):
    protocol  <-  deploy, relayer, keeper, reconcile  <-  cli, devtools
"""

__all__ = ["__version__"]
__version__ = "0.1.0"
