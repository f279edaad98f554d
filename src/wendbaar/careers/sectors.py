"""The sectors (SBI 2008 sections) where an occupation is mostly found, from its ISCO-08 code.

ESCO links an occupation to an ISCO group, not to a sector; the hub's events name sectors (SBI sections,
`regions.constants.Sector`) and their organisers have one. To show open days and trial placements "in the
sector of the path", the loopbaan-APK needs a bridge. This is a hand-made table by ISCO sub-major group
(two digits), with a few minor groups (three digits) that differ from their sub-major group; the longest
prefix wins. It names the sectors where, in our judgement, most people in the group work (a reading of the
ISCO group titles, not a measured table); groups found in every sector (managers, general clerks) map to no
sector, so they are matched by occupation only. Pure Python: no Django, no database.
"""

from __future__ import annotations

SECTORS_BY_ISCO: dict[str, tuple[str, ...]] = {
    "0": ("O",),  # armed forces
    "21": ("M", "C"),  # science and engineering professionals
    "22": ("Q",),  # health professionals
    "23": ("P",),  # teaching professionals
    "24": ("K", "M", "N"),  # business and administration professionals
    "25": ("J",),  # ICT professionals
    "26": ("M", "R"),  # legal, social and cultural professionals
    "263": ("Q",),  # social and religious professionals (social workers)
    "31": ("C", "F", "D"),  # science and engineering associate professionals
    "32": ("Q",),  # health associate professionals
    "33": ("K", "N"),  # business and administration associate professionals
    "34": ("R", "Q"),  # legal, social, cultural associate professionals
    "3412": ("Q",),  # social work associate professionals
    "35": ("J",),  # ICT technicians
    "43": ("H", "G"),  # numerical and material recording clerks (stock, transport clerks)
    "51": ("I", "S"),  # personal service workers (cooks, waiters, hairdressers)
    "52": ("G",),  # sales workers
    "53": ("Q",),  # personal care workers
    "54": ("O", "N"),  # protective services workers
    "61": ("A",),  # market-oriented skilled agricultural workers
    "62": ("A",),  # forestry, fishery and hunting workers
    "71": ("F",),  # building and related trades workers
    "72": ("C", "F"),  # metal, machinery and related trades workers (welders, mechanics)
    "73": ("C",),  # handicraft and printing workers
    "74": ("F", "C", "D"),  # electrical and electronic trades workers (installers)
    "75": ("C",),  # food processing, wood working, garment trades workers
    "81": ("C", "B"),  # stationary plant and machine operators
    "82": ("C",),  # assemblers
    "83": ("H",),  # drivers and mobile plant operators
    "91": ("N", "T"),  # cleaners and helpers
    "92": ("A",),  # agricultural, forestry and fishery labourers
    "93": ("H", "C", "F"),  # labourers in mining, construction, manufacturing and transport
    "94": ("I",),  # food preparation assistants
    "96": ("E",),  # refuse workers
}


def sectors_of(isco_code: str) -> tuple[str, ...]:
    """Return the SBI sections of an ESCO occupation code ("5322.1" → ("Q",)); () when it is everywhere."""
    digits = "".join(ch for ch in isco_code.split(".", 1)[0] if ch.isdigit())
    for length in range(len(digits), 0, -1):
        found = SECTORS_BY_ISCO.get(digits[:length])
        if found is not None:
            return found
    return ()
