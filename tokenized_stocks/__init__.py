"""Python tooling for the tokenized-stock suite (codec, signing, manifests, relayer state)."""

__all__ = ["__version__"]
__version__ = "0.1.0"
