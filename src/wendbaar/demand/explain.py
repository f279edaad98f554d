"""B1-level sentences that explain pools, matches and gaps (Dutch through gettext)."""

from __future__ import annotations

import datetime as dt

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wendbaar.catalogue.models import Run
from wendbaar.demand.matching import Match
from wendbaar.demand.models import Pool, PoolStatus, Weekday

TIME_WORDS = {
    "daytime": lambda: _("during the day"),
    "evening": lambda: _("in the evening"),
    "weekend": lambda: _("at the weekend"),
    "workplace": lambda: _("at the workplace"),
}


def _date(value: dt.date | None) -> str:
    return formats.date_format(value, "j F Y") if value else "?"


def pool_sentence(pool: Pool) -> str:
    """Return what a pool is in one or two short sentences."""
    people = ngettext("%(n)s person", "%(n)s people", pool.people) % {"n": pool.people}
    organisations = ngettext("%(n)s organisation", "%(n)s organisations", pool.organisations) % {
        "n": pool.organisations
    }
    text = _("A group of %(people)s from %(organisations)s.") % {"people": people, "organisations": organisations}
    if pool.status == PoolStatus.INVITED and pool.invited_run is not None:
        run = pool.invited_run
        text += " " + _("%(provider)s invites the group to %(title)s, starting %(date)s.") % {
            "provider": run.offering.provider.name,
            "title": run.offering.title_nl,
            "date": _date(run.start_date),
        }
    elif pool.viable:
        text += " " + _("The group is big enough to start a class (at least %(n)s people).") % {"n": pool.min_group}
    else:
        missing = max(pool.min_group - pool.people, 0)
        text += " " + ngettext(
            "It needs %(n)s more person to start.", "It needs %(n)s more people to start.", missing
        ) % {"n": missing}
    if pool.cross_region:
        text += " " + _("The group spans more than one region: %(regions)s.") % {
            "regions": ", ".join(pool.region_codes)
        }
    return text


def pool_reasons(pool: Pool, labels: dict[str, str]) -> list[str]:
    """Return why these demands are together: shared skills, the common window, times and the farthest distance."""
    explanation = pool.explanation or {}
    skills = [labels.get(uri, uri) for uri in explanation.get("shared_skills", pool.skills)]
    reasons = [_("They all ask for: %(skills)s.") % {"skills": ", ".join(skills[:8])}]
    if pool.window_start and pool.window_end:
        reasons.append(
            _("They can all learn between %(start)s and %(end)s.")
            % {"start": _date(pool.window_start), "end": _date(pool.window_end)}
        )
    times = [TIME_WORDS[t]() for t in pool.times if t in TIME_WORDS]
    if times and len(times) < len(TIME_WORDS):
        reasons.append(_("They can all learn %(times)s.") % {"times": _(" or ").join(times)})
    if pool.weekdays:
        days = [str(Weekday(d).label) for d in sorted(pool.weekdays)]
        reasons.append(_("They can all learn on %(days)s.") % {"days": _(" or ").join(days)})
    reasons.append(
        _("The workplaces are at most %(km)s km apart.") % {"km": formats.number_format(pool.farthest_km, 1)}
    )
    return reasons


PART_LABELS = {
    "skills": lambda: _("Skills"),
    "dates": lambda: _("Dates"),
    "times": lambda: _("Time of day"),
    "days": lambda: _("Days"),
    "distance": lambda: _("Distance"),
    "price": lambda: _("Price"),
    "funding": lambda: _("Funding"),
    "seats": lambda: _("Seats"),
}


def labelled_parts(parts: dict[str, float]) -> list[tuple[str, float]]:
    """Return the score parts with their names in the user's language, in a fixed order."""
    return [(PART_LABELS[name](), parts[name]) for name in PART_LABELS if name in parts]


NOTES = {
    "all_skills": lambda m: _("It teaches all the skills you ask for."),
    "some_skills": lambda m: (
        _("It teaches %(covered)s of the %(total)s skills you ask for.")
        % {"covered": len(m.covered), "total": len(m.covered) + len(m.missing)}
    ),
    "in_window": lambda m: _("A run fits in your time window."),
    "outside_window": lambda m: _("No run fits in your time window."),
    "other_times": lambda m: _("It meets at other times than you prefer."),
    "other_days": lambda m: _("It meets on other days than you prefer."),
    "too_far": lambda m: _("It is further away than your people can travel."),
    "over_budget": lambda m: _("It costs more than your budget per person."),
    "too_few_seats": lambda m: _("There are fewer seats than people."),
    "funding": lambda m: _("A fund can pay for it."),
}


def match_sentence(match: Match, run: Run | None) -> str:
    """Return a match's explanation in short sentences."""
    parts = [NOTES[note](match) for note in match.notes if note in NOTES]
    if run is not None:
        parts.append(_("The best run starts on %(date)s.") % {"date": _date(run.start_date)})
    return " ".join(parts)
