"""Victim types: which side the counted people are on, from the counted noun and its group.

Analysts ask "how many civilians died, and how many soldiers?" (ACLED records
`civilian_targeting`), and MUC-4's terrorism templates leave out soldiers and guerrillas killed
in army-guerrilla clashes (`evaluation.headcounts`). So every headcount of people says
`victim_type`:

- `civilians`: non-combatants, whatever their job ("villagers", "engineers", "officials");
- `security_forces`: police and guards ("policemen", "guardsmen", "police officers");
- `military`: a state's armed forces ("soldiers", "Army members", "noncommissioned officers");
- `armed_group`: guerrillas, rebels, militants, "terrorists", gunmen, members of such a group;
- None when the text does not say: "18 people were killed" names no side. ACLED codes a count
  as civilian only when the report says the victims were civilians, and a careful analyst
  reading "people" does not know; so generic nouns ("people", "men", "victims") stay None.

The side comes, in this order, from:
1. a "former" modifier ("retired general", "former guerrillas"): no longer a combatant;
2. the counted noun's nearest modifier with a side ("Army members", "rebel soldiers", "civilian
   personnel"), then the words of its "of" phrase ("members of the National Police"); an
   organisation named there is read by its sector (`transforms.actors`: "ISKP members");
   modifiers count only on nouns of the lists, since a "guerrilla victim" is no guerrilla;
3. the noun itself ("soldiers", "dead guerrillas", "villagers");
4. for "others", "the rest": the side of the sentence's earlier count ("two Army members were
   killed and two others taken hostage"); for a weak noun ("officers", "agents"): the side of an
   earlier count of the same noun ("three Army officers ... died along with two other officers");
5. the subject that suffered the loss ("the Army suffered two dead", "the rebels lost 12 men");
6. the group the count belongs to (the headcount's `actor`, "up to 6,500 members" of ISKP);
7. a weak noun's default ("officers" are police in most news).
Amounts with no noun ("12 killed, 15 injured") take their side from the sufferer, else with the
noun they borrow (`transforms.headcounts`). A count that still names no side but repeats an
earlier count of the article (same number, same fate) is that count told again and takes its
side (`restated_side`): "Three soldiers died when their truck was ambushed" then "three of
them were killed instantly". Word lists are data: `patterns/headcount_victim_types.jsonl`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Token

from transforms.actors import org_attributes
from transforms.headcount_category import is_people
from transforms.headcount_lexicon import LexiconError, lexicon
from transforms.pattern_files import pattern_rows

__all__ = ["VICTIM_TYPES", "VictimLexicon", "restated_side", "side_of_group", "sufferer_side",
           "victim_lexicon", "victim_type"]

#: The fixed `victim_type` vocabulary (None: the text names no side).
VICTIM_TYPES = ("civilians", "security_forces", "military", "armed_group")
PATTERN_FILE = "headcount_victim_types.jsonl"
_MODIFIER_DEPS = ("compound", "amod", "nmod", "poss")
_GROUP_LABELS = ("ORG", "NORP")
_LONGEST_MODIFIER = 3


@dataclass(frozen=True)
class VictimLexicon:
    """Lookups built from `patterns/headcount_victim_types.jsonl`."""

    nouns: dict[str, str]
    weak_nouns: frozenset[str]
    inherit_nouns: frozenset[str]
    generic_nouns: frozenset[str]
    modifiers: dict[tuple[str, ...], str]
    former: frozenset[str]
    sectors: dict[str, str]
    sufferer_verbs: frozenset[str]


@lru_cache(maxsize=1)
def victim_lexicon() -> VictimLexicon:
    """Load the victim-type word lists once per process."""
    nouns: dict[str, str] = {}
    weak: set[str] = set()
    inherit: set[str] = set()
    generic: set[str] = set()
    modifiers: dict[tuple[str, ...], str] = {}
    former: set[str] = set()
    sectors: dict[str, str] = {}
    sufferer_verbs: set[str] = set()
    for row in pattern_rows(PATTERN_FILE):
        kind, side = row.get("kind"), row.get("victim_type")
        if kind in ("noun", "modifier", "former", "sector") and side not in VICTIM_TYPES:
            raise LexiconError(f"{PATTERN_FILE}: {row.get('id')} has victim_type {side!r}, "
                               f"not one of {', '.join(VICTIM_TYPES)}")
        if kind == "noun":
            nouns.update(dict.fromkeys(row["lemmas"], side))
            if row.get("weak"):
                weak.update(row["lemmas"])
        elif kind == "inherit":
            inherit.update(row["lemmas"])
        elif kind == "generic":
            generic.update(row["lemmas"])
        elif kind == "modifier":
            modifiers.update({tuple(words.split()): side for words in row["words"]})
        elif kind == "former":
            former.update(row["words"])
        elif kind == "sector":
            sectors[row["sector"]] = side
        elif kind == "sufferer_verb":
            sufferer_verbs.update(row["lemmas"])
        else:
            raise LexiconError(f"{PATTERN_FILE}: unknown kind {kind!r} in {row.get('id')}")
    return VictimLexicon(nouns, frozenset(weak), frozenset(inherit), frozenset(generic),
                         modifiers, frozenset(former), sectors, frozenset(sufferer_verbs))


def _lemma(token: Token) -> str:
    return token.lemma_.lower()


def _noun_side(noun: Token, vlex: VictimLexicon) -> str | None:
    return vlex.nouns.get(_lemma(noun)) or vlex.nouns.get(noun.lower_)


def _side_of_words(words: Sequence[str], vlex: VictimLexicon) -> str | None:
    """Return the side of the rightmost modifier phrase in `words` (nearest the noun wins)."""
    for end in range(len(words), 0, -1):
        for size in range(min(_LONGEST_MODIFIER, end), 0, -1):
            if (side := vlex.modifiers.get(tuple(words[end - size:end]))) is not None:
                return side
    return None


def side_of_group(name: str | None) -> str | None:
    """Return the side of a group named in the text ("Salvadoran Army", "ISKP"), else None."""
    if not name:
        return None
    vlex = victim_lexicon()
    if (side := _side_of_words(name.lower().split(), vlex)) is not None:
        return side
    return vlex.sectors.get(org_attributes(name)[1] or "")


def _entity(token: Token) -> str | None:
    for ent in token.doc.ents:
        if ent.start <= token.i < ent.end and ent.label_ in _GROUP_LABELS:
            return ent.text
    return None


def _modifier_tokens(noun: Token) -> tuple[list[Token], list[Token]]:
    """Return the noun's own modifier tokens and the tokens of its "of"/"from" phrase."""
    own = [t for child in noun.children if child.dep_ in _MODIFIER_DEPS and child.i < noun.i
           for t in child.subtree if t.dep_ not in ("det", "nummod", "punct")]
    phrase = [t for child in noun.children if child.dep_ == "prep"
              and child.lower_ in ("of", "from") for pobj in child.children
              if pobj.dep_ == "pobj" for t in pobj.subtree]
    return sorted(own, key=lambda t: t.i), phrase


