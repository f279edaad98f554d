"""The test run works in its own var directory, never in the developer's."""

from django.conf import settings

from wendbaar import conf


def test_tests_never_write_to_the_project_var_directory() -> None:
    project_var = conf.PROJECT_ROOT / "var"
    for path in (settings.VAR_DIR, settings.STORE_DIR, settings.ENGINE_PATH):
        assert project_var not in path.parents and path != project_var, path
