"""Pure twins of the contracts: message codec, quotes, trades and payment confirmations, roles,
enums, identity, multiplier arithmetic. No ape, no RPC, and no import of any other part of the package."""
