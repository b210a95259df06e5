"""A reference traditional register (a CSD or transfer agent's book) that talks ISO 20022."""
