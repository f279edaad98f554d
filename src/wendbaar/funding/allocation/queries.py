"""Read-only views of the allocation rounds: an applicant's outcome explained."""

from __future__ import annotations

from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from wendbaar.funding.models import ApplicationOutcome, RoundRule
from wendbaar.funding.templatetags.money import euro


def explain_application(application: Any) -> list[str]:
    """The outcome of a round for one applicant, in short sentences (B1), with how to check the draw."""
    round = application.round
    closes = formats.date_format(timezone.localtime(round.closes_at), "j F Y H:i")
    seats = round.budget_cents // round.amount_per_person_cents
    lines = [str(_("When you applied does not matter. Only the draw decides."))]
    if application.outcome == ApplicationOutcome.WAITING:
        lines.append(str(_("The draw is after %(moment)s.") % {"moment": closes}))
        return lines
    total = round.applications.count()
    lines.append(
        str(_("There was money for %(seats)s people. %(total)s people applied.") % {"seats": seats, "total": total})
    )
    if round.rule == RoundRule.PRIORITY_THEN_LOTTERY:
        lines.append(str(_("People without a startkwalificatie went first. Then the lottery decided.")))
        group = _("first") if application.priority_group == 0 else _("second")
        lines.append(str(_("You were in the %(group)s group.") % {"group": group}))
    lines.append(str(_("Your place in the draw: %(rank)s.") % {"rank": application.rank}))
    if application.outcome == ApplicationOutcome.GRANTED:
        lines.append(
            str(_("You get %(amount)s in your learning account.") % {"amount": euro(round.amount_per_person_cents)})
        )
    elif application.outcome == ApplicationOutcome.REFUSED:
        lines.append(str(_("The fund could not give you the money: %(reason)s") % {"reason": application.reason}))
    else:
        lines.append(str(_("Your place was too low. You get no money this time.")))
    return lines
