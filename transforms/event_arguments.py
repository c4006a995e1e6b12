"""Who did it and to whom: an event trigger's source and target actors from the dependency parse.

Subjects through active and passive voice and inherited subjects ("are trying to restore"),
targets in the object, its phrase ("ties with X") or a purpose clause, and the performers of
noun events ("X held talks"). Actors themselves come from `transforms.event_actors`.
"""

from __future__ import annotations

from spacy.tokens import Token

from transforms.event_actors import Actor, ActorFinder, children_with, pobj_of

__all__ = ["OBJECT_CONTROL_LEMMAS", "RAISING_PASSIVES", "SUBJECT_DEPS", "TOPIC_PREPS",
           "clause_subject", "nominal_actors", "raising_subject", "verb_of_nominal",
           "verbal_actors"]

SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
OBJECT_DEPS = {"dobj", "obj", "attr", "dative"}
TARGET_PREPS = {"with", "against", "on", "to", "at", "toward", "towards", "for", "from", "into"}
#: Prepositions naming what a verb is about: "warned of X", "complained about X". The one
#: warned or complained about is the counterpart, but only when no object names one.
TOPIC_PREPS = {"of", "about"}
#: What an actor mobilises of its own: "deployed troops", "sent warships".
OWN_FORCES = {"troop", "troops", "force", "forces", "soldier", "soldiers", "warship", "warships",
              "personnel", "reinforcement", "reinforcements", "unit", "units", "police",
              "policeman", "policemen", "officer", "officers", "reservist", "reservists",
              "tank", "tanks", "jet", "jets", "ship", "ships", "battalion", "battalions"}
#: Particles of phrasal verbs that the parser may attach as prepositions ("cordoned off X").
PARTICLES = {"off", "up", "down", "out"}
#: Prepositions of nearness: their object's phrase may name the counterpart ("near a vessel
#: from X"), the object itself is only where it happened ("near Goma").
NEAR_PREPS = {"near"}
#: Adverbs of nearness carrying a "to"/"with" phrase: "marched close to the border with X".
#: Another adverb holding such a phrase is usually an object the tagger missed ("contribute
#: a million florin to X"), whose phrase names the counterpart itself.
NEAR_ADVERBS = {"close", "closer", "closest", "near", "nearer", "nearest", "next", "adjacent",
                "right", "nearby"}
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
#: Prepositions whose gerund is done by the governing verb's object ("accused X of V-ing").
OBJECT_OF_PREPS = {"of", "for", "with", "against", "from"}
#: Pronoun subjects that stand for an earlier actor of the sentence ("Kenya said it would …");
#: the value says whether the antecedent must be a person.
PERSONAL_PRONOUNS = {"it": False, "they": False, "he": True, "she": True}
#: Possessive pronouns on noun events, with the subject pronoun they stand in for.
POSSESSIVE_PRONOUNS = {"its": "it", "their": "they", "his": "he", "her": "she"}
#: Passive verbs that raise the subject of their "to" clause: "X is said to have attacked Y",
#: "X is expected to meet Y". X is the one who attacks or meets, not the one said or expected;
#: the value is the mode the raising verb gives the event.
RAISING_PASSIVES = {"say": "alleged", "believe": "alleged", "report": "alleged",
                    "think": "alleged", "allege": "alleged", "suspect": "alleged",
                    "understand": "alleged", "rumor": "alleged", "rumour": "alleged",
                    "claim": "alleged", "know": "asserted", "see": "asserted",
                    "expect": "future", "schedule": "future", "set": "future"}
CLIMB_DEPS = {"xcomp", "conj", "advcl", "relcl", "acl", "prep", "pobj", "pcomp", "ccomp",
              "acomp"}
#: Verbs whose subject performs the event their object names ("held talks", "paid a visit").
LIGHT_VERBS = {"hold", "make", "pay", "conduct", "launch", "stage", "carry", "begin", "start",
               "open", "resume", "continue", "have"}
#: "arrived on a visit", "left for talks", "spoke during a meeting": the subject takes part.
CIRCUMSTANCE_PREPS = {"on", "for", "during", "in", "at"}
#: Noun events one goes "on" ("arrived on a visit"); other "on" phrases are topics.
JOURNEY_NOUNS = {"visit", "trip", "tour", "mission"}


