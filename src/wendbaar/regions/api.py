"""API of the regions app."""

from wendbaar.api_conventions import Router


def register(router: Router) -> list:
    return []
