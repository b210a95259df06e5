"""What the `ape run` scripts share: click command classes, one-line errors, parameter parsing,
network connection and multi-chain reading."""