def clause_subject(token: Token) -> tuple[Token | None, bool]:
    """Return the clause subject and whether it is passive.

    Climbs from "to restore" to "are trying" and through conjunctions to find an inherited
    subject; a relative pronoun subject stands for the noun its clause modifies. A subject
    inherited through "to" clauses lends no voice: "X was forced to attack Y" is X's attack,
    "X wants to be invited" is someone's invitation of X.
    """
    current = token
    own_passive = any(child.dep_ == "auxpass" for child in token.children)
    via_xcomp = False
    for _ in range(5):
        # "accused X of attacking": the one accused is the one said to attack.
        # "warned X against attacking", "barred X from joining": X is the one who would.
        if current.dep_ == "pcomp" and current.head.lower_ in OBJECT_OF_PREPS:
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
            passive = own_passive if via_xcomp else subject.dep_ == "nsubjpass"
            if subject.lower_ in RELATIVE_PRONOUNS and current.dep_ == "relcl":
                # "soldiers who attacked X were arrested": the voice is the relative clause's
                return current.head, passive
            return subject, passive
        raised = raising_subject(current)
        if raised is not None:
            # "X is said to have been attacked": the voice is the raised clause's own
            return raised, any(child.dep_ == "auxpass" for child in current.children)
        if current.dep_ in CLIMB_DEPS and current.head.i != current.i:
            via_xcomp = via_xcomp or current.dep_ == "xcomp"
            current = current.head
            continue
        break
    return None, False


def raising_subject(clause: Token) -> Token | None:
    """The subject a raising passive lends its "to" clause: "X is said to V" gives X."""
    head = clause.head
    if clause.dep_ != "xcomp" or head.lemma_.lower() not in RAISING_PASSIVES:
        return None
    return next(iter(children_with(head, {"nsubjpass"})), None)


def _antecedent(pronoun: Token, finder: ActorFinder, as_word: str | None = None
                ) -> list[Actor]:
    """The actors a pronoun subject stands for: "Kenya said it would sanction Uganda".

    The subject of a verb above the pronoun's clause comes first ("X said it …", "X denied
    that they …"); else the nearest earlier subject in the sentence. "he"/"she" take only a
    person, "it" and "they" only a non-person (a group, a country, an organisation). A verb
    that judges its object for a deed points at the object: "blamed X for its attack".
    """
    wants_person = PERSONAL_PRONOUNS.get(as_word or pronoun.lower_, False)

    def fits(token: Token) -> list[Actor]:
        found = finder.actors(token) if token.pos_ != "PRON" else []
        ent = finder.entity_of(token)
        is_person = ent is not None and ent["label"] == "PERSON"
        return found if found and is_person == wants_person else []

    current = pronoun.head
    for _ in range(4):
        if current.head.i == current.i:
            break
        current = current.head
        judged = (children_with(current, {"dobj"})
                  if current.lemma_.lower() in JUDGING_LEMMAS else [])
        for subject in judged + children_with(current, {"nsubj"}):
            if subject.i < pronoun.i and (found := fits(subject)):
                return found
    for left in reversed(list(pronoun.sent[: pronoun.i - pronoun.sent.start])):
        if left.dep_ == "nsubj" and (found := fits(left)):
            return found
    return []


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


def _prep_targets(token: Token, finder: ActorFinder) -> list[Actor]:
    """The counterpart in a verb's prepositional phrase: "protested against X".

    The phrase may name it one level down ("fired near a vessel from X", "marched close to
    the border with X", "sent troops into X"); "near" and "close to" only that way, since the
    place itself ("near Goma") locates the event rather than naming a party to it.
    """
    preps = children_with(token, {"prep"})
    # "close to the border with X", "nearer to X": the preposition hangs off an adverb
    preps += [prep for adverb in children_with(token, {"advmod", "acomp"})
              for prep in children_with(adverb, {"prep"}) if prep.lower_ in ("to", "with")]
    for prep in preps:
        pobj = pobj_of(prep)
        if prep.lower_ not in TARGET_PREPS | NEAR_PREPS | TOPIC_PREPS or pobj is None:
            continue
        near = prep.lower_ in NEAR_PREPS or (prep.head.i != token.i
                                             and prep.head.lower_ in NEAR_ADVERBS)
        targets = ([] if near else finder.actors(pobj)) or _phrase_targets(pobj, finder, 1)
        if targets:
            return targets
    return []


