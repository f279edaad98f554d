"""`wendbaar engine build`, `wendbaar engine link "…" [--kind …] [--text FILE]`, `wendbaar engine extract FILE`."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from wendbaar.skills import services


class Command(BaseCommand):
    help = "Build the skills engine from the taxonomy, link a title to concepts, or extract skills from a text."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        build = sub.add_parser("build", help="Build the engine from the database and save it to ENGINE_PATH.")
        build.add_argument("--path", type=Path, default=None)
        link = sub.add_parser("link", help="Link a title to ESCO concepts.")
        link.add_argument("title")
        link.add_argument("--kind", default="occupation", choices=["occupation", "skill", "isco_group", "any"])
        link.add_argument("--text", type=Path, help="A file with the vacancy text, used as context.")
        link.add_argument("-k", type=int, default=10)
        extract = sub.add_parser("extract", help="Find ESCO skills in a text file.")
        extract.add_argument("file", type=Path)
        extract.add_argument("-k", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "build":
            path = options["path"] or Path(settings.ENGINE_PATH)
            started = time.perf_counter()
            engine = services.build_engine(path=path)
            self.stdout.write(
                self.style.SUCCESS(
                    f"Built {engine.fingerprint}: {engine.concept_count} concepts, {engine.label_count} labels "
                    f"in {time.perf_counter() - started:.1f} s; saved to {path}"
                )
            )
            return
        engine = services.get_engine()
        if action == "link":
            text = _read(options["text"]) if options["text"] else None
            kind = None if options["kind"] == "any" else options["kind"]
            for match in engine.link(options["title"], text=text, kind=kind, k=options["k"]):
                self.stdout.write(f"{match.score:7.3f}  {match.label}  <{match.uri}>  [{'; '.join(match.evidence)}]")
        else:
            text = _read(options["file"])
            for skill in engine.extract_skills(text, k=options["k"]):
                spans = ", ".join(repr(text[s:e]) for s, e in skill.spans[:3])
                self.stdout.write(f"{skill.score:7.3f}  {skill.label}  <{skill.uri}>  spans: {spans}")


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"{path}: cannot read as UTF-8 text ({exc})") from exc
