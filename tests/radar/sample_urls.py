"""Sample URL kwargs for the role matrix (see tests/web/role_matrix.py): the radar's pages."""

SAMPLE_URLS = {
    "radar:dashboard": lambda world: {"region": "AM22"},
    "radar:occupation": lambda world: {"region": "AM22", "group": "4"},
    "radar:skill": lambda world: {"region": "AM22"},
    "radar:report": lambda world: {"region": "AM22"},
    "radar:report-pdf": lambda world: {"region": "AM22"},
}
