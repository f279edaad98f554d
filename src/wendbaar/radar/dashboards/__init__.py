"""Dashboard pages, figures, charts, the printable report and the indicators API (LLO-Radar part 2)."""
