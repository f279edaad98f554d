"""Synthetic vacancies for demos, tests and benchmarks, and planted patterns to check the indicators against."""
