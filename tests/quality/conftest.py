from tests.web.world import demo_world  # noqa: F401
