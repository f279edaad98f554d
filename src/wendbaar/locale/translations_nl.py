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
    # radar: dashboard figures
    "Netherlands": "Nederland",
    "Vacancies per month": "Vacatures per maand",
    "There are no vacancies in this period.": "Er zijn geen vacatures in deze periode.",
    "In the last 12 months %(name)s had %(count)s vacancies, %(change)s compared with the year before. In the whole "
    "country the change was %(national)s.":
        "In de laatste 12 maanden had %(name)s %(count)s vacatures. Dat is %(change)s vergeleken met het jaar ervoor. "
        "In heel Nederland was de verandering %(national)s.",
    "Index (first year = 100)": "Index (eerste jaar = 100)",
    "Month": "Maand",
    "Vacancies per month, %(name)s against the Netherlands": "Vacatures per maand, %(name)s vergeleken met Nederland",
    "Growing and shrinking occupations": "Beroepen die groeien en krimpen",
    "ISCO group": "ISCO-groep",
    "Occupation group": "Beroepsgroep",
    "Vacancies last 12 months": "Vacatures laatste 12 maanden",
    "Vacancies 12 months before": "Vacatures 12 maanden ervoor",
    "Change year on year": "Verandering tegenover vorig jaar",
    "Trend per year": "Trend per jaar",
    "Trend low (95%)": "Trend laag (95%)",
    "Trend high (95%)": "Trend hoog (95%)",
    "Verdict": "Oordeel",
    "No occupation group grows or shrinks clearly in this period.":
        "Geen enkele beroepsgroep groeit of krimpt duidelijk in deze periode.",
    "%(grow)s occupation groups grow and %(shrink)s shrink clearly (the whole 95%% interval of the trend is above or "
    "below zero).":
        "%(grow)s beroepsgroepen groeien duidelijk en %(shrink)s krimpen duidelijk "
        "(het hele 95%%-interval van de trend ligt boven of onder nul).",
    "Fastest growing: %(label)s (%(trend)s per year).": "Groeit het snelst: %(label)s (%(trend)s per jaar).",
    "Fastest shrinking: %(label)s (%(trend)s per year).": "Krimpt het snelst: %(label)s (%(trend)s per jaar).",
    "Skill": "Vaardigheid",
    "Vacancies asking it": "Vacatures die erom vragen",
    "Share now": "Aandeel nu",
    "Share a year before": "Aandeel een jaar eerder",
    "Change (points)": "Verandering (procentpunten)",
    "%(label)s changed most: from %(before)s to %(now)s of vacancies.":
        "%(label)s veranderde het meest: van %(before)s naar %(now)s van de vacatures.",
    "Change in percentage points": "Verandering in procentpunten",
    "%(label)s is asked most: in %(share)s of vacancies.":
        "%(label)s wordt het meest gevraagd: in %(share)s van de vacatures.",
    "Share of vacancies": "Aandeel van de vacatures",
    "Digital skills": "Digitale vaardigheden",
    "Green skills": "Groene vaardigheden",
    "Transversal skills": "Brede vaardigheden",
    "Quarter": "Kwartaal",
    "Collection": "Verzameling",
    "Vacancies": "Vacatures",
    "Share": "Aandeel",
    "Digital, green and transversal skills": "Digitale, groene en brede vaardigheden",
    "The ESCO skill collections are not loaded yet.":
        "De verzamelingen van vaardigheden uit ESCO zijn nog niet ingelezen.",
    "Share of vacancies asking at least one skill of the collection in %(quarter)s: %(parts)s.":
        "Aandeel van de vacatures dat in %(quarter)s minstens één vaardigheid uit de verzameling vraagt: %(parts)s.",
    "Job seekers (WW < 6 months)": "Werkzoekenden (WW korter dan 6 maanden)",
    "Vacancies per job seeker": "Vacatures per werkzoekende",
    "Tension": "Spanning",
    "Tension on the labour market": "Spanning op de arbeidsmarkt",
    "All occupations": "Alle beroepen",
    "No job-seeker figures are loaded for this region.":
        "Voor deze regio zijn nog geen cijfers over werkzoekenden ingelezen.",
    "In %(quarter)s, %(tight)s of %(total)s occupation groups were tight or very tight (UWV classes).":
        "In %(quarter)s waren %(tight)s van de %(total)s beroepsgroepen krap of zeer krap (indeling van UWV).",
    "Forecast": "Prognose",
    "Low (95%)": "Laag (95%)",
    "High (95%)": "Hoog (95%)",
    "Forecast: vacancies in the next four quarters": "Prognose: vacatures in de komende vier kwartalen",
    "There is too little history for a forecast.": "Er zijn te weinig cijfers uit het verleden voor een prognose.",
    "Expected in %(quarter)s: about %(mean)s vacancies in %(name)s (95%% range %(low)s to %(high)s).":
        "Verwacht in %(quarter)s: ongeveer %(mean)s vacatures in %(name)s (95%%-bereik %(low)s tot %(high)s).",
    "Method: %(method)s.": "Methode: %(method)s.",
    "Test on the last four known quarters: MASE %(mase)s (last year's figures: %(naive)s; lower is better).":
        "Test op de laatste vier bekende kwartalen: MASE %(mase)s (cijfers van vorig jaar: %(naive)s; lager is beter).",
    "Be careful with this forecast: %(reasons)s.": "Let op bij deze prognose: %(reasons)s.",
    # radar: verdicts, tension classes and map indicators (STATUS_TEXT, TENSION_TEXT, MAP_INDICATORS in
    # radar/dashboard_figures.py; filled once the radar code marks them with gettext_noop)
    "growing": "groeit",
    "shrinking": "krimpt",
    "stable": "stabiel",
    "too few vacancies": "te weinig vacatures",
    "rising": "stijgt",
    "declining": "daalt",
    "very loose (zeer ruim)": "zeer ruim",
    "loose (ruim)": "ruim",
    "average (gemiddeld)": "gemiddeld",
    "tight (krap)": "krap",
    "very tight (zeer krap)": "zeer krap",
    "Vacancies in the last 12 months": "Vacatures in de laatste 12 maanden",
    # radar: forecast reasons (REASON_TEXT, same)
    "the history is too short for a reliable forecast":
        "er zijn te weinig cijfers uit het verleden voor een betrouwbare prognose",
    "there is too little history to test the forecast against the past":
        "er zijn te weinig cijfers uit het verleden om de prognose te testen",
    "in the test on the past year the forecast was not better than last year's figures":
        "in de test op het afgelopen jaar was de prognose niet beter dan de cijfers van vorig jaar",
    "the range of likely values is very wide": "de waarden die waarschijnlijk zijn, liggen ver uit elkaar",
    "Region code": "Regiocode",
    "Region": "Regio",
    "Map of the regions: %(indicator)s": "Kaart van de regio's: %(indicator)s",
    "There are no figures for this indicator yet.": "Er zijn nog geen cijfers voor deze indicator.",
    "Highest: %(name)s (%(value)s). %(this)s: %(own)s.": "Hoogste: %(name)s (%(value)s). %(this)s: %(own)s.",
    "This region": "Deze regio",
    # radar: dashboard pages
    "Period ends in": "Periode eindigt in",
    "Occupation level": "Niveau van beroepsgroepen",
    "ISCO level 1 (broad)": "ISCO-niveau 1 (breed)",
    "ISCO level 2": "ISCO-niveau 2",
    "ISCO level 3": "ISCO-niveau 3",
    "ISCO level 4 (detailed)": "ISCO-niveau 4 (gedetailleerd)",
    "Colour the map by": "Kleur de kaart naar",
    "There is no region with this code.": "Er is geen regio met deze code.",
    "There is no table with this name.": "Er is geen tabel met deze naam.",
    "Occupation group %(label)s": "Beroepsgroep %(label)s",
    "Skill %(label)s": "Vaardigheid %(label)s",
    "Skills asked most": "Vaardigheden die het meest gevraagd worden",
    "No skills found in this period.": "Geen vaardigheden gevonden in deze periode.",
    "Rising skills": "Vaardigheden die vaker gevraagd worden",
    "No skill is asked clearly more often than a year before.":
        "Geen enkele vaardigheid wordt duidelijk vaker gevraagd dan een jaar eerder.",
    "Declining skills": "Vaardigheden die minder gevraagd worden",
    "No skill is asked clearly less often than a year before.":
        "Geen enkele vaardigheid wordt duidelijk minder vaak gevraagd dan een jaar eerder.",
    "Skills asked in this occupation group": "Vaardigheden die in deze beroepsgroep gevraagd worden",
    "%(label)s was asked in %(share)s of vacancies in the last 12 months (a year before: %(before)s).":
        "%(label)s werd in de laatste 12 maanden gevraagd in %(share)s van de vacatures (een jaar eerder: %(before)s).",
    "Share of vacancies asking this skill": "Aandeel van de vacatures dat om deze vaardigheid vraagt",
    "Asked most often together with this skill, compared with chance: %(label)s (lift %(lift)s).":
        "Het vaakst samen met deze vaardigheid gevraagd, vergeleken met toeval: %(label)s (lift %(lift)s).",
    "No skills are asked together with this one often enough.":
        "Geen andere vaardigheid wordt vaak genoeg samen met deze gevraagd.",
    "Skills asked together with this skill": "Vaardigheden die samen met deze vaardigheid gevraagd worden",
    "Vacancies asking both": "Vacatures die om allebei vragen",
    "Lift (1 = chance)": "Lift (1 = toeval)",
    "Occupation groups asking this skill": "Beroepsgroepen die om deze vaardigheid vragen",
    "The occupation groups with the most vacancies asking this skill in the last 12 months.":
        "De beroepsgroepen met de meeste vacatures die in de laatste 12 maanden om deze vaardigheid vroegen.",
    "first and last are months like 2025-03.": "first en last zijn maanden, zoals 2025-03.",
    # radar: runs and models
    "Ingest": "Inlezen",
    "Enrichment": "Verrijken",
    "Queued": "In de wachtrij",
    "Running": "Bezig",
    "failure": "reden van mislukken",
    "task": "taak",
    "enrich after ingest": "verrijken na inlezen",
    "The files have been received. They are read and enriched in the background.":
        "De bestanden zijn ontvangen. Ze worden op de achtergrond ingelezen en verrijkt.",
    "Large files take a while: they are read and enriched in the background, and the run page shows how far "
    "it is.": "Grote bestanden kosten tijd: ze worden op de achtergrond ingelezen en verrijkt. De pagina van de "
    "verwerking laat zien hoe ver het is.",
    "The files are waiting for the background worker.": "De bestanden wachten op hun beurt.",
    "The vacancies are being read and enriched.": "De vacatures worden ingelezen en verrijkt.",
    "Refresh this page to see the progress": "Ververs deze pagina om de voortgang te zien",
    "The run failed": "De verwerking is mislukt",
    "Succeeded": "Gelukt",
    "Refused: invalid input": "Geweigerd: de invoer klopt niet",
    "Failed": "Mislukt",
    "kind": "soort",
    "status": "status",
    "source": "bron",
    "files": "bestanden",
    "skip invalid rows": "foute rijen overslaan",
    "started": "gestart",
    "finished": "klaar",
    "read": "gelezen",
    "accepted": "goedgekeurd",
    "duplicates": "dubbel",
    "rejected": "afgekeurd",
    "enriched": "verrijkt",
    "errors": "fouten",
    "rejects file": "bestand met afgekeurde rijen",
    "engine version": "versie van de engine",
    "taxonomy version": "versie van de taxonomie",
    "executor": "uitvoerder",
    "PC4": "PC4",
    # radar: report
    "Vacancies: the Wendbaar radar store, enriched with ESCO occupations and skills.":
        "Vacatures: uit de radar van Wendbaar, met beroepen en vaardigheden uit ESCO.",
    "Occupations and skills: ESCO, © European Union, free reuse with attribution.":
        "Beroepen en vaardigheden: ESCO, © Europese Unie. Je mag ze gebruiken als je de bron noemt.",
    "Tension: UWV's method (vacancies per person with a WW benefit shorter than six months), with the job-seeker "
    "figures as imported.":
        "Spanning: we rekenen zoals UWV. We tellen hoeveel vacatures er zijn per persoon die korter dan zes maanden "
        "een WW-uitkering heeft. De cijfers over werkzoekenden zijn ingelezen.",
    "Forecast: exponential smoothing (ETS, statsmodels), tested against last year's figures (MASE).":
        "Prognose: een rekenwijze waarin recente cijfers zwaarder tellen (ETS, statsmodels). We testen haar op de "
        "cijfers van vorig jaar (MASE).",
    # radar: templates
    "Radar %(region_name)s": "Radar %(region_name)s",
    "Breadcrumb": "Kruimelpad",
    "Labour-market radar": "Arbeidsmarktradar",
    "Labour market in %(region_name)s": "Arbeidsmarkt in %(region_name)s",
    "There are no vacancies in the radar yet. When vacancies are imported, this page shows growth and shrinkage.":
        "Er staan nog geen vacatures in de radar. Als er vacatures zijn ingelezen, zie je hier groei en krimp.",
    "Period: %(first)s to %(last)s. %(count)s vacancies in this region, %(national)s in the Netherlands.":
        "Periode: %(first)s tot %(last)s. %(count)s vacatures in deze regio, %(national)s in Nederland.",
    "Compare: the Netherlands": "Vergelijk: Nederland",
    "Printable report": "Rapport om te printen",
    "Look closer": "Meer details",
    "Table: %(title)s": "Tabel: %(title)s",
    "Vacancies behind it": "Vacatures achter dit cijfer",
    "Show": "Tonen",
    "vacancies for": "vacatures voor",
    "Download as CSV": "Downloaden als CSV",
    "Show the vacancies behind this figure": "Bekijk de vacatures achter deze grafiek",
    "Filters": "Filters",
    "Which occupations and skills grow or shrink in your region? Choose a region.":
        "Welke beroepen en vaardigheden groeien of krimpen in je regio? Kies een regio.",
    "The Netherlands (all regions)": "Nederland (alle regio's)",
    "Vacancies in %(region_name)s": "Vacatures in %(region_name)s",
    "%(count)s vacancies from %(first)s to %(last)s": "%(count)s vacatures van %(first)s tot %(last)s",
    "skill": "vaardigheid",
    "Title": "Titel",
    "Posted": "Geplaatst",
    "No vacancies found.": "Geen vacatures gevonden.",
    "Pages": "Pagina's",
    "Previous page": "Vorige pagina",
    "Next page": "Volgende pagina",
    "Read vacancies": "Vacatures inlezen",
    "Upload files with vacancies. We find the occupation and the skills of each vacancy for the LLO-Radar. The same "
    "vacancy is counted once.":
        "Upload bestanden met vacatures. Wij zoeken bij elke vacature het beroep en de vaardigheden voor de LLO-Radar. "
        "Dezelfde vacature tellen we maar één keer.",
    "File types: %(suffixes)s. The columns of a CSV file are described in the documentation (docs/radar.md).":
        "Soorten bestanden: %(suffixes)s. De kolommen van een CSV-bestand staan in de documentatie (docs/radar.md).",
    "The files were not stored: %(counter)s error": (
        "De bestanden zijn niet opgeslagen: %(counter)s fout",
        "De bestanden zijn niet opgeslagen: %(counter)s fouten",
    ),
    "Correct the rows below and upload again, or choose to set the wrong rows aside.":
        "Verbeter de rijen hieronder en upload opnieuw. Of kies ervoor om de foute rijen apart te zetten.",
    "Errors per row": "Fouten per rij",
    "File": "Bestand",
    "Line": "Regel",
    "Field": "Veld",
    "Problem": "Probleem",
    "Read the files": "Bestanden inlezen",
    "Recent runs": "Laatste verwerkingen",
    "Started": "Gestart",
    "Status": "Status",
    "Read": "Gelezen",
    "Accepted": "Goedgekeurd",
    "Duplicates": "Dubbel",
    "Rejected": "Afgekeurd",
    "No runs yet.": "Nog geen verwerkingen.",
    "There are no vacancies in the radar yet.": "Er staan nog geen vacatures in de radar.",
    "%(label)s (ISCO %(group)s) in %(region_name)s": "%(label)s (ISCO %(group)s) in %(region_name)s",
    "%(count)s vacancies in the 12 months up to %(last)s.": "%(count)s vacatures in de 12 maanden tot en met %(last)s.",
    "Trend per year: %(trend)s here, %(national)s in the Netherlands.":
        "Trend per jaar: %(trend)s hier, %(national)s in Nederland.",
    "There are no vacancies for this occupation group in this period.":
        "Er zijn geen vacatures voor deze beroepsgroep in deze periode.",
    "Report %(region_name)s": "Rapport %(region_name)s",
    "Download as PDF": "Downloaden als PDF",
    "Labour market in %(region_name)s: shrinkage and growth": "Arbeidsmarkt in %(region_name)s: krimp en groei",
    "Report of %(date)s.": "Rapport van %(date)s.",
    "Data period: %(first)s to %(last)s (compared with the 12 months before).":
        "Periode van de gegevens: %(first)s tot %(last)s (vergeleken met de 12 maanden ervoor).",
    "In short": "In het kort",
    "Growth": "Groei",
    "%(label)s (%(group)s): %(trend)s per year, %(count)s vacancies":
        "%(label)s (%(group)s): %(trend)s per jaar, %(count)s vacatures",
    "No occupation group grows clearly.": "Geen enkele beroepsgroep groeit duidelijk.",
    "Shrinkage": "Krimp",
    "No occupation group shrinks clearly.": "Geen enkele beroepsgroep krimpt duidelijk.",
    "Skills to invest in": "Vaardigheden om in te investeren",
    "Skills that employers ask for clearly more often than a year ago:":
        "Vaardigheden waar werkgevers duidelijk vaker om vragen dan een jaar geleden:",
    "%(label)s: asked in %(before)s of vacancies a year ago, now in %(now)s":
        "%(label)s: een jaar geleden gevraagd in %(before)s van de vacatures, nu in %(now)s",
    "Sources and method": "Bronnen en methode",
    "Run": "Verwerking",
    "Files": "Bestanden",
    "Duplicates (counted once)": "Dubbel (één keer geteld)",
    "Enriched": "Aangevuld",
    "Engine": "Engine",
    "Taxonomy": "Taxonomie",
    "Download the rejected rows with their reasons (CSV)": "Download de afgekeurde rijen met de reden (CSV)",
    "Errors": "Fouten",
    "Read more vacancies": "Meer vacatures inlezen",
    "Skills in %(region_name)s": "Vaardigheden in %(region_name)s",
    "Choose a skill to see how often employers ask for it.":
        "Kies een vaardigheid. Dan zie je hoe vaak werkgevers erom vragen.",
    "Skill: %(label)s in %(region_name)s": "Vaardigheid: %(label)s in %(region_name)s",
    "%(count)s vacancies asked this skill in the 12 months up to %(last)s.":
        "%(count)s vacatures vroegen om deze vaardigheid in de 12 maanden tot en met %(last)s.",
    # radar: upload form
    "Vacancy files": "Bestanden met vacatures",
    "CSV, JSON Lines, JSON-LD or HTML pages with job postings.":
        "CSV, JSON Lines, JSON-LD of HTML-pagina's met vacatures.",
    "Source": "Bron",
    "Where the vacancies come from, for rows that do not say so themselves.":
        "Waar de vacatures vandaan komen, voor rijen waarin dat niet staat.",
    "Store the good rows and set the wrong rows aside": "Sla de goede rijen op en zet de foute rijen apart",
    "Without this, a file with one wrong row is not stored at all.":
        "Zonder dit slaan we een bestand met één foute rij helemaal niet op.",
    "The vacancies have been read.": "De vacatures zijn ingelezen.",
    # skills: models
    "Occupation": "Beroep",
    "Skill group": "Groep vaardigheden",
    "Released": "Gepubliceerd",
    "Obsolete": "Verouderd",
    "Not set": "Niet ingevuld",
    "Skill or competence": "Vaardigheid of competentie",
    "Knowledge": "Kennis",
    "Transversal": "Breed inzetbaar",
    "Cross-sector": "Voor meer sectoren",
    "Sector-specific": "Voor één sector",
    "Occupation-specific": "Voor één beroep",
    "Preferred": "Voorkeur",
    "Alternative": "Andere naam",
    "Hidden": "Verborgen",
    "Regional": "Regionaal",
    "ESCO classification file": "ESCO-bestand met de indeling",
    "ESCO crosswalk or hierarchy file": "ESCO-bestand met koppelingen of de rangorde",
    "Added by a regional coordinator": "Toegevoegd door een regiocoördinator",
    "Essential": "Essentieel",
    "Optional": "Optioneel",
    # skills: pages
    "Regional skill, not in ESCO": "Regionale vaardigheid, niet in ESCO",
    "No longer in use": "Niet meer in gebruik",
    "replaced by": "vervangen door",
    "English label, no Dutch yet": "Engels label, nog geen Nederlandse vertaling",
    "ESCO address": "ESCO-adres",
    "Names": "Namen",
    "preferred": "voorkeursnaam",
    "regional synonym": "regionaal synoniem",
    "search term": "zoekterm",
    "No English name.": "Geen Engelse naam.",
    "Add a regional synonym": "Regionaal synoniem toevoegen",
    "Add synonym": "Synoniem toevoegen",
    "%(n)s shared skill": ("%(n)s gedeelde vaardigheid", "%(n)s gedeelde vaardigheden"),
    "None.": "Geen.",
    "Add a synonym": "Synoniem toevoegen",
    "A synonym is another word people in your region use for this concept. Search finds the concept by it, and "
    "later ESCO updates keep it.":
        "Een synoniem is een ander woord dat mensen in je regio gebruiken voor dit begrip. Met dat woord vind je het "
        "begrip ook bij zoeken. Nieuwe versies van ESCO laten het synoniem staan.",
    "Back to the concept": "Terug naar het begrip",
    "Back to search": "Terug naar zoeken",
    "Occupation group (ISCO)": "Beroepsgroep (ISCO)",
    "Essential skills": "Essentiële vaardigheden",
    "Optional skills": "Optionele vaardigheden",
    "Related occupations (shared skills)": "Verwante beroepen (gedeelde vaardigheden)",
    "Add a regional skill": "Regionale vaardigheid toevoegen",
    "Add a skill that ESCO does not have. It is shown as a regional skill, not ESCO. Later ESCO updates keep it.":
        "Voeg een vaardigheid toe die niet in ESCO staat. We tonen die als regionale vaardigheid, niet als ESCO. "
        "Nieuwe versies van ESCO laten de vaardigheid staan.",
    "Add skill": "Vaardigheid toevoegen",
    "Occupations and skills": "Beroepen en vaardigheden",
    "Search the European list of occupations and skills (ESCO), in Dutch or English.":
        "Zoek in de Europese lijst van beroepen en vaardigheden (ESCO), in het Nederlands of Engels.",
    "Occupation or skill": "Beroep of vaardigheid",
    "Suggestions": "Suggesties",
    "Type at least two letters. Use the arrow keys to choose a suggestion and Enter to open it.":
        "Typ minstens twee letters. Kies een suggestie met de pijltjestoetsen en open die met Enter.",
    "Search in": "Zoeken in",
    "both": "beide",
    "occupations": "beroepen",
    "skills": "vaardigheden",
    "Search": "Zoeken",
    "Results for “%(query)s”": "Resultaten voor “%(query)s”",
    "occupation": "beroep",
    "regional, not ESCO": "regionaal, niet ESCO",
    "Nothing found. Try another word.": "Niets gevonden. Probeer een ander woord.",
    "Add a regional skill (for coordinators)": "Regionale vaardigheid toevoegen (voor coördinatoren)",
    "Type": "Soort",
    "Collections": "Verzamelingen",
    "Broader": "Bredere begrippen",
    "Narrower": "Smallere begrippen",
    "Occupations that need this skill": "Beroepen die deze vaardigheid nodig hebben",
    "essential": "essentieel",
    "optional": "optioneel",
    "New synonym": "Nieuw synoniem",
    "The synonym was added.": "Het synoniem is toegevoegd.",
    "Name in Dutch": "Naam in het Nederlands",
    "Name in English (optional)": "Naam in het Engels (niet verplicht)",
    "Description (optional)": "Beschrijving (niet verplicht)",
    "The regional skill was added.": "De regionale vaardigheid is toegevoegd.",
    # web: navigation to the other apps
    "LLO-Radar": "LLO-Radar",
    "Load vacancies": "Vacatures inlezen",
    # radar: stalled runs and retry
    "last sign of life": "laatste teken van leven",
    "attempts": "pogingen",
    "This run has stalled": "Deze verwerking is vastgelopen",
    "The background worker has not given a sign of life for more than %(minutes)s minute. It has probably "
    "stopped, for example because the server restarted.": (
        "De achtergrondverwerking heeft al meer dan %(minutes)s minuut niets van zich laten horen. "
        "Waarschijnlijk is ze gestopt, bijvoorbeeld omdat de server opnieuw is opgestart.",
        "De achtergrondverwerking heeft al meer dan %(minutes)s minuten niets van zich laten horen. "
        "Waarschijnlijk is ze gestopt, bijvoorbeeld omdat de server opnieuw is opgestart.",
    ),
    "Last sign of life: %(moment)s.": "Laatste teken van leven: %(moment)s.",
    "You can try the run again. The files are read again; vacancies that were already stored are not counted "
    "twice.": "Je kunt de verwerking opnieuw proberen. De bestanden worden opnieuw gelezen; vacatures die al "
    "waren opgeslagen, worden niet dubbel geteld.",
    "Try this run again": "Probeer deze verwerking opnieuw",
    "stalled": "vastgelopen",
    "Attempt": "Poging",
    "The run has been queued again. The files are read and enriched again in the background; nothing is "
    "counted twice.": "De verwerking staat opnieuw in de wachtrij. De bestanden worden op de achtergrond "
    "opnieuw gelezen en verrijkt; niets wordt dubbel geteld.",
    "This run has succeeded. There is nothing to try again.": "Deze verwerking is gelukt. Er is niets om "
    "opnieuw te proberen.",
    "This run was refused because of wrong rows. Trying again gives the same result: correct the file and "
    "upload it again.": "Deze verwerking is geweigerd door foute regels. Opnieuw proberen geeft hetzelfde "
    "resultaat: verbeter het bestand en lees het opnieuw in.",
    "This run is already waiting for the background worker.": "Deze verwerking wacht al op de "
    "achtergrondverwerking.",
    "This run is still being processed. You can only try it again when it has stalled.": "Deze verwerking "
    "is nog bezig. Je kunt haar pas opnieuw proberen als ze is vastgelopen.",
    "The files of this run were not kept, so it cannot be tried again. Upload the files again.": "De "
    "bestanden van deze verwerking zijn niet bewaard. Daarom kan ze niet opnieuw worden geprobeerd. "
    "Lees de bestanden opnieuw in.",
    # radar: file and row errors, translated where they are read (issue 23)
    "This is not a CSV file: it does not contain text.": "Dit is geen CSV-bestand: er staat geen tekst in. "
    "Sla het rekenblad op als CSV en lees dat bestand in.",
    "has %(found)s columns; the header has %(expected)s": "heeft %(found)s kolommen; de eerste regel heeft er "
    "%(expected)s",
    "CSV error: %(reason)s": "Fout in het CSV-bestand: %(reason)s",
    "The first line names none of the columns we know. Expected columns (English or Dutch name): %(expected)s.": (
        "De eerste regel noemt geen enkele kolom die wij kennen. Verwachte kolommen (Engelse of Nederlandse "
        "naam): %(expected)s."
    ),
    "The first line lacks the column(s) %(missing)s. Expected columns: %(expected)s.": "In de eerste regel "
    "ontbreekt de kolom %(missing)s. Verwachte kolommen: %(expected)s.",
    "not valid JSON: %(reason)s": "geen geldige JSON: %(reason)s",
    "a line must be a JSON object": "een regel moet een JSON-object zijn",
    "no schema.org JobPosting found": "geen schema.org JobPosting gevonden",
    "no schema.org JobPosting in the page": "geen schema.org JobPosting in de pagina",
    "unknown file type %(suffix)s; use one of %(known)s": "onbekend bestandstype %(suffix)s; gebruik een van "
    "deze: %(known)s",
    "is required": "is verplicht",
    "is longer than %(limit)s characters": "is langer dan %(limit)s tekens",
    "a KvK number has exactly 8 digits": "een KvK-nummer heeft precies 8 cijfers",
    "%(value)s is not a Dutch postcode (1234 or 1234 AB)": "%(value)s is geen Nederlandse postcode (1234 of "
    "1234 AB)",
    "unknown municipality %(value)s": "onbekende gemeente %(value)s",
    "no postcode table is loaded (wendbaar radar postcodes FILE); give a municipality": "er is geen tabel met "
    "postcodes geladen (wendbaar radar postcodes BESTAND); geef een gemeente op",
    "unknown postcode %(value)s": "onbekende postcode %(value)s",
    "a municipality or a postcode is required": "een gemeente of een postcode is verplicht",
    "%(value)s is not a date (YYYY-MM-DD)": "%(value)s is geen datum (JJJJ-MM-DD of DD-MM-JJJJ)",
    "is before date_posted": "ligt voor de datum van plaatsing (date_posted)",
    "must be a number of hours between 0 and 80": "moet een aantal uren tussen 0 en 80 zijn",
    "must start with http:// or https://": "moet beginnen met http:// of https://",
    "%(value)s is not a 4-digit postcode": "%(value)s is geen postcode van 4 cijfers",
    "This run cannot be retried.": "Deze verwerking kan niet opnieuw worden geprobeerd.",
    "%(counter)s row with errors": ("%(counter)s rij met fouten", "%(counter)s rijen met fouten"),
    # API problem documents, wholly in the request's language (issue 23)
    "Bad request": "Ongeldige aanvraag",
    "Not authenticated": "Niet ingelogd",
    "Forbidden": "Geen toegang",
    "Not found": "Niet gevonden",
    "Method not allowed": "Methode niet toegestaan",
    "Not acceptable": "Niet aanvaardbaar",
    "Conflict": "Conflict",
    "Request too large": "Aanvraag te groot",
    "Unsupported media type": "Mediatype niet ondersteund",
    "Too many requests": "Te veel aanvragen",
    "Server error": "Fout op de server",
    "Error": "Fout",
    "There is nothing at this address. Check the path and the identifier in it.": "Op dit adres staat niets. "
    "Controleer het pad en de code of het nummer daarin.",
    "The request could not be read.": "De aanvraag kon niet worden gelezen.",
    "You may not do this.": "Dit mag je niet doen.",
    "This address does not accept this method.": "Dit adres accepteert deze methode niet.",
    "Something went wrong on our side. It has been logged; please try again later.": "Er ging bij ons iets "
    "mis. Dat is vastgelegd. Probeer het later opnieuw.",
    "One or more fields are invalid. invalidParams lists every one.": "Een of meer velden kloppen niet. "
    "invalidParams noemt ze allemaal.",
    "Use one of %(choices)s.": "Gebruik een van deze: %(choices)s.",
    "Use occupation or skill.": "Gebruik occupation (beroep) of skill (vaardigheid).",
    "Unknown region code: {value}.": "Onbekende regiocode: {value}.",
    "Give a region code such as AM22.": "Geef een regiocode, zoals AM22.",
    "There is no labour-market region with the code %(code)s.": "Er is geen arbeidsmarktregio met de code "
    "%(code)s.",
    # error pages (issue 23)
    "You may not open this page": "Je mag deze pagina niet openen",
    "This page is for people with another role. Your account does not have that role.": "Deze pagina is "
    "voor mensen met een andere rol. Jouw account heeft die rol niet.",
    "Do you think you should be able to see this page? Ask the coordinator of your region.": "Denk je dat je "
    "deze pagina wel mag zien? Vraag het aan de coördinator van je regio.",
    "Go to the home page": "Ga naar de startpagina",
    "This page does not exist": "Deze pagina bestaat niet",
    "Maybe the address has a typing error, or the page has been removed.": "Misschien is het adres verkeerd "
    "getypt, of is de pagina weggehaald.",
    "Go to the home page, or use the menu at the top to find what you are looking for.": "Ga naar de "
    "startpagina, of zoek wat je nodig hebt via het menu bovenaan.",
    "Something went wrong": "Er ging iets mis",
    "Something went wrong on our side. It is not your fault. We have recorded the error.": "Er ging bij ons "
    "iets mis. Het ligt niet aan jou. Wij hebben de fout vastgelegd.",
    "Try again in a few minutes. Does it keep going wrong? Tell the coordinator of your region.": "Probeer "
    "het over een paar minuten opnieuw. Gaat het steeds mis? Meld het aan de coördinator van je regio.",
    # accounts and the admin (issue 23)
    "User name or e-mail address": "Gebruikersnaam of e-mailadres",
    "May add %(model)s": "Mag %(model)s toevoegen",
    "May change %(model)s": "Mag %(model)s wijzigen",
    "May delete %(model)s": "Mag %(model)s verwijderen",
    "May view %(model)s": "Mag %(model)s bekijken",
    "Correct the file and upload it again.": "Verbeter het bestand en lees het opnieuw in.",
}


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t"}
_UNESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _quote(text: str) -> str:
    return '"' + "".join(_ESCAPES.get(char, char) for char in text) + '"'


def _unquote(lines: str) -> str:
    # One pass over the escapes, so that an escaped backslash before an "n" stays a backslash and an "n".
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"', lines)
    return re.sub(r"\\(.)", lambda m: _UNESCAPES.get(m.group(1), m.group(0)), "".join(parts))


def _drop_fuzzy_guess(block: str) -> str:
    lines = block.split("\n")
    flags = next((line for line in lines if line.startswith("#,")), "")
    if "fuzzy" not in flags or re.search(r'^msgid ""\nmsgstr ""\n"', block, re.M):
        return block  # the header (empty msgid) keeps its content even when it is marked fuzzy
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
    po_path.write_text("\n\n".join(blocks).rstrip("\n") + "\n", encoding="utf-8")
    return filled


if __name__ == "__main__":
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent / "nl" / "LC_MESSAGES" / "django.po"
    print(f"filled {fill(path)} translations in {path}")
