"""Models of the demand app."""
