"""The training evaluation block (`asn_evaluation`): before, reaction and follow-up surveys stored
anonymously in the result ledger, and the course's monitoring-and-evaluation dashboard for staff."""
