"""`wendbaar funding allocate ROUND` (the draw of a closed round), `wendbaar funding check` (the ledger),
`wendbaar funding rollup [--rebuild]` (the participation monitor's rollup), and a fund's staff's own work:
`fund-create --as USER --from FILE.json`, `money --as USER FUND AMOUNT --key KEY` and
`grant --as USER FUND PERSON AMOUNT --key KEY`. The rules are the services' (`create_fund`, `add_money`, `grant`);
an error names the field (and in a file its line), and nothing is written then."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError as InputError

from wendbaar.funding import services as ledger
from wendbaar.funding.allocation import lottery
from wendbaar.funding.allocation import services as allocation
from wendbaar.funding.funds import services
from wendbaar.funding.funds.api import FundCreateSerializer, GrantSerializer, MoneySerializer
from wendbaar.funding.funds.fund_file import FileRefused, FundInFile, read_funds
from wendbaar.funding.models import ApplicationOutcome, Fund, Round
from wendbaar.funding.monitor import rollup
from wendbaar.regions.constants import Role
from wendbaar.regions.models import Organisation
from wendbaar.regions.roles import organisation_ids


def _messages(error: Exception) -> dict[str, list[str]]:
    """{field: messages} of a service's or an input check's refusal."""
    if isinstance(error, InputError):
        detail = error.detail if isinstance(error.detail, dict) else {"input": error.detail}
        return {name: _texts(value) for name, value in detail.items()}
    assert isinstance(error, ValidationError)
    return error.message_dict if hasattr(error, "error_dict") else {"input": error.messages}


def _texts(detail: Any) -> list[str]:
    """The messages in DRF's nested detail (a list's item errors come as {index: [...]}), item numbers kept."""
    if isinstance(detail, dict):
        return [f"[{index}] {text}" for index, value in detail.items() for text in _texts(value)]
    if isinstance(detail, list):
        return [text for value in detail for text in _texts(value)]
    return [str(detail)]


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
        create = sub.add_parser("fund-create", help="Make funds with their rules from a JSON file (all or none).")
        create.add_argument(
            "--from", dest="path", type=Path, required=True,
            help="A JSON file: one fund (an object with the API's fields) or a list of them.",
        )  # fmt: skip
        money = sub.add_parser("money", help="Put money into a fund of your organisation (once per key).")
        grant = sub.add_parser("grant", help="Give a person an entitlement from a fund (once per key).")
        grant.add_argument("fund", help="The fund's UUID.")
        grant.add_argument("person", help="The person's user name or e-mail address.")
        money.add_argument("fund", help="The fund's UUID.")
        for command in (create, money, grant):
            command.add_argument("--as", dest="user", required=True, help="Your user name (staff of the fund).")
            command.add_argument("--language", choices=[code for code, _name in settings.LANGUAGES],
                                 default=settings.LANGUAGE_CODE, help="The language of the messages.")  # fmt: skip
        for command in (money, grant):
            command.add_argument("amount_cents", help="The amount in whole cents.")
            command.add_argument("--key", required=True, help="A key for this request; the same key books once.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] in ("fund-create", "money", "grant"):
            with translation.override(options["language"]):
                self._staff_work(options)
            return
        if options["action"] == "rollup":
            if options["rebuild"]:
                rollup.rebuild()
                self.stdout.write("the monitor's rollup is counted again from the table")
            else:
                self.stdout.write(f"{rollup.compact()} pending changes folded into the monitor's rollup")
            return
        if options["action"] == "check":
            problems = ledger.check_ledger()
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
            round = allocation.allocate(round=round)
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

    def _staff_work(self, options: dict[str, Any]) -> None:
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(_("--as: there is nobody with the user name %(name)s.") % {"name": options["user"]})
        try:
            if options["action"] == "fund-create":
                self._create_funds(user, options["path"])
            else:
                self._book(user, options)
        except PermissionDenied as refused:
            raise CommandError(str(refused)) from refused

    def _book(self, user: Any, options: dict[str, Any]) -> None:
        own = Fund.objects.filter(funder_id__in=organisation_ids(user, role=Role.FUND))
        # another organisation's fund is as unknown as one that does not exist
        fund = own.filter(uuid=options["fund"]).first() if _is_uuid(options["fund"]) else None
        if fund is None:
            raise CommandError(_("fund: there is no fund %(fund)s of your organisation.") % {"fund": options["fund"]})
        given = {"amount_cents": options["amount_cents"], "key": options["key"], "person": options.get("person")}
        serializer = (GrantSerializer if options["action"] == "grant" else MoneySerializer)(data=given)
        try:
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
            if options["action"] == "grant":
                person = services.find_person(data["person"])
                booked = services.grant(by=user, fund=fund, person=person, amount_cents=data["amount_cents"],
                                        key=data["key"])  # fmt: skip
            else:
                booked = services.add_money(by=user, fund=fund, amount_cents=data["amount_cents"], key=data["key"])
        except (InputError, ValidationError) as refused:
            lines = [f"{name}: {' '.join(messages)}" for name, messages in _messages(refused).items()]
            raise CommandError("\n".join(lines)) from refused
        self.stdout.write(f"{booked.kind} {booked.uuid} {data['amount_cents']} {fund.uuid} ({fund.name})")

    def _create_funds(self, user: Any, path: Path) -> None:
        try:
            funds = read_funds(path)
        except FileRefused as refused:
            raise CommandError(f"{path}: {refused}") from refused
        errors: list[str] = []
        with transaction.atomic():
            made = []
            for fund in funds:
                try:
                    with transaction.atomic():
                        made.append(self._create_fund(user, fund))
                except (InputError, ValidationError) as refused:
                    for name, messages in _messages(refused).items():
                        errors.append(f"{path}:{fund.line_of(name)}: {name}: {' '.join(messages)}")
            if errors:
                transaction.set_rollback(True)  # all or none: one bad fund keeps the others out too
        if errors:
            raise CommandError("\n".join([*errors, _("Nothing was saved.")]))
        for new in made:
            self.stdout.write(f"{new.uuid}\t{new.name}")

    def _create_fund(self, user: Any, fund: FundInFile) -> Fund:
        given = FundCreateSerializer(data=fund.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        funder = data.pop("funder")
        if funder is None:
            own = list(Organisation.objects.filter(pk__in=organisation_ids(user, role=Role.FUND))[:2])
            if len(own) != 1:
                raise ValidationError({"funder": _("Say for which fund organisation you make this fund.")})
            funder = own[0]
        return services.create_fund(by=user, funder=funder, **data).fund


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True
