"""Funds: a funder's staff make funds with their rules, put money in and give people entitlements."""
