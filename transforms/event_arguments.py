"""Who did it and to whom: an event trigger's source and target actors from the dependency parse.

Subjects through active and passive voice and inherited subjects ("are trying to restore"),
targets in the object, its phrase ("ties with X") or a purpose clause, and the performers of
noun events ("X held talks"). Actors themselves come from `transforms.event_actors`.
"""

from __future__ import annotations

from spacy.tokens import Token

from transforms.event_actors import Actor, ActorFinder, children_with, pobj_of

__all__ = ["OBJECT_CONTROL_LEMMAS", "SUBJECT_DEPS", "clause_subject", "nominal_actors",
           "verbal_actors"]

SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
OBJECT_DEPS = {"dobj", "obj", "attr", "dative"}
TARGET_PREPS = {"with", "against", "on", "to", "at", "toward", "towards", "for", "from"}
#: Prepositions inside an object phrase that introduce the counterpart: "restore ties with X",
#: "condemned an attack by X", "a resumption of ties between X and Y".
OBJECT_PHRASE_PREPS = TARGET_PREPS | {"between", "by", "of", "over", "about"}
#: Prepositions naming a noun event's performer: "talks of X", "an attack by X",
#: "talks between X and Y", "an attack from X".
NOMINAL_SOURCE_PREPS = {"of", "by", "between", "from"}
NOMINAL_TARGET_PREPS = {"on", "against", "with", "to"}
#: Noun events whose "of" phrase is the one acted on: "the invasion of Kuwait", "the arrest
#: of X", "condemnation of Y", "rejection of Z".
OF_UNDERGOER_TYPES = {"ASSAULT", "COERCE", "ACCUSE", "REJECT", "SANCTION", "THREATEN"}
#: Verbs that judge their object for a deed: "blamed Uganda for the attack" (Uganda did it),
#: unlike "left Paris for talks".
JUDGING_LEMMAS = {"blame", "accuse", "condemn", "criticize", "criticise", "denounce", "praise",
                  "thank", "punish", "sanction", "fault", "commend", "congratulate", "rebuke"}
#: Verbs whose object, not subject, is to do what their "to" clause says.
OBJECT_CONTROL_LEMMAS = {"urge", "ask", "call", "force", "persuade", "tell", "order", "invite",
                         "allow", "encourage", "press", "pressure", "advise", "require",
                         "compel", "authorize", "permit", "instruct", "push", "warn", "help"}
RELATIVE_PRONOUNS = {"who", "which", "that", "whom"}
CLIMB_DEPS = {"xcomp", "conj", "advcl", "relcl", "acl", "prep", "pobj", "pcomp", "ccomp",
              "acomp"}
#: Verbs whose subject performs the event their object names ("held talks", "paid a visit").
LIGHT_VERBS = {"hold", "make", "pay", "conduct", "launch", "stage", "carry", "begin", "start",
               "open", "resume", "continue", "have"}
#: "arrived on a visit", "left for talks", "spoke during a meeting": the subject takes part.
CIRCUMSTANCE_PREPS = {"on", "for", "during", "in", "at"}


def clause_subject(token: Token) -> tuple[Token | None, bool]:
    """Return the clause subject and whether it is passive.

    Climbs from "to restore" to "are trying" and through conjunctions to find an inherited
    subject; a relative pronoun subject stands for the noun its clause modifies.
    """
    current = token
    for _ in range(5):
        # "accused X of attacking": the one accused is the one said to attack.
        if current.dep_ == "pcomp" and current.head.lower_ in ("of", "for", "with"):
            objects = children_with(current.head.head, OBJECT_DEPS)
            if objects:
                return objects[0], False
        subjects = children_with(current, SUBJECT_DEPS)
        if (not subjects and current.dep_ == "xcomp"
                and current.head.lemma_.lower() in OBJECT_CONTROL_LEMMAS):
            objects = children_with(current.head, {"dobj"})
            if objects:  # "urged Myanmar to release": Myanmar is to release
                return objects[0], False
        if subjects:
            subject = subjects[0]
            if subject.lower_ in RELATIVE_PRONOUNS and current.dep_ == "relcl":
                # "soldiers who attacked X were arrested": the voice is the relative clause's
                return current.head, subject.dep_ == "nsubjpass"
            return subject, subject.dep_ == "nsubjpass"
        if current.dep_ in CLIMB_DEPS and current.head.i != current.i:
            current = current.head
            continue
        break
    return None, False


def _dangling_subject(token: Token, finder: ActorFinder) -> Token | None:
    """When the parse found no subject, take the nearest actor to the left of a root verb."""
    if token.dep_ != "ROOT":
        return None
    for left in reversed(list(token.sent[: token.i - token.sent.start])):
        if left.dep_ in ("pobj", "dobj") or left.pos_ == "VERB":
            return None
        if finder.actor(left) is not None:
            return left
    return None


def _phrase_targets(head: Token, finder: ActorFinder, max_depth: int = 3) -> list[Actor]:
    """The first actors inside a phrase, breadth first through counterpart prepositions.

    "welcomed a resumption of formal ties with X": X is two prepositions below the object.
    Relative clauses and places ("in X") are not searched.
    """
    level = [head]
    for _ in range(max_depth):
        following = []
        for token in level:
            for child in token.children:
                if (child.dep_ == "prep" and child.lower_ in OBJECT_PHRASE_PREPS
                        or child.dep_ == "agent"):
                    pobj = pobj_of(child)
                    if pobj is not None:
                        following.append(pobj)
                elif child.dep_ in ("acl", "dobj", "compound", "xcomp"):
                    following.append(child)
        found = [actor for token in following for actor in finder.actors(token)]
        if found:
            return found
        level = following
        if not level:
            break
    return []


