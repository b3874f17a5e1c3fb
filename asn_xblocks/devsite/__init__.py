"""A development site: the XBlock SDK workbench with the ledger app, LMS-like services and Indonesian first."""
