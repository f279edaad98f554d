"""Text normalisation shared by the index and the queries.

Both sides of every comparison go through the same functions, so a label and a text only have to
agree after folding (case, diacritics), tokenising and stemming.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from functools import lru_cache

import Stemmer

# A token is a run of letters/digits; "c#", "c++", "node.js" and "r&d" stay whole because they are
# skill names in vacancies. Hyphens and slashes split: "ICT-medewerker" is two tokens (the compound
# splitter joins them back where the vocabulary has the joined form).
TOKEN_RE = re.compile(r"[^\W_](?:[^\W_]|[.&](?=[^\W_]))*(?:\+\+|#)?")

# Dutch "bloemen- of plantenkwekerij" means "bloemenkwekerij of plantenkwekerij": a part ending in
# a hyphen borrows the head of the next compound.
ELLIPSIS_RE = re.compile(r"([^\W_]+)-\s+(en|of|and|or|en/of|\&|/)\s+([^\W_]+)", re.IGNORECASE)

STOPWORDS: dict[str, frozenset[str]] = {
    "nl": frozenset(
        """de het een en of in op te van voor met aan bij door als om tot naar uit over onder
        die dat dit deze der des den zijn is wordt worden werd je jij u we wij ons onze jouw uw
        ze zij hij haar hun er niet ook maar dan nog wel al zo zoals mee wat wie waar hoe
        heb hebt heeft hebben kan kun kunt kunnen moet moeten wil wilt willen zal zult zullen
        graag je jouw of en/of ben bent was waren eigen via per elk elke alle andere""".split()
    ),
    "en": frozenset(
        """the a an and or of in on to for with at by from as into about over under
        is are be been being was were this that these those it its we you your our their they
        he she his her them not also but than then so such which who what where how
        have has had can could must should will would may might do does did
        us any all other own via per each etc""".split()
    ),
}
ALL_STOPWORDS = STOPWORDS["nl"] | STOPWORDS["en"]

# The boilerplate of vacancy language: words that frame a skill ("experience with", "kennis
# van", "strong", "pre") but are never the skill. Ignored when finding skills in running text
# (not when linking titles). English Porter stems "experience" like "experiment", so leaving these
# in would find "conduct experiments" in every vacancy.
VACANCY_WORDS = frozenset(
    """experience experienced knowledge skill skills ability able abilities understanding strong
    good great excellent solid proven year years requirement requirements required require plus
    candidate candidates preferred preferably advantage must should familiarity familiar
    working work proficiency proficient demonstrated background level minimum ideally
    ervaring ervaringen kennis vaardigheid vaardigheden vaardig kunnen goede goed sterke sterk
    uitstekende jaar jaren vereist vereisten pre kandidaat bij voorkeur aantoonbare
    affiniteit werkervaring niveau minimaal""".split()
)

_STEMMERS = {"nl": Stemmer.Stemmer("dutch"), "en": Stemmer.Stemmer("english")}


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """Lower-case and strip diacritics: "Inspiciënte" -> "inspiciente"."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold_text(text: str) -> str:
    """Fold a whole string and collapse whitespace (for character n-grams)."""
    return " ".join(fold(part) for part in text.split())


def tokens(text: str) -> Iterator[tuple[str, int, int]]:
    """Folded tokens with their (start, end) offsets into ``text``."""
    for m in TOKEN_RE.finditer(text):
        yield fold(m.group()), m.start(), m.end()


def expand_ellipsis(text: str, head_of: Callable[[str], str]) -> str:
    """Rewrite "bloemen- of plantenkwekerij" as "bloemenkwekerij of plantenkwekerij"."""

    def repl(m: re.Match[str]) -> str:
        head = head_of(fold(m.group(3)))
        if not head:
            return m.group(0)
        return f"{m.group(1)}{head} {m.group(2)} {m.group(3)}"

    return ELLIPSIS_RE.sub(repl, text)


