"""A small hand-written taxonomy (real ESCO URIs and labels) for the engine's unit tests."""

from __future__ import annotations

from wendbaar.engine import Concept

OCC = "http://data.europa.eu/esco/occupation/"
SKILL = "http://data.europa.eu/esco/skill/"
ISCO = "http://data.europa.eu/esco/isco/"

LORRY_DRIVER = OCC + "lorry-driver"
NURSE = OCC + "nurse-responsible-for-general-care"
DEVELOPER = OCC + "software-developer"
BUS_DRIVER = OCC + "bus-driver"
SQL = SKILL + "sql"
DRIVE = SKILL + "drive-heavy-vehicles"
PYTHON = SKILL + "python"
WOUND = SKILL + "perform-wound-care"
PASSENGERS = SKILL + "assist-passengers"
TEAM = SKILL + "work-in-teams"


def concepts() -> list[Concept]:
    return [
        Concept(
            LORRY_DRIVER,
            "occupation",
            {
                "en": ["lorry driver", "truck driver", "HGV driver"],
                "nl": ["vrachtwagenchauffeur", "chauffeur vrachtwagen", "vrachtwagenchauffeuse"],
            },
            essential=(DRIVE,),
            optional=(TEAM,),
        ),
        Concept(
            BUS_DRIVER,
            "occupation",
            {"en": ["bus driver", "coach driver"], "nl": ["buschauffeur", "chauffeur bus"]},
            essential=(DRIVE, PASSENGERS),
        ),
        Concept(
            NURSE,
            "occupation",
            {
                "en": ["nurse responsible for general care", "general nurse"],
                "nl": ["verpleegkundige", "algemeen verpleegkundige", "verpleger"],
            },
            essential=(WOUND,),
            optional=(TEAM,),
        ),
        Concept(
            DEVELOPER,
            "occupation",
            {"en": ["software developer", "programmer"], "nl": ["softwareontwikkelaar", "programmeur"]},
            essential=(SQL, PYTHON),
            optional=(TEAM,),
        ),
        Concept(DRIVE, "skill", {"en": ["drive heavy vehicles", "drive lorries"], "nl": ["zware voertuigen besturen"]}),
        Concept(SQL, "skill", {"en": ["SQL", "structured query language"], "nl": ["SQL"]}),
        Concept(PYTHON, "skill", {"en": ["Python (computer programming)", "Python"]}),
        Concept(WOUND, "skill", {"en": ["perform wound care", "care for wounds"], "nl": ["wondzorg uitvoeren"]}),
        Concept(PASSENGERS, "skill", {"en": ["assist passengers"], "nl": ["passagiers helpen"]}),
        Concept(TEAM, "skill", {"en": ["work in teams", "teamwork"], "nl": ["in teams werken", "samenwerken"]}),
        Concept(
            ISCO + "C8332", "isco_group", {"en": ["Heavy truck and lorry drivers"], "nl": ["Vrachtwagenchauffeurs"]}
        ),
    ]
