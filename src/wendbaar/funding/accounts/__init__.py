"""A person's leerrekening: what they can spend, on what, until when, and what they tell the funds about themselves."""
