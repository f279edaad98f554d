"""CSV import of demand: refused whole with file/line/field, or --skip-invalid with a rejects file."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.demand.conftest import WELDING, WELDING_TECHNIQUES
from wendbaar.demand.models import Demand

pytestmark = pytest.mark.django_db

GOOD = (
    "people,municipality,earliest_start,latest_end,skills,times\n"
    f"3,GM0599,2027-01-01,2027-06-30,{WELDING} {WELDING_TECHNIQUES},evening\n"
)
BAD = "0,Brussel,2027-06-01,2027-01-01,http://nope,\n"


def test_a_bad_row_refuses_the_whole_file(tmp_path: Path, taxonomy, places, employers) -> None:
    path = tmp_path / "vraag.csv"
    path.write_text(GOOD + BAD, encoding="utf-8")
    with pytest.raises(CommandError) as info:
        call_command("demand", "import", str(path), "--organisation", employers[0].name)
    message = str(info.value)
    assert f"{path}:3: field 'people'" in message and f"{path}:3: field 'municipality'" in message
    assert Demand.objects.count() == 0


def test_skip_invalid_loads_the_rest_and_writes_rejects(tmp_path: Path, taxonomy, places, employers) -> None:
    path = tmp_path / "vraag.csv"
    path.write_text(GOOD + BAD, encoding="utf-8")
    rejects = tmp_path / "afgewezen.csv"
    call_command("demand", "import", str(path), "--organisation", employers[0].name, "--skip-invalid",
                 "--rejects", str(rejects))  # fmt: skip
    assert Demand.objects.count() == 1
    lines = rejects.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "file,line,field,reason" and all(line.startswith(f"{path},3,") for line in lines[1:])


def test_missing_columns_are_named(tmp_path: Path, taxonomy, places, employers) -> None:
    path = tmp_path / "vraag.csv"
    path.write_text("people,skills\n3,x\n", encoding="utf-8")
    with pytest.raises(CommandError, match="missing column"):
        call_command("demand", "import", str(path), "--organisation", employers[0].name)


def test_pool_command(taxonomy, places, employers) -> None:
    from io import StringIO

    out = StringIO()
    call_command("demand", "pool", stdout=out)
    assert "pooled 0 demands" in out.getvalue()
