"""What every asn block shares, written once."""
