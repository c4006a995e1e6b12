"""Headcount categories: what happened to the counted people, from the parse around them.

"killed 12 people", "12 dead", "5 civilians were injured", "kidnapped 3", "the bodies of 4",
"the massacre of 20 peasants", "3 killed and 5 wounded", "the death toll rose to 45",
"claimed the lives of 18": the governing verb or noun gives the category (lexicon rows in
`patterns/headcount_lexicon.jsonl`). Only people are victims, and the active subject of a verb
with an object did it ("four gunmen kidnapped the mayor"): it is not what happened to them.
A fate verb that did not happen gives no category: negated ("did not kill the 3 guards"),
hypothetical or future ("could have killed 100 people", "will kill the hostages"), or an
intention ("threatened to kill 20 hostages", "tried to kidnap three engineers"); the counted
noun's own category stands ("20 hostages" are kidnapped).
The functions take the amount (`transforms.headcounts.Amount`: `start`, `end`, `core`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Token

from transforms.headcount_lexicon import Lexicon

if TYPE_CHECKING:
    from transforms.headcounts import Amount

__all__ = ["FATE_CATEGORIES", "event_category", "fate_word_after", "governor", "is_people",
           "is_unrealised", "toll_category"]

#: Categories saying what happened to people; a noun of one governs its "of" ("bodies of 4").
FATE_CATEGORIES = {"killed", "injured", "kidnapped", "arrested", "displaced", "missing"}
#: Light verbs whose object says what happened to their subject ("suffered injuries").
_SUFFER_VERBS = {"suffer", "sustain", "receive", "meet"}
#: "claimed the lives of 18 people", "100 people lost their lives": killed, said with "life".
_LIFE_TAKING_VERBS = {"claim", "take", "cost"}
_LIFE_LOSING_VERBS = {"lose", "give"}
#: "the death toll rose to 45", "a death toll of 45": the toll's modifier says what it counts.
_TOLL_NOUNS = {"toll", "tally", "count"}
#: Verbs that deal a harm to someone ("caused injuries to 6 soldiers").
_HARM_VERBS = {"cause", "inflict"}
#: Nouns that only wrap the count ("a total of 227 people"): their governor governs it.
_TOTAL_NOUNS = {"total", "tally", "sum"}


def governor(node: Token, amount: Amount) -> tuple[Token, Token]:
    """Return (node, head) after climbing conjuncts and the amount's own qualifier words.

    "amassed up to 6,500 members" parses "members" as the object of "to": the governing verb
    is then "amassed", and "members" plays the role "to" plays.
    """
    while node.dep_ in ("conj", "appos") and node.head.i != node.i:
        node = node.head
    head = node.head
    while head.i != node.i and amount.start <= head.i < amount.end and head.head.i != head.i:
        node, head = head, head.head
    return node, head


def _modifier_category(noun: Token, lex: Lexicon) -> str | None:
    """Return the category a noun's own modifier gives ("people killed", "those injured")."""
    for child in noun.children:
        if child.dep_ in ("acl", "amod", "relcl", "appos") and child.lemma_.lower() in lex.verb_category:
            if child.dep_ == "relcl" and _is_agent_clause(child, lex):
                continue  # "guerrillas who killed 5": the counted group did it
            return lex.verb_category[child.lemma_.lower()]
        if child.dep_ == "relcl":
            for grand in child.children:
                if grand.dep_ in ("acomp", "oprd") and grand.lemma_.lower() in lex.verb_category:
                    return lex.verb_category[grand.lemma_.lower()]
    return None


