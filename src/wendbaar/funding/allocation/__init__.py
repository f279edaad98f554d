"""Allocation rounds: applications collected in a window, then shared out by a published rule (never first come)."""
