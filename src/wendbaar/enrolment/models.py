"""Models of the enrolment app."""