def _side_of_modifiers(tokens: list[Token], vlex: VictimLexicon) -> str | None:
    """Return the side modifier words give, else the sector of an organisation named in them."""
    words = [t.lower_ for t in tokens]
    lemmas = [_lemma(t) for t in tokens]
    side = _side_of_words(words, vlex) or _side_of_words(lemmas, vlex)
    if side is not None:
        return side
    for group in dict.fromkeys(e for t in reversed(tokens) if (e := _entity(t))):
        if (side := vlex.sectors.get(org_attributes(group)[1] or "")) is not None:
            return side
    return None


def sufferer_side(anchor: Token) -> str | None:
    """Return the side of the subject that suffered the count ("the Army suffered two dead")."""
    vlex = victim_lexicon()
    node = anchor
    for _ in range(4):
        if node.head.i == node.i:
            return None
        node = node.head
        if node.pos_ in ("VERB", "AUX"):
            break
    if node.pos_ not in ("VERB", "AUX") or _lemma(node) not in vlex.sufferer_verbs:
        return None
    for subject in (c for c in node.children if c.dep_ == "nsubj"):
        if (side := _noun_side(subject, vlex)) is not None \
                and _lemma(subject) not in vlex.weak_nouns:
            return side
        own, _ = _modifier_tokens(subject)
        if (side := side_of_group(" ".join(t.text for t in [*own, subject]))) is not None:
            return side
    return None


def _earlier_side(previous: Sequence[dict], sentence: int, unit: str | None) -> str | None:
    """Return the nearest earlier count's side in the sentence (of the same noun, if `unit`)."""
    for record in reversed(previous):
        if unit is None:  # "... and two others": the nearest count, if in the same sentence
            return record.get("victim_type") if record["sentence"] == sentence else None
        if record.get("unit") == unit and record.get("victim_type"):
            return record["victim_type"]
    return None


def victim_type(noun: Token, actor: str | None, sentence: int,
                previous: Sequence[dict]) -> str | None:
    """Return the side of the people `noun` counts (see the module docstring), or None.

    `previous` are the article's earlier headcount records (with `sentence`, `unit`,
    `victim_type`); `actor` is the group the count belongs to, when the sentence says.
    """
    vlex = victim_lexicon()
    lemma = _lemma(noun)
    listed = lemma in vlex.nouns or noun.lower_ in vlex.nouns or lemma in vlex.generic_nouns \
        or noun.lower_ in vlex.generic_nouns
    if lemma in vlex.inherit_nouns or noun.lower_ in vlex.inherit_nouns:
        return _earlier_side(previous, sentence, None)
    if not listed and not is_people(noun, lexicon()):
        return None  # "three army trucks" count no people
    own, phrase = _modifier_tokens(noun)
    if any(t.lower_ in vlex.former or _lemma(t) in vlex.former for t in own):
        return "civilians"
    if listed:
        for tokens in (own, phrase):
            if (side := _side_of_modifiers(tokens, vlex)) is not None:
                return side
    weak = lemma in vlex.weak_nouns
    if not weak and (side := _noun_side(noun, vlex)) is not None:
        return side
    if weak and (side := _earlier_side(previous, sentence, lemma)) is not None:
        return side
    if listed and (side := sufferer_side(noun)) is not None:
        return side
    if listed and (side := side_of_group(actor)) is not None:
        return side
    return _noun_side(noun, vlex)


def restated_side(record: dict, previous: Sequence[dict]) -> str | None:
    """Return the side of the earlier count `record` restates (same bounds and fate), else None.

    Only a stated number restates a count: "dozens" twice may be two different groups.
    """
    if record.get("qualifier") == "vague":
        return None
    bounds = (record.get("low"), record.get("high"))
    for earlier in reversed(previous):
        if earlier.get("victim_type") and earlier.get("category") == record.get("category") \
                and (earlier.get("low"), earlier.get("high")) == bounds \
                and earlier.get("qualifier") != "vague":
            return earlier["victim_type"]
    return None
