"""Models of the passport app."""
