"""Models of the radar app."""
