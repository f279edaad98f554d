"""Resolve the hand-chosen ESCO skill labels of skills-nl-source.txt to URIs (v1.1.1, English).

    python bench/data/resolve_skills.py       # writes bench/data/skills-nl.tsv

The source has one block per sector (``# sector``) and one line per sentence:
``sentence || label; label``. Labels are ESCO preferred labels (or alternative labels, then
mapped to their concept); a label that is not in ESCO stops the script with close suggestions.
Sentences alternate between the halves ``tune`` and
``report`` within each sector, so both halves cover every sector.
"""

from __future__ import annotations

import csv
import difflib
import io
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def main() -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from _engine_data import shared_data

    with zipfile.ZipFile(shared_data() / "esco" / "v1.1.1" / "esco-v1.1.1-classification-en-csv.zip") as zf:
        rows = list(csv.DictReader(io.TextIOWrapper(zf.open("skills_en.csv"), encoding="utf-8")))
    preferred = {r["preferredLabel"].strip().lower(): r["conceptUri"] for r in rows}
    alternative: dict[str, str] = {}
    for r in rows:
        for alt in r["altLabels"].splitlines():
            alternative.setdefault(alt.strip().lower(), r["conceptUri"])
    pref_of = {r["conceptUri"]: r["preferredLabel"] for r in rows}
    out = []
    missing = []
    sector = ""
    count: dict[str, int] = {}
    for line in (HERE / "skills-nl-source.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("#"):
            sector = line.lstrip("# ").strip()
            continue
        sentence, _, labels = line.partition("||")
        uris = []
        for label in [x.strip() for x in labels.split(";") if x.strip()]:
            uri = preferred.get(label.lower()) or alternative.get(label.lower())
            if uri is None:
                close = difflib.get_close_matches(label.lower(), list(preferred), n=4, cutoff=0.6)
                missing.append(f"{label!r} ({sentence.strip()[:40]}…): {close}")
                continue
            uris.append(uri)
        count[sector] = count.get(sector, 0) + 1
        half = "tune" if count[sector] % 2 else "report"
        uris = list(dict.fromkeys(uris))
        skills = "; ".join(pref_of[u] for u in uris)
        out.append([f"s{len(out) + 1:03d}", sector, half, sentence.strip(), skills, " ".join(uris)])
    if missing:
        print("\n".join(missing))
        sys.exit(f"{len(missing)} labels not in ESCO v1.1.1")
    with open(HERE / "skills-nl.tsv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        w.writerow(["id", "sector", "half", "sentence", "skills", "uris"])
        w.writerows(out)
    print(f"{len(out)} sentences, {len(count)} sectors: {count}")


if __name__ == "__main__":
    main()
