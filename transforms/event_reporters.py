"""Who reports an event: the speaker of "X said Y attacked", "according to X", "as reported by X".

A reporter is a source of information, not a party to the event, so it is kept apart from the
event's actors (an accusation's accused act is the accused's, reported by the accuser).
"""

from __future__ import annotations

from spacy.tokens import Token

from transforms.event_actors import Actor, ActorFinder, children_with, pobj_of
from transforms.event_arguments import SUBJECT_DEPS, clause_subject

__all__ = ["reporter"]

#: Links into a noun phrase: an event noun inside one is not what the clause's verb reports.
ARGUMENT_DEPS = {"nsubj", "nsubjpass", "dobj", "attr", "appos", "poss", "compound", "dative"}
COMPLEMENT_DEPS = {"ccomp", "xcomp", "parataxis", "conj"}
#: Verbs of saying whose subject reports an event in their complement.
SPEECH_LEMMAS = {"say", "tell", "report", "claim", "state", "announce", "add", "note", "write",
                 "quote", "confirm", "declare", "assert", "insist", "allege", "accuse", "blame",
                 "argue", "believe", "reveal", "acknowledge", "admit", "deny"}


def _speaker(verb: Token, finder: ActorFinder) -> Actor | None:
    """The one who says: the subject of "X said", or the agent of "as reported by X"."""
    agent = next((pobj_of(c) for c in verb.children if c.dep_ == "agent"), None)
    if agent is not None:
        return finder.actor(agent)
    subject, passive = clause_subject(verb)
    return None if passive else finder.actor(subject)


def reporter(token: Token, finder: ActorFinder) -> Actor | None:
    """Return who reports the event: "X said Y attacked", "Y attacked, according to X".

    The reporter is a source of information, not a party to the event: "X said Y had attacked
    Z" is Y's attack on Z, reported by X.
    """
    for word in token.sent:
        if word.lower_ == "according":
            to = next((c for c in word.children if c.lower_ == "to"), None)
            pobj = pobj_of(to) if to is not None else None
            if pobj is not None and finder.actor(pobj) is not None:
                return finder.actor(pobj)
    current, came_from = token, None
    for _ in range(6):
        if (came_from is not None and current.lemma_.lower() in SPEECH_LEMMAS
                and _is_complement(came_from)):
            return _speaker(current, finder)
        # "as reported by X"; "NATO, Shoigu noted, is …" (the aside hangs off the subject)
        asides = [c for c in current.children if c.dep_ in ("parataxis", "advcl")]
        asides += [c for subject in children_with(current, SUBJECT_DEPS) for c in subject.children
                   if c.dep_ == "parataxis"]
        for aside in asides:
            if aside.lemma_.lower() in SPEECH_LEMMAS:
                return _speaker(aside, finder)
        if current.head.i == current.i or current.dep_ in ARGUMENT_DEPS:
            break  # a noun phrase's event is not reported by the verb it is an argument of
        current, came_from = current.head, current
    return None


def _is_complement(child: Token) -> bool:
    """Whether `child` carries what its head verb says: "said (that) …", "accused X of …"."""
    return child.dep_ in COMPLEMENT_DEPS or (child.dep_ == "prep" and child.lower_ in ("of", "for"))
