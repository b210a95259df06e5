"""`ape run attestor serve|status`: one gateway operator's attestor (see tokenized_stocks/attestor/).

    ATTESTOR_PASSPHRASE=... ape run attestor serve --keyfile op1.json --db op1.sqlite --port 8601 \
        --watch http://127.0.0.1:8545,0xGatewayA --watch http://127.0.0.1:8546,0xGatewayB
    ape run attestor status --watch http://127.0.0.1:8545,0xGatewayA --watch http://127.0.0.1:8546,0xGatewayB
"""

from tokenized_stocks.cli.attestor import cli

__all__ = ["cli"]