def verbal_actors(token: Token, finder: ActorFinder) -> tuple[list[Actor], list[Actor]]:
    """Return the sources and targets of a verb trigger (passive voice swapped)."""
    subject, passive = clause_subject(token)
    if subject is None:
        subject = _dangling_subject(token, finder)
    agent = next((pobj for child in token.children if child.dep_ == "agent"
                  for pobj in child.children if pobj.dep_ == "pobj"), None)
    targets: list[Actor] = []
    for obj in children_with(token, OBJECT_DEPS):
        targets = finder.actors(obj) or _phrase_targets(obj, finder)
        if targets:
            break
    if not targets:
        for prep in children_with(token, {"prep"}):
            if prep.lower_ in TARGET_PREPS:
                targets = finder.actors(pobj_of(prep))
                if targets:
                    break
    if not targets:
        # "demanded that Uganda withdraw", "warned that Chad would …": the one the demand or
        # warning is about
        for clause in children_with(token, {"ccomp"}):
            targets = finder.actors(next(iter(children_with(clause, SUBJECT_DEPS)), None))
            if targets:
                break
    if not targets:
        # "signed an accord to supply Egypt", "agreed to share data with Chad": the party of
        # the purpose clause is the counterpart
        for purpose in children_with(token, {"xcomp", "advcl"}):
            if any(c.dep_ == "aux" and c.lower_ == "to" for c in purpose.children):
                targets = _phrase_targets(purpose, finder, max_depth=1) or [
                    actor for prep in children_with(purpose, {"prep"})
                    if prep.lower_ in TARGET_PREPS for actor in finder.actors(pobj_of(prep))]
                if targets:
                    break
    subjects = finder.actors(subject)
    if subject is not None and subject.dep_ in SUBJECT_DEPS:
        # "Unions, farmers, and Chad welcomed": the parser may give a verb two subjects
        for other in children_with(subject.head, {subject.dep_}):
            if other.i != subject.i:
                subjects += [a for a in finder.actors(other) if a not in subjects]
    if passive:
        return finder.actors(agent), subjects
    if _reciprocal(token):
        return subjects, subjects  # "A and B accused each other": A→B and B→A
    return subjects, targets


def _reciprocal(token: Token) -> bool:
    """Whether the verb's object is "each other" or "one another"."""
    for obj in children_with(token, OBJECT_DEPS):
        pair = {obj.lower_} | {c.lower_ for c in obj.children if c.dep_ == "det"}
        if pair in ({"each", "other"}, {"one", "another"}):
            return True
    return False


def nominal_actors(token: Token, finder: ActorFinder, event_type: str | None = None
                   ) -> tuple[list[Actor], list[Actor]]:
    """Return the sources and targets of a noun trigger ("X's attack on Y", "talks with Y").

    "of" names the performer of a meeting ("a meeting of ministers") but the one who
    undergoes an attack, an arrest or a condemnation ("the bombing of Belgrade by NATO").
    """
    of_undergoes = event_type in OF_UNDERGOER_TYPES
    source_preps = NOMINAL_SOURCE_PREPS - {"of"} if of_undergoes else NOMINAL_SOURCE_PREPS
    target_preps = NOMINAL_TARGET_PREPS | {"of"} if of_undergoes else NOMINAL_TARGET_PREPS
    sources: list[Actor] = []
    targets: list[Actor] = []
    for child in token.children:
        if child.dep_ in ("poss", "compound") and finder.actors(child):
            sources = sources or finder.actors(child)
        elif child.dep_ == "prep" and child.lower_ in source_preps:
            sources = sources or finder.actors(pobj_of(child))
    if not sources:
        # "a Russian attack", "an Israeli airstrike": the demonym names the performer
        sources = [actor for child in token.children if child.dep_ == "amod"
                   for actor in finder.demonym_actors(child)][:1]
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in target_preps:
            targets = targets or finder.actors(pobj_of(child))
    targets = targets or _undergoer(token, finder)
    if not sources:
        verb = _verb_of_nominal(token)
        judged = (verb is not None and token.head.lower_ == "for"
                  and verb.lemma_.lower() in JUDGING_LEMMAS)
        blamed = [actor for obj in children_with(verb, {"dobj"}) for actor in finder.actors(obj)
                  ] if judged else []
        if blamed:
            # "blamed Uganda for the attack": the one blamed is the one said to have acted
            sources = blamed
        elif verb is not None:
            sources, verb_targets = verbal_actors(verb, finder)
            # "arrived in Amman on a visit": the place the subject went to is the counterpart
            targets = targets or verb_targets or [
                actor for prep in children_with(verb, {"prep"}) if prep.lower_ in ("in", "to")
                for actor in finder.actors(pobj_of(prep))]
    return sources, [t for t in targets if t not in sources]


def _undergoer(token: Token, finder: ActorFinder) -> list[Actor]:
    """The one a noun event befell: "Kyiv was hit by an attack", "Y came under attack"."""
    prep = token.head
    if token.dep_ != "pobj" or prep.head.pos_ not in ("VERB", "AUX"):
        return []
    verb = prep.head
    if prep.dep_ == "agent":
        return finder.actors(next(iter(children_with(verb, {"nsubjpass"})), None))
    if prep.lower_ == "under":
        return finder.actors(next(iter(children_with(verb, {"nsubj"})), None))
    return []


def _verb_of_nominal(token: Token) -> Token | None:
    """The verb whose subject performs a noun event: "X held talks", "X arrived on a visit"."""
    if token.dep_ == "dobj" and token.head.lemma_.lower() in LIGHT_VERBS:
        return token.head
    prep = token.head
    if (token.dep_ == "pobj" and prep.lower_ in CIRCUMSTANCE_PREPS
            and prep.head.pos_ in ("VERB", "AUX")):
        return prep.head
    return None
