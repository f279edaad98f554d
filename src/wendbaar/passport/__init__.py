"""A person's skills passport: skills with evidence, verifiable credentials, EVC, consent to share."""
