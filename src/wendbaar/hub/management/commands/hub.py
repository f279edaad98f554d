"""`wendbaar hub reindex` (rewrite search terms, optionally re-reading skills) and `wendbaar hub late`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from wendbaar.hub import indexing
from wendbaar.hub.constants import CLOSED_ACTION_STATUSES
from wendbaar.hub.models import Action, Initiative, Profile


class Command(BaseCommand):
    help = "The knowledge hub: rebuild search terms; list late agenda actions."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        reindex = sub.add_parser("reindex", help="Write the search and matchmaking terms anew.")
        reindex.add_argument(
            "--skills", action="store_true", help="Also let the skills engine read the texts again (new taxonomy)."
        )
        late = sub.add_parser("late", help="List the actions past their deadline, with their owner.")
        late.add_argument("--region", default="", help="CBS code of one region, e.g. AM22")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "reindex":
            count = 0
            for initiative in Initiative.objects.select_related("region").iterator():
                indexing.index_initiative(initiative, read_skills=options["skills"])
                count += 1
            people = 0
            for profile in Profile.objects.select_related("region").iterator():
                indexing.index_profile(profile, read_skills=options["skills"])
                people += profile.findable
            self.stdout.write(f"reindexed {count} initiatives and {people} findable cards")
            return
        actions = Action.objects.filter(deadline__lt=timezone.localdate()).exclude(status__in=CLOSED_ACTION_STATUSES)
        if options["region"]:
            actions = actions.filter(region__code=options["region"])
        for action in actions.select_related("region", "owner", "owner_organisation").order_by(
            "region__code", "deadline"
        ):
            owner = action.owner.get_full_name() or action.owner.get_username()
            self.stdout.write(
                f"{action.region.code}\t{action.deadline}\t{owner} ({action.owner_organisation})\t{action.title}"
            )
