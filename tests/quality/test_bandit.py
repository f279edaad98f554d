"""bandit over src/: every finding is fixed or justified where it stands.

A finding is justified by a `# noqa: S<nnn> - reason` (ruff's flake8-bandit code, with a reason) or
`# nosec <id> - reason` on its lines, or by an entry below for code owned by others that says why
(the radar's DuckDB queries: identifiers from our own code, values bound as `?` parameters).
Skipped tests, for the whole tree: B101 (asserts narrow types; no access check relies on them), B311
(`random` only in the synthetic data generator and load scripts), B403/B404 (importing pickle or
subprocess is not itself a finding; each use is checked as B301/B603).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SKIPPED = "B101,B311,B403,B404"
JUSTIFIED_COMMENT = re.compile(r"#\s*(noqa:\s*S\d+|nosec\b[^#]*)\s*(-|—)\s*\w+")

# test id -> first line of the flagged statement (stripped): why it is safe.
JUSTIFIED: dict[tuple[str, str], str] = {
    **{
        ("B608", line): "DuckDB over our own Parquet store: identifiers come from code, values are ? parameters"
        for line in (
            'f"SELECT month, count(*) FROM vacancies WHERE month BETWEEN ? AND ?{where} GROUP BY 1",',
            '"SELECT month, count(*) FROM vacancy_skills "',
            '"SELECT substr(isco_code, 1, 4), count(*) FROM vacancy_skills "',
            'f"SELECT count(*) FROM vacancies WHERE month BETWEEN ? AND ?{where}", [first, last, *params]',
            '"SELECT vacancy_id, title, employer_name, region_code, CAST(posted_date AS VARCHAR), isco_code, '
            'occupation_uri "',
            "\"SELECT vacancy_id, title, coalesce(description, '') FROM vacancies WHERE month = ?\" + stale,",
            'f"SELECT month, {group_expression(level)} AS grp, count(*) AS n FROM {table} "',
            'f"SELECT month, count(*) AS n FROM vacancies WHERE month BETWEEN ? AND ?{where} GROUP BY ALL",',
            '"SELECT count(*) FILTER (WHERE month > ?), count(*) FILTER (WHERE month <= ?) FROM vacancies "',
            '"SELECT skill_uri, count(*) FILTER (WHERE month > ?) AS now, '
            'count(*) FILTER (WHERE month <= ?) AS before "',
            'f"SELECT {quarter} AS q, count(*) FROM vacancies WHERE month BETWEEN ? AND ?{where} GROUP BY 1",',
            'f"SELECT {quarter} AS q, c.collection, count(DISTINCT s.vacancy_id) FROM vacancy_skills s "',
            'f"SELECT count(*) FROM vacancies WHERE month BETWEEN ? AND ?{where}", [first, end, *params]',
            'f"""',
            "return f\"CREATE OR REPLACE VIEW {name} AS SELECT {', '.join(parts)}, {schema.PARTITION} FROM {source}\"",
            'sql = "INSERT INTO {} ({}) VALUES ({})".format(',
        )
    },
    ("B105", 'SECRET_KEY = "wendbaar-development-key-not-for-production"  # development only'): (
        "the development key; production mode refuses to start without WENDBAAR_SECRET_KEY"
    ),
}


def bandit(paths: list[Path]) -> list[dict]:
    done = subprocess.run(  # noqa: S603 - fixed argv
        [str(Path(sys.executable).parent / "bandit"), "-q", "-r", *map(str, paths), "-x", "*/locale/*",
         "-s", SKIPPED, "-f", "json"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    return json.loads(done.stdout)["results"]


def unjustified(findings: list[dict]) -> list[str]:
    """Return the findings with neither a justifying comment on their lines nor an entry in JUSTIFIED."""
    wrong = []
    for finding in findings:
        lines = Path(finding["filename"]).read_text(encoding="utf-8").splitlines()
        span = range(min(finding["line_range"]) - 1, max(finding["line_range"]))
        if any(JUSTIFIED_COMMENT.search(lines[i]) for i in span if i < len(lines)):
            continue
        first = lines[finding["line_number"] - 1].strip()
        if (finding["test_id"], first) in JUSTIFIED:
            continue
        wrong.append(f"{finding['filename']}:{finding['line_number']} {finding['test_id']} {finding['issue_text']}")
    return wrong


@pytest.mark.slow
def test_bandit_is_clean_or_justified() -> None:
    wrong = unjustified(bandit([ROOT / "src"]))
    assert not wrong, "fix these or justify them where they stand:\n" + "\n".join(wrong)


@pytest.mark.slow
def test_the_bandit_gate_fails_on_a_planted_finding(tmp_path: Path) -> None:
    planted = tmp_path / "planted.py"
    planted.write_text("import subprocess\n\n\ndef run(cmd):\n    return subprocess.call(cmd, shell=True)\n")
    wrong = unjustified(bandit([planted]))
    assert any("B602" in w for w in wrong), wrong
