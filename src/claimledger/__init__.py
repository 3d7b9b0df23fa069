"""claimledger: a ledger of claims in conflict reporting."""

__version__ = "0.1.0"
