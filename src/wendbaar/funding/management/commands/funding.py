"""`wendbaar funding allocate ROUND` (the draw of a closed round), `wendbaar funding check` (the ledger) and
`wendbaar funding rollup [--rebuild]` (the participation monitor's rollup)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from wendbaar.funding import lottery, services
from wendbaar.funding.models import ApplicationOutcome, Round
from wendbaar.funding.monitor import rollup


class Command(BaseCommand):
    help = "The leerrekening: allocate a closed round by its published rule; check the ledger's invariants."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        allocate = sub.add_parser(
            "allocate", help="Draw a round whose window has closed (done once; repeating shows it)."
        )
        allocate.add_argument("round", help="The round's UUID.")
        sub.add_parser("check", help="Check that the ledger is sound (exit code 1 when not).")
        cells = sub.add_parser("rollup", help="Fold the participation monitor's pending changes into its rollup.")
        cells.add_argument("--rebuild", action="store_true", help="Count the rollup again from the whole table.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "rollup":
            if options["rebuild"]:
                rollup.rebuild()
                self.stdout.write("the monitor's rollup is counted again from the table")
            else:
                self.stdout.write(f"{rollup.compact()} pending changes folded into the monitor's rollup")
            return
        if options["action"] == "check":
            problems = services.check_ledger()
            for problem in problems:
                self.stdout.write(problem)
            if problems:
                raise CommandError(f"{len(problems)} problems in the ledger")
            self.stdout.write("the ledger is sound")
            return
        try:
            round = Round.objects.get(uuid=options["round"])
        except (Round.DoesNotExist, ValidationError) as missing:
            raise CommandError(f"no round {options['round']}") from missing
        try:
            round = services.allocate(round=round)
        except ValidationError as refused:
            raise CommandError(" ".join(refused.messages)) from refused
        applications = round.applications.order_by("rank")
        granted = applications.filter(outcome=ApplicationOutcome.GRANTED).count()
        self.stdout.write(f"round {round.uuid} ({round.name}): {applications.count()} applications, {granted} granted")
        self.stdout.write(
            f"seed {round.seed} (sha256 {lottery.commitment(round.seed)}, published {round.seed_commitment})"
        )
        for application in applications:
            self.stdout.write(
                f"{application.rank}\t{application.uuid}\tgroup {application.priority_group}\t"
                f"{application.ticket}\t{application.outcome}"
            )
