"""Dutch (B1) translations of the regions and web strings, filled into nl/LC_MESSAGES/django.po.

Run `python src/wendbaar/locale/translations_nl.py` after `wendbaar makemessages -l nl`: it fills
empty msgstr entries only, so translations made by hand in the .po file are kept. Guesses that
msgmerge marked fuzzy are not translations: they are emptied first (and filled where we know better).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

NL: dict[str, str | tuple[str, str]] = {
    # regions: actor types, sizes, sectors, roles
    "Kind": "Soort",
    "Government": "Overheid",
    "Employer": "Werkgever",
    "Employee organisation": "Werknemersorganisatie",
    "Education provider": "Opleider",
    "O&O fund": "O&O-fonds",
    "Intermediary (e.g. leerwerkloket)": "Intermediair (bijvoorbeeld leerwerkloket)",
    "1–9 employees": "1–9 medewerkers",
    "10–49 employees": "10–49 medewerkers",
    "50–249 employees": "50–249 medewerkers",
    "250 or more employees": "250 of meer medewerkers",
    "Agriculture, forestry and fishing": "Landbouw, bosbouw en visserij",
    "Mining and quarrying": "Delfstoffenwinning",
    "Manufacturing": "Industrie",
    "Energy supply": "Energievoorziening",
    "Water supply and waste management": "Waterbedrijven en afvalbeheer",
    "Construction": "Bouw",
    "Wholesale and retail trade": "Groot- en detailhandel",
    "Transportation and storage": "Vervoer en opslag",
    "Accommodation and food service": "Horeca",
    "Information and communication": "Informatie en communicatie",
    "Financial services": "Financiële dienstverlening",
    "Real estate": "Verhuur en handel van onroerend goed",
    "Professional, scientific and technical activities": "Specialistische zakelijke diensten",
    "Administrative and support services": "Verhuur en overige zakelijke diensten",
    "Public administration": "Openbaar bestuur",
    "Education": "Onderwijs",
    "Human health and social work": "Gezondheids- en welzijnszorg",
    "Culture, sports and recreation": "Cultuur, sport en recreatie",
    "Other service activities": "Overige dienstverlening",
    "Households as employers": "Huishoudens als werkgever",
    "Extraterritorial organisations": "Extraterritoriale organisaties",
    "Worker or job seeker": "Werkende of werkzoekende",
    "Regional coordinator": "Regiocoördinator",
    "O&O fund or municipality": "O&O-fonds of gemeente",
    "Administrator": "Beheerder",
    # regions: models and rules
    "A KvK number has exactly 8 digits.": "Een KvK-nummer heeft precies 8 cijfers.",
    "A region code looks like AM22.": "Een regiocode ziet er zo uit: AM22.",
    "name": "naam",
    "KvK number": "KvK-nummer",
    "actor type": "soort organisatie",
    "sector (SBI)": "sector (SBI)",
    "size": "grootte",
    "Choose at least one region.": "Kies minstens één regio.",
    "Unknown region code: %(codes)s.": "Deze regiocode bestaat niet: %(codes)s.",
    "An organisation with this name already exists.": "Er is al een organisatie met deze naam.",
    "An organisation with this KvK number already exists.": "Er is al een organisatie met dit KvK-nummer.",
    "People hold the role %(role)s here; that role does not fit this actor type.":
        "Hier hebben mensen de rol %(role)s. Die rol past niet bij deze soort organisatie.",
    "Unknown role: %(role)s.": "Deze rol bestaat niet: %(role)s.",
    "The role %(role)s is not held at an organisation.": "De rol %(role)s hoort niet bij een organisatie.",
    "The role %(role)s needs an organisation.": "Voor de rol %(role)s is een organisatie nodig.",
    "The role %(role)s is only possible at: %(kinds)s.": "De rol %(role)s kan alleen bij: %(kinds)s.",
    "The role %(role)s needs a region.": "Voor de rol %(role)s is een regio nodig.",
    "The role %(role)s is not held for a region.": "De rol %(role)s hoort niet bij een regio.",
    # regions: pages
    "Sector": "Sector",
    "Size": "Grootte",
    "Regions": "Regio's",
    "People": "Mensen",
    "People with a role at this organisation": "Mensen met een rol bij deze organisatie",
    "Name": "Naam",
    "Role": "Rol",
    "learning ambassador": "leerambassadeur",
    "Nobody has a role at this organisation yet.": "Nog niemand heeft een rol bij deze organisatie.",
    "All regions": "Alle regio's",
    "Region %(name)s": "Regio %(name)s",
    "Labour-market region %(code)s, with %(counter)s municipality.": (
        "Arbeidsmarktregio %(code)s, met %(counter)s gemeente.",
        "Arbeidsmarktregio %(code)s, met %(counter)s gemeenten.",
    ),
    "You are a coordinator of this region.": "Jij bent coördinator van deze regio.",
    "Outline of region %(name)s": "Vorm van de regio %(name)s op de kaart",
    "Organisations": "Organisaties",
    "Organisations in this region": "Organisaties in deze regio",
    "No organisations take part in this region yet.": "In deze regio doen nog geen organisaties mee.",
    "Municipalities": "Gemeenten",
    "The municipalities of this region have not been imported yet.":
        "De gemeenten van deze regio zijn nog niet ingelezen.",
    "Labour-market regions": "Arbeidsmarktregio's",
    "The Netherlands has 35 labour-market regions. In each region, municipalities, employers, schools and others "
    "work together on work and learning.":
        "Nederland heeft 35 arbeidsmarktregio's. In elke regio werken gemeenten, werkgevers, scholen en anderen "
        "samen aan werk en leren.",
    "All labour-market regions": "Alle arbeidsmarktregio's",
    "Code": "Code",
    "8 digits. Leave empty if there is none.": "8 cijfers. Laat leeg als er geen is.",
    "The organisation %(name)s has been added.": "De organisatie %(name)s is toegevoegd.",
    "Add an organisation": "Organisatie toevoegen",
    "Back to region %(name)s": "Terug naar regio %(name)s",
    "The organisation takes part in region %(name)s.": "De organisatie doet mee in regio %(name)s.",
    "Add": "Toevoegen",
    "Choose a kind": "Kies een soort",
    # settings
    "Dutch": "Nederlands",
    "English": "Engels",
    # web: layout and login
    "Log in": "Inloggen",
    "Log in with your user name or e-mail address and your password.":
        "Log in met je gebruikersnaam of e-mailadres en je wachtwoord.",
    "Do you not have an account yet?": "Heb je nog geen account?",
    "Create an account": "Maak een account",
    "Skip to main content": "Direct naar de inhoud",
    "learning and working in your region": "leren en werken in jouw regio",
    "Language": "Taal",
    "Change": "Wijzigen",
    "Main menu": "Hoofdmenu",
    "Home": "Start",
    "Logged in as %(name)s": "Ingelogd als %(name)s",
    "Log out": "Uitloggen",
    "Wendbaar is open-source software for lifelong learning in the Dutch labour-market regions.":
        "Wendbaar is opensourcesoftware voor leven lang ontwikkelen in de Nederlandse arbeidsmarktregio's.",
    "Boundaries of regions and municipalities: CBS / PDOK, CC BY 4.0.":
        "Grenzen van regio's en gemeenten: CBS / PDOK, CC BY 4.0.",
    "Please correct the following": "Verbeter het volgende",
    "required": "verplicht",
    # web: home pages
    "Welcome, %(name)s": "Welkom, %(name)s",
    "You do not have a role on the platform yet. Ask the coordinator of your region to give you one.":
        "Je hebt nog geen rol op het platform. Vraag de coördinator van je regio om je een rol te geven.",
    "Your account": "Je account",
    "Change your password": "Je wachtwoord wijzigen",
    "Two-step login (extra security with an app on your phone)":
        "Inloggen in twee stappen (extra veilig met een app op je telefoon)",
    "For you as an administrator": "Voor jou als beheerder",
    "You manage the platform: people, organisations and their roles.":
        "Jij beheert het platform: mensen, organisaties en hun rollen.",
    "Management": "Beheer",
    "Add people and organisations and give people a role.": "Voeg mensen en organisaties toe en geef mensen een rol.",
    "See all regions, municipalities and organisations.": "Bekijk alle regio's, gemeenten en organisaties.",
    "API description": "Beschrijving van de API",
    "For connecting other systems.": "Om andere systemen te koppelen.",
    "For you as a regional coordinator": "Voor jou als regiocoördinator",
    "You bring the parties in your region together. Here you see your region, its municipalities and the "
    "organisations that take part.":
        "Jij brengt de partijen in je regio samen. Hier zie je je regio, de gemeenten en de organisaties die meedoen.",
    "Your region (%(code)s): municipalities and organisations.": "Jouw regio (%(code)s): gemeenten en organisaties.",
    "Labour market radar": "Arbeidsmarktradar",
    "See demand, growth and shrinking work in your region.":
        "Bekijk de vraag, de groei en de krimp van werk in je regio.",
    "See the other regions of the Netherlands.": "Bekijk de andere regio's van Nederland.",
    "For you as an employer": "Voor jou als werkgever",
    "Here you can see what is going on in the labour market of your region. Soon you can also tell what your "
    "staff need to learn, and do it together with other employers.":
        "Hier zie je wat er speelt op de arbeidsmarkt in je regio. Binnenkort kun je ook vertellen wat je "
        "medewerkers moeten leren, en dat samen met andere werkgevers regelen.",
    "See which jobs and skills are asked for in your region.": "Bekijk welke beroepen en vaardigheden je regio vraagt.",
    "Jobs and skills": "Beroepen en vaardigheden",
    "Describe work with the same words as schools do.": "Beschrijf werk met dezelfde woorden als scholen.",
    "For you as a fund or municipality": "Voor jou als fonds of gemeente",
    "Here you can see the labour market of your region and the organisations that take part. Soon you can also "
    "manage learning budgets here.":
        "Hier zie je de arbeidsmarkt van je regio en de organisaties die meedoen. Binnenkort kun je hier ook "
        "leerbudgetten beheren.",
    "See where work grows and where it shrinks.": "Bekijk waar werk groeit en waar het krimpt.",
    "For you as a worker or job seeker": "Voor jou als werkende of werkzoekende",
    "Here you can see which work and which skills are needed in your region. Soon you can also keep your skills "
    "in a skills passport and find courses.":
        "Hier zie je welk werk en welke vaardigheden nodig zijn in je regio. Binnenkort kun je ook je vaardigheden "
        "bewaren in een skills paspoort en opleidingen vinden.",
    "See your region and the organisations in it.": "Bekijk je regio en de organisaties die erin zitten.",
    "See which jobs and skills are asked for most.": "Bekijk welke beroepen en vaardigheden het meest gevraagd worden.",
    "Look up a job and see which skills it needs.": "Zoek een beroep op en bekijk welke vaardigheden erbij horen.",
    "Your organisation": "Je organisatie",
    "For you as a school or training provider": "Voor jou als school of opleider",
    "Here you can see which skills employers in your region need. Soon you can also show your courses and answer "
    "the questions of employers.":
        "Hier zie je welke vaardigheden werkgevers in je regio nodig hebben. Binnenkort kun je ook je opleidingen "
        "laten zien en de vragen van werkgevers beantwoorden.",
    "See which skills are asked for most and which are growing.":
        "Bekijk welke vaardigheden het meest gevraagd worden en welke groeien.",
    "Link your courses to skills.": "Koppel je opleidingen aan vaardigheden.",
    # web: landing page
    "Welcome": "Welkom",
    "Keep learning, in your region": "Blijf leren, in je eigen regio",
    "Wendbaar helps people, employers, schools and funds in a region to work together on learning and work.":
        "Wendbaar helpt mensen, werkgevers, scholen en fondsen in een regio om samen te werken aan leren en werk.",
    "The platform knows %(counter)s labour-market region.": (
        "Het platform kent %(counter)s arbeidsmarktregio.",
        "Het platform kent %(counter)s arbeidsmarktregio's.",
    ),
    "What can you do here?": "Wat kun je hier doen?",
    "Workers and job seekers": "Werkenden en werkzoekenden",
    "See which skills are needed in your region and find a course that fits you.":
        "Bekijk welke vaardigheden nodig zijn in je regio en vind een opleiding die bij je past.",
    "Employers": "Werkgevers",
    "Tell what your staff need to learn, and find schools and other employers to do it together.":
        "Vertel wat je medewerkers moeten leren, en vind scholen en andere werkgevers om het samen te doen.",
    "Schools and training providers": "Scholen en opleiders",
    "See what employers ask for and show your courses.": "Bekijk wat werkgevers vragen en laat je opleidingen zien.",
    "Regions, funds and municipalities": "Regio's, fondsen en gemeenten",
    "See the labour market of your region and bring the parties together.":
        "Bekijk de arbeidsmarkt van je regio en breng de partijen bij elkaar.",
    "Start": "Beginnen",
    "Do you not have an account yet? Ask the coordinator of your region.":
        "Heb je nog geen account? Vraag het aan de coördinator van je regio.",
}


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _unquote(lines: str) -> str:
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"', lines)
    return "".join(parts).replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def _drop_fuzzy_guess(block: str) -> str:
    lines = block.split("\n")
    flags = next((line for line in lines if line.startswith("#,")), "")
    if "fuzzy" not in flags or 'msgid ""\nmsgstr ""' in block[:30]:
        return block
    kept = []
    for line in lines:
        if line.startswith("#|"):
            continue
        if line == flags:
            rest = [flag.strip() for flag in line[2:].split(",") if flag.strip() != "fuzzy"]
            if rest:
                kept.append("#, " + ", ".join(rest))
            continue
        kept.append(line)
    text = "\n".join(kept)
    text = re.sub(r'^(msgstr(?:\[\d\])?) (?:".*"\n?)+', lambda m: m.group(1) + ' ""\n', text, flags=re.M)
    return text.rstrip("\n")


def fill(po_path: Path) -> int:
    """Fill empty translations in a .po file from NL; return how many were filled."""
    blocks = po_path.read_text(encoding="utf-8").split("\n\n")
    filled = 0
    for index, block in enumerate(blocks):
        block = _drop_fuzzy_guess(block)
        blocks[index] = block
        match = re.search(r'^msgid ((?:".*"\n?)+)(?:msgid_plural ((?:".*"\n?)+))?', block, re.M)
        if not match:
            continue
        msgid = _unquote(match.group(1))
        if not msgid or msgid not in NL:
            continue
        translation = NL[msgid]
        if match.group(2):
            if re.search(r'^msgstr\[0\] ""\n?$', block, re.M) is None or not isinstance(translation, tuple):
                continue
            for form, text in enumerate(translation):
                replacement = f"msgstr[{form}] " + _quote(text).replace("\\", "\\\\")
                block = re.sub(rf'^msgstr\[{form}\] ""$', replacement, block, flags=re.M)
        else:
            if not re.search(r'^msgstr ""\s*$', block.strip().split("\n")[-1]) or not isinstance(translation, str):
                continue
            lines = block.rstrip("\n").split("\n")
            lines[-1] = "msgstr " + _quote(translation)
            block = "\n".join(lines)
        block = block.replace("#, fuzzy\n", "")
        blocks[index] = block
        filled += 1
    po_path.write_text("\n\n".join(blocks), encoding="utf-8")
    return filled


if __name__ == "__main__":
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent / "nl" / "LC_MESSAGES" / "django.po"
    print(f"filled {fill(path)} translations in {path}")