def verbal_actors(token: Token, finder: ActorFinder, event_type: str | None = None
                  ) -> tuple[list[Actor], list[Actor]]:
    """Return the sources and targets of a verb trigger (passive voice swapped).

    The forces a MOBILIZE verb moves are the source's own ("deployed troops to X"): the
    counterpart is where they go, not the troops.
    """
    subject, passive = clause_subject(token)
    if subject is None:
        subject = _dangling_subject(token, finder)
    agent = next((pobj for child in token.children if child.dep_ == "agent"
                  for pobj in child.children if pobj.dep_ == "pobj"), None)
    targets: list[Actor] = []
    # "cordoned off the roads": the parser may take a verb's particle for a preposition
    particles = [pobj for prep in children_with(token, {"prep"})
                 if prep.lower_ in PARTICLES and (pobj := pobj_of(prep)) is not None]
    for obj in children_with(token, OBJECT_DEPS) + particles:
        if event_type == "MOBILIZE" and obj.lemma_.lower() in OWN_FORCES:
            continue
        if obj.lower_ in RELATIVE_PRONOUNS and token.dep_ == "relcl":
            obj = token.head  # "Uganda, which Kenya attacked": the noun the clause modifies
        if obj.dep_ == "dative" and obj.pos_ == "ADP":
            obj = pobj_of(obj) or obj  # "granted asylum to X": the parser's dative "to"
        targets = finder.actors(obj) or _phrase_targets(obj, finder)
        if targets:
            break
    if not targets:
        targets = _prep_targets(token, finder)
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
    if subject is not None and subject.lower_ in PERSONAL_PRONOUNS:
        subjects = _antecedent(subject, finder) or subjects
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


def nominal_actors(token: Token, finder: ActorFinder, event_type: str | None = None,
                   inherit: bool = True) -> tuple[list[Actor], list[Actor]]:
    """Return the sources and targets of a noun trigger ("X's attack on Y", "talks with Y").

    "of" names the performer of a meeting ("a meeting of ministers") but the one who
    undergoes an attack, an arrest or a condemnation ("the bombing of Belgrade by NATO").
    With `inherit`, a noun event with no performer of its own takes the subject of the verb
    it is the object or circumstance of ("X held talks", "X arrived on a visit").
    """
    of_undergoes = event_type in OF_UNDERGOER_TYPES
    source_preps = NOMINAL_SOURCE_PREPS - {"of"} if of_undergoes else NOMINAL_SOURCE_PREPS
    target_preps = NOMINAL_TARGET_PREPS | {"of"} if of_undergoes else NOMINAL_TARGET_PREPS
    sources: list[Actor] = []
    targets: list[Actor] = []
    for child in token.children:
        if child.dep_ == "compound" and child.idx in finder.locality_at:
            continue  # "the Kabul attack", "the Geneva agreement": where, not who
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
    if not sources and inherit:
        verb = verb_of_nominal(token)
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
        # "Gondor and Osgiliath postponed their meeting": their = Gondor and Osgiliath
        sources = sources or [actor for child in children_with(token, {"poss"})
                              if child.lower_ in POSSESSIVE_PRONOUNS
                              for actor in _antecedent(child, finder,
                                                       POSSESSIVE_PRONOUNS[child.lower_])]
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


def verb_of_nominal(token: Token) -> Token | None:
    """The verb whose subject performs a noun event: "X held talks", "X arrived on a visit"."""
    if token.dep_ == "dobj" and token.head.lemma_.lower() in LIGHT_VERBS:
        return token.head
    prep = token.head
    if prep.lower_ == "on" and token.lemma_.lower() not in JOURNEY_NOUNS:
        return None  # "commented on the talks": the talks are the topic, not a circumstance
    if (token.dep_ == "pobj" and prep.lower_ in CIRCUMSTANCE_PREPS
            and prep.head.pos_ in ("VERB", "AUX")):
        return prep.head
    return None
