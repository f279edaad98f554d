"""Runs, sessions, enrolments, attendance, completion."""
