"""Leerrekening: funds, accounts, the double-entry ledger, allocation rounds."""
