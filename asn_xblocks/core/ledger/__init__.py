"""The result ledger: an append-only record of every submitted attempt, read by reports."""