@lru_cache(maxsize=400_000)
def stem(word: str, lang: str) -> str:
    return str(_STEMMERS[lang].stemWord(word))


def is_stopword(word: str, lang: str | None) -> bool:
    if lang is None:
        return word in ALL_STOPWORDS
    return word in STOPWORDS.get(lang, ALL_STOPWORDS)


# Dutch female and other derived forms of job titles, mapped to the base form. A rule only fires
# when the base form is a known word, so "kapster" stays itself unless "kaper" exists.
GENDER_RULES: tuple[tuple[str, str], ...] = (
    ("ster", "er"),  # medewerkster -> medewerker
    ("euse", "eur"),  # masseuse -> masseur
    ("trice", "teur"),  # directrice -> directeur
    ("ares", "aar"),  # lerares -> leraar
    ("esse", "is"),  # secretaresse -> secretaris
    ("es", ""),  # zangeres -> zanger
    ("in", ""),  # boerin -> boer
    ("e", ""),  # inspiciente -> inspicient
)


# Support verbs: in "een behandeling uitvoeren" or "personeelsbeheer uitvoeren" the noun says what
# the skill is and the verb only that it is done. Such verbs weigh less when linking short texts.
SUPPORT_VERBS = frozenset(
    """uitvoeren verrichten maken doen geven hebben houden nemen gebruiken toepassen hanteren
    zorgen zetten brengen voeren leveren bieden treffen krijgen gaan komen
    perform carry out use apply make do give have take keep provide conduct undertake ensure""".split()
)

# Dutch derivational endings that turn one root into verbs, nouns and adjectives of the same
# meaning: "organiseren", "organisatie", "organiseer"; "controle", "controleren"; "planning",
# "plannen"; "technisch", "techniek". Longest first; the first that leaves a long enough root wins.
# "creatief", "creativiteit"; "veilig", "veiligheid". Agent nouns ("therapeut", "specialist") are
# left alone: a person is not the field ("therapie", "specialisatie"), least of all in job titles.
DERIVATION_SUFFIXES = tuple(
    sorted(
        """eringen ieken ingen aties ering ische atie eren isch iek ies ing eer ie en e s
        iviteiten iviteit ieve ief heden heid""".split(),
        key=len,
        reverse=True,
    )
)
MIN_ROOT = 4
# Adjectives and participles ending in -ige/-nde are nouns for people ("de verpleegkundige", "de
# helpende"); their -e is not stripped.
PERSON_ENDINGS = ("ige", "nde")
_DOUBLE_VOWEL_RE = re.compile(r"(aa|ee|oo|uu)(?=[^aeiou]$)")


@lru_cache(maxsize=200_000)
def derivation_root(word: str) -> str:
    """The shared root of a Dutch word's derivations: "organisatie" and "organiseren" -> "organis".

    Coarser than a stem (it also joins nouns to their verbs), so it is meant as weaker evidence.
    """
    root = word
    for suffix in DERIVATION_SUFFIXES:
        if suffix == "e" and word.endswith(PERSON_ENDINGS):
            break  # "verpleegkundige", "helpende": a person, not the adjective "verpleegkundig"
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_ROOT:
            root = word[: -len(suffix)]
            break
    # Spelling alternates with the syllable: "beheer"/"beheren", "plann-ing"/"plan".
    root = _DOUBLE_VOWEL_RE.sub(lambda m: m.group(1)[0], root)
    if len(root) > MIN_ROOT and root[-1] == root[-2] and root[-1] not in "aeiou":
        root = root[:-1]
    return root


def base_form(word: str, vocabulary: frozenset[str] | set[str]) -> str:
    """Map a Dutch derived (female) form onto its base form when that base is a known word."""
    if len(word) < 5:
        return word
    for suffix, replacement in GENDER_RULES:
        if word.endswith(suffix):
            candidate = word[: -len(suffix)] + replacement
            if len(candidate) >= 3 and candidate in vocabulary:
                return candidate
    return word
