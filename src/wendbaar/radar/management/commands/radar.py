"""`wendbaar radar ingest|enrich|synthesize|postcodes|status|runs|retry`: the vacancy pipeline from the shell."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wendbaar.radar.pipeline import enrichment, ingesting, services
from wendbaar.radar.pipeline import runs as run_life
from wendbaar.radar.synthetic import vacancies as synthetic
from wendbaar.regions.models import Municipality

CHUNK_HELP = (
    f"vacancies per task (default {enrichment.CHUNK_SIZE} on a local pool, {enrichment.DASK_CHUNK_SIZE} on Dask, "
    "where each task costs the scheduler and driver more)"
)


def concepts_from_file(path: Path) -> list[Any]:
    """Read concepts from a JSON file {"concepts": [{uri, kind, labels, descriptions, essential}, …]}."""
    from wendbaar.engine import Concept

    data = json.loads(path.read_text(encoding="utf-8"))
    fields = ("uri", "kind", "labels", "descriptions", "essential", "optional")
    return [Concept(**{k: v for k, v in item.items() if k in fields}) for item in data["concepts"]]


def taxonomy_concepts() -> list[Any]:
    """Return the concepts of the taxonomy in the database, through the skills app."""
    try:
        from wendbaar.skills.services import engine_concepts  # type: ignore[attr-defined]
    except ImportError as exc:
        raise CommandError("the skills app cannot give concepts yet; pass --taxonomy FILE") from exc
    return list(engine_concepts())


SEMANTIC_HELP = (
    "read by meaning too (the engine's semantic layer: skills named in other words or only in English); "
    "costs about 1 s of CPU per 300-word vacancy against 3 ms by words (docs/scaling.md)"
)


class Command(BaseCommand):
    help = "LLO-Radar pipeline: ingest vacancy files, enrich them, write synthetic vacancies, load postcodes."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        ingest = sub.add_parser("ingest", help="read CSV, JSON Lines, JSON-LD or HTML vacancy files as one run")
        ingest.add_argument("files", nargs="+", type=Path)
        ingest.add_argument(
            "--skip-invalid", action="store_true", help="store the good rows; write bad ones to rejects.csv"
        )
        ingest.add_argument("--source", default=None, help="source name for rows without one")
        ingest.add_argument(
            "--enrich", action="store_true", help="enrich the new vacancies while reading; store them enriched"
        )
        ingest.add_argument("--scheduler", default=None, help="with --enrich: Dask scheduler address tcp://HOST:PORT")
        ingest.add_argument("--workers", type=int, default=None, help="with --enrich: local processes (0: this one)")
        ingest.add_argument("--chunk-size", type=int, default=None, help=CHUNK_HELP)
        ingest.add_argument("--semantic", action="store_true", help="with --enrich: " + SEMANTIC_HELP)

        enrich = sub.add_parser("enrich", help="link vacancies to occupations and skills")
        enrich.add_argument("--all", action="store_true", help="re-enrich everything, not only what changed")
        enrich.add_argument("--scheduler", default=None, help="Dask scheduler address tcp://HOST:PORT")
        enrich.add_argument("--workers", type=int, default=None, help="local processes (0: in this process)")
        enrich.add_argument("--chunk-size", type=int, default=None, help=CHUNK_HELP)
        enrich.add_argument("--semantic", action="store_true", help=SEMANTIC_HELP)

        synth = sub.add_parser("synthesize", help="write synthetic demo vacancies (CSV or JSONL)")
        synth.add_argument("--region", required=True)
        synth.add_argument("--start", required=True, help="first month, YYYY-MM")
        synth.add_argument("--months", type=int, default=36)
        synth.add_argument("--count", type=int, default=10_000)
        synth.add_argument("--out", type=Path, required=True)
        synth.add_argument("--seed", type=int, default=1)
        synth.add_argument("--english-share", type=float, default=0.1)
        synth.add_argument("--words", type=int, default=0, help="pad texts to about this many words")
        synth.add_argument("--max-occupations", type=int, default=None)
        synth.add_argument("--taxonomy", type=Path, default=None, help="concepts JSON instead of the database")

        postcodes = sub.add_parser("postcodes", help="load a PC4 -> municipality CSV (columns pc4, municipality)")
        postcodes.add_argument("file", type=Path)

        sub.add_parser("status", help="show the store's size and the last runs")

        runs = sub.add_parser("runs", help="list runs, newest first (stalled: running without a recent heartbeat)")
        show = runs.add_mutually_exclusive_group()
        show.add_argument("--stalled", action="store_true", help="only running runs whose worker gave no sign of life")
        show.add_argument("--failed", action="store_true", help="only failed runs")
        runs.add_argument("--limit", type=int, default=20)

        retry = sub.add_parser("retry", help="queue a failed or stalled upload again with its kept files")
        retry.add_argument("run_id", help="the run's uuid (as `radar runs` shows it)")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        getattr(self, f"_{action}")(**options)

    def _ingest(self, *, files: list[Path], skip_invalid: bool, source: str | None, enrich: bool, workers: int | None,
                scheduler: str | None, chunk_size: int | None, semantic: bool = False, **_: Any) -> None:  # fmt: skip
        missing = [str(f) for f in files if not f.is_file()]
        if missing:
            raise CommandError(f"file not found: {', '.join(missing)}")
        if semantic and not enrich:
            raise CommandError(
                "--semantic reads while enriching: add --enrich (or run `radar enrich --semantic` later)"
            )
        try:
            run = ingesting.ingest_files(
                files=files, source=source, skip_invalid=skip_invalid, enrich=enrich, workers=workers,
                scheduler=scheduler, chunk_size=chunk_size, semantic=semantic,
            )  # fmt: skip
        except (FileNotFoundError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        except ingesting.IngestRefused as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            wrong_rows = len({(error.file, error.line) for error in exc.errors if error.line})
            run = exc.run
            raise CommandError(
                f"refused: {len(exc.errors)} error(s) in {wrong_rows} row(s); nothing was stored "
                f"(run {run.uuid}: read {run.read}, accepted {run.accepted}, duplicates {run.duplicates}, "
                f"rejected {run.rejected}; use --skip-invalid to store the good rows)"
            ) from exc
        self.stdout.write(
            f"run {run.uuid}: read {run.read}, accepted {run.accepted}, "
            f"duplicates {run.duplicates}, rejected {run.rejected}"
        )
        if run.rejects_file:
            self.stdout.write(f"rejected rows and reasons: {run.rejects_file}")
        if enrich:
            self.stdout.write(
                f"enriched {run.enriched} new vacancies with {run.engine_version} "
                f"(taxonomy {run.taxonomy_version or '-'}) on {run.executor}"
            )

    def _enrich(
        self, *, all: bool, scheduler: str | None, workers: int | None, chunk_size: int | None,  # noqa: A002
        semantic: bool = False, **_: Any,
    ) -> None:  # fmt: skip
        try:
            run = enrichment.enrich_store(
                everything=all, workers=workers, scheduler=scheduler, chunk_size=chunk_size, semantic=semantic
            )
        except (FileNotFoundError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"run {run.uuid}: enriched {run.enriched} vacancies with {run.engine_version} "
            f"(taxonomy {run.taxonomy_version or '-'}) on {run.executor}"
        )

    def _synthesize(self, *, region: str, start: str, months: int, count: int, out: Path, seed: int,
                    english_share: float, words: int, max_occupations: int | None, taxonomy: Path | None,
                    **_: Any) -> None:  # fmt: skip
        concepts = concepts_from_file(taxonomy) if taxonomy else taxonomy_concepts()
        places = list(Municipality.objects.filter(region__code=region).values_list("name", flat=True))
        try:
            generator = synthetic.Generator(
                synthetic.occupations_from(concepts), places, region=region, start=start, months=months,
                seed=seed, english_share=english_share, words=words, max_occupations=max_occupations,
            )  # fmt: skip
            records, truth = generator.generate(count)
            sidecar = synthetic.write(records, truth, out)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"wrote {len(records)} synthetic vacancies to {out} (planted trends: {sidecar})")

    def _postcodes(self, *, file: Path, **_: Any) -> None:
        if not file.is_file():
            raise CommandError(f"file not found: {file}")
        try:
            changed = ingesting.import_postcodes(path=file)
        except ValueError as exc:
            raise CommandError(f"{exc}\n(nothing was imported)") from exc
        self.stdout.write(f"postcodes created or changed: {changed}")

    def _runs(self, *, stalled: bool, failed: bool, limit: int, **_: Any) -> None:
        from wendbaar.radar.models import Run

        if stalled:
            runs = run_life.stalled_runs()[:limit]
        else:
            query = Run.objects.filter(status=Run.Status.FAILED) if failed else Run.objects.all()
            runs = list(query[:limit])
        for run in runs:
            beat = f"{run.heartbeat_at:%Y-%m-%d %H:%M:%S}" if run.heartbeat_at else "-"
            state = "stalled" if run_life.is_stalled(run) else run.status
            self.stdout.write(
                f"{run.uuid} {run.started_at:%Y-%m-%d %H:%M} {run.kind:7} {state:9} attempt {run.attempts} "
                f"heartbeat {beat} read {run.read} accepted {run.accepted} enriched {run.enriched}"
                + (f" failure: {run.failure.splitlines()[0]}" if run.failure else "")
            )
        if not runs:
            self.stdout.write("no runs")

    def _retry(self, *, run_id: str, **_: Any) -> None:
        from django.core.exceptions import ValidationError

        from wendbaar.radar.models import Run

        try:
            run = Run.objects.get(uuid=run_id)
        except (Run.DoesNotExist, ValidationError) as exc:
            raise CommandError(f"no run {run_id}") from exc
        try:
            run = services.retry_run(run)
        except services.RetryRefused as exc:
            raise CommandError(f"run {run.uuid} ({run.status}) cannot be retried: {exc.message}") from exc
        self.stdout.write(f"run {run.uuid}: attempt {run.attempts} is {run.status} (task {run.task_id or '-'})")

    def _status(self, **_: Any) -> None:
        from wendbaar.radar.models import Run

        summary = enrichment.store_summary()
        self.stdout.write(json.dumps(summary, indent=1))
        for run in Run.objects.all()[:10]:
            self.stdout.write(
                f"{run.started_at:%Y-%m-%d %H:%M} {run.kind:7} {run.status:9} read {run.read} accepted {run.accepted} "
                f"dup {run.duplicates} rejected {run.rejected} enriched {run.enriched}"
            )
