"""Models of the funding app."""
