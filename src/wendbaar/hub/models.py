"""Models of the hub app."""
