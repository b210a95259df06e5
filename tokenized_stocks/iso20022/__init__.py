"""ISO 20022 messages in and out of the chain: sese.023/024/025, seev.031/036, semt.002, camt.054."""