def event_category(anchor: Token, lex: Lexicon, amount: Amount, depth: int = 0) -> str | None:
    """Return what happened to the counted group, from verbs and modifiers around `anchor`."""
    if (category := _modifier_category(anchor, lex)) is not None:
        return category
    node, head = governor(anchor, amount)
    if node.i != anchor.i and (category := _modifier_category(node, lex)) is not None:
        return category  # "those injured, an officer and two noncommissioned officers"
    if node.dep_ == "pobj" and head.lower_ in ("of", "among", "to") and head.head.i != head.i:
        node, head = governor(head.head, amount) if head.head.i in range(
            amount.start, amount.end) else (head, head.head)
    if head.i == node.i:
        return None
    for _ in range(2):  # "were killed along with 12 villagers"
        if (head.pos_ == "ADP" or head.dep_ == "prep") \
                and head.lower_ in ("with", "along", "including", "among"):  # "including": VERB
            node, head = head, head.head
    if head.pos_ in ("NOUN", "PROPN") and node.lower_ in ("including", "among") and depth == 0:
        # "killed nine civilians, including four employees": the part shares the whole's fate
        return event_category(head, lex, amount, depth + 1)
    if node.lower_ == "of" and head.lemma_.lower() in _TOTAL_NOUNS and depth == 0:
        return event_category(head, lex, amount, depth + 1)  # "a total of 227 people were killed"
    if node.lower_ == "of" and head.lemma_.lower() == "life" \
            and head.head.lemma_.lower() in _LIFE_TAKING_VERBS:
        return "killed"  # "claimed the lives of 18 people"
    if node.lower_ == "of" and lex.noun_category.get(head.lemma_.lower()) in FATE_CATEGORIES:
        return lex.noun_category[head.lemma_.lower()]  # "the bodies of 4 men"
    if node.lower_ == "to":  # "injuries to 6", "caused injuries to 6" ("the bodies to 3": no)
        harms = [head] + [c for c in head.children if c.dep_ == "dobj"] \
            if head.pos_ == "VERB" and head.lemma_.lower() in _HARM_VERBS else [head]
        if any(lex.noun_category.get(h.lemma_.lower()) == "injured" for h in harms):
            return "injured"
    if head.lemma_.lower() in lex.verb_category:
        if node.dep_ == "nsubj" and _is_agent_clause(head, lex):
            return None  # "four gunmen kidnapped the mayor": the subject is the agent
        if is_unrealised(head, lex):
            return None  # "threatened to kill 20 hostages": nobody was killed
        return lex.verb_category[head.lemma_.lower()]
    for sibling in head.children:
        if sibling.dep_ in ("acomp", "oprd", "xcomp", "ccomp", "attr") and sibling.i != node.i \
                and sibling.lemma_.lower() in lex.verb_category:
            return lex.verb_category[sibling.lemma_.lower()]
        if sibling.dep_ == "dobj" and sibling.lemma_.lower() == "life" and node.dep_ == "nsubj" \
                and head.lemma_.lower() in _LIFE_LOSING_VERBS:
            return "killed"  # "100 people lost their lives"
        if sibling.dep_ == "dobj" and head.lemma_.lower() in _SUFFER_VERBS \
                and node.dep_ == "nsubj" and sibling.lemma_.lower() in lex.verb_category:
            return lex.verb_category[sibling.lemma_.lower()]  # "3 men suffered injuries"
    return None


def toll_category(amount: Amount, lex: Lexicon) -> str | None:
    """Return what a toll counts when the amount is its value ("the death toll rose to 45")."""
    node = amount.core
    for _ in range(4):
        if node.head.i == node.i:
            break
        node = node.head
        tolls = [node] if node.lemma_.lower() in _TOLL_NOUNS else [
            c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")
            and c.lemma_.lower() in _TOLL_NOUNS]
        for toll in tolls:
            for child in toll.children:
                if child.dep_ in ("compound", "amod", "nmod") \
                        and lex.noun_category.get(child.lemma_.lower()) in FATE_CATEGORIES:
                    return lex.noun_category[child.lemma_.lower()]
        if node.pos_ in ("VERB", "AUX") or tolls:
            break
    return None


def fate_word_after(amount: Amount, lex: Lexicon) -> str | None:
    """Return the category of a fate word used as a noun after the amount ("treated 30 wounded")."""
    doc = amount.core.doc
    if amount.end < len(doc):
        word = doc[amount.end]
        category = lex.noun_category.get(word.lower_) or lex.noun_category.get(word.lemma_.lower())
        if category in FATE_CATEGORIES and word.pos_ in ("ADJ", "VERB", "NOUN"):
            return category
    return None


def is_unrealised(verb: Token, lex: Lexicon) -> bool:
    """Whether the verb's event did not happen: negated, under a modal, or an intention."""
    if any(c.dep_ == "neg" for c in verb.children):
        return True
    if any(c.dep_ in ("aux", "auxpass") and c.tag_ == "MD"
           and (c.lower_ in lex.unrealised_modals or c.lemma_.lower() in lex.unrealised_modals)
           for c in verb.children):
        return True
    node = verb
    while node.dep_ == "conj" and node.head.i != node.i:
        node = node.head  # "threatened to kidnap and kill them"
    return node.dep_ == "xcomp" and node.head.lemma_.lower() in lex.intent_verbs


def _is_agent_clause(verb: Token, lex: Lexicon) -> bool:
    """Whether the verb's subject did it to someone else: active, with a direct object.

    "15 injured" and "30 wounded" (reduced passives) have no object: their subject is counted.
    """
    if verb.lemma_.lower() in lex.subject_verbs:
        return False
    return any(c.dep_ == "nsubj" for c in verb.children) \
        and any(c.dep_ == "dobj" for c in verb.children)


def is_people(noun: Token, lex: Lexicon) -> bool:
    """Whether the counted noun names people: a person noun, or a nationality/group name."""
    return lex.is_person(noun.lemma_.lower()) or lex.is_person(noun.lower_) \
        or noun.ent_type_ in ("NORP", "PERSON")
