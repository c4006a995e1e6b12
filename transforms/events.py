"""Events: PLOVER/CAMEO-typed triggers with who did it, to whom, where and when.

Triggers come from a lexicon shipped as data (`patterns/event_triggers.jsonl`); arguments come
from the dependency parse (subject, object, passive agent, inherited subjects of "trying to X",
prepositional places). When no lexicon entry fits, no event is emitted: there is no default code.
"""

from __future__ import annotations

import datetime as dt

from spacy.tokens import Doc, Span, Token

from transforms.dates import clause_tense, timex_to_date
from transforms.event_actors import Actor, ActorFinder
from transforms.event_arguments import (
    OBJECT_CONTROL_LEMMAS,
    RAISING_PASSIVES,
    TOPIC_PREPS,
    clause_subject,
    nominal_actors,
    verb_of_nominal,
    verbal_actors,
)
from transforms.event_lexicon import OBJECT_DEPS, load_triggers, trigger_row
from transforms.event_places import article_places, event_place_fields
from transforms.event_reporters import reporter

__all__ = ["event_date", "extract_events", "load_triggers"]

PLACE_PREPS = {"in", "at", "near", "outside", "inside", "across", "throughout", "into", "from"}
MODAL_MODES = {"may": "possible", "might": "possible", "could": "possible", "would": "possible",
               "will": "future", "shall": "future", "should": "possible", "must": "obligation"}
INTENT_LEMMAS = {"plan": "planned", "intend": "planned", "threaten": "threatened",
                 "vow": "planned", "try": "attempted", "seek": "attempted", "want": "planned",
                 "prepare": "planned", "refuse": "refused", "fail": "failed",
                 "deny": "denied"}  # "denied attacking": reported, not asserted
#: Verbs that call a noun event off ("postponed the talks", "the visit was cancelled"): it did
#: not take place, so it is not coded (CAMEO codes the meeting only when one was held).
CANCEL_LEMMAS = {"postpone", "cancel", "delay", "scrap", "defer", "suspend", "abandon",
                 "adjourn"}
ASPECTUAL_LEMMAS = {"begin", "start", "continue", "resume", "manage", "keep", "go", "come"}
#: Types whose co-actors act with each other when nobody else is named: "A and B met",
#: "A and B agreed", "talks between A and B" give A→B and B→A. A lexicon row's `mutual`
#: overrides the type's default ("A and B clashed").
MUTUAL_TYPES = {"CONSULT", "AGREE", "COOPERATE"}
UNATTRIBUTED_OK = {"ASSAULT", "PROTEST", "COERCE"}
#: Modes that announce an event rather than report it ("will meet", "plans to visit").
INTENT_MODES = {"future", "planned", "intended"}
#: Attachments a noun event's setting climbs through to the event verb it belongs to.
SCENE_CLIMB_DEPS = {"xcomp", "acl", "advcl", "prep", "pobj", "pcomp"}
#: CAMEO codes announced cooperation under "express intent" (03x), not under the event itself:
#: the codebook's 036 is "offer, promise, agree to, or otherwise indicate willingness or
#: commitment to meet, visit, or engage in talks"; 033 the same for material aid, 035 for
#: yielding, 032 for diplomatic support. PLOVER keeps the type and records the mode.
#: Only meetings take it from any announcement ("will meet", "plans to visit"); the others
#: only when a verb of promise introduces them (MODE_ONLY_LEMMAS), as PETRARCH codes "is about
#: to restore ties" as the restoring (064) itself.
INTENT_CAMEO = {"CONSULT": "036"}
PROMISED_CAMEO = {**INTENT_CAMEO, "AID": "033", "CONCEDE": "035", "RETREAT": "035",
                  "SUPPORT": "032", "COOPERATE": "030", "AGREE": "030"}
#: CAMEO codes a threatened act under "threaten" (13x): 138 "threaten to use military force",
#: 137 "with repression", 133 "with political dissent or protest", 131 "non-force" (sanctions,
#: cut relations); anything else 130. PLOVER keeps the threatened act's type, mode threatened.
THREAT_CAMEO = {"ASSAULT": "138", "MOBILIZE": "138", "COERCE": "137", "PROTEST": "133",
                "SANCTION": "131"}
#: Verbs whose own event is only the mode of the act they introduce: "agreed to meet",
#: "promised to send aid", "threatened to attack". The act is coded once, with the mode and
#: the CAMEO intent or threat code above, as CAMEO codes the clause (one event, 036 or 138),
#: not as an agreement or a threat plus the act.
MODE_ONLY_TYPES = {"AGREE", "THREATEN"}
MODE_ONLY_LEMMAS = {"agree", "promise", "pledge", "vow", "threaten", "offer", "undertake"}


def _children(token: Token, deps: set[str]) -> list[Token]:
    return [child for child in token.children if child.dep_ in deps]


def _mode(token: Token) -> str:
    """Record negation and modality as a mode, not as a different event."""
    if any(child.dep_ == "neg" for child in token.children):
        return "negated"
    for child in token.children:
        if child.dep_ == "aux" and child.lower_ in MODAL_MODES:
            return MODAL_MODES[child.lower_]
    if (token.dep_ == "xcomp" and token.head.lemma_.lower() in OBJECT_CONTROL_LEMMAS
            and any(child.dep_ in ("dobj", "nsubjpass") for child in token.head.children)):
        return "requested"  # "urged Myanmar to release", "Myanmar was urged to release"
    if token.dep_ == "xcomp" and token.head.lemma_.lower() in RAISING_PASSIVES and any(
            child.dep_ == "nsubjpass" for child in token.head.children):
        return RAISING_PASSIVES[token.head.lemma_.lower()]  # "X is said to have attacked Y"
    if token.dep_ == "pcomp" and token.head.lower_ in ("against", "from"):
        return "possible"  # "warned X against attacking", "barred X from joining"
    if token.dep_ == "ccomp" and token.head.lemma_.lower() == "deny":
        return "denied"  # "denied that it had attacked": reported, not asserted
    if token.dep_ == "xcomp" and token.head.lemma_.lower() in INTENT_LEMMAS:
        return INTENT_LEMMAS[token.head.lemma_.lower()]
    if token.dep_ == "xcomp" and any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children) \
            and token.head.lemma_.lower() not in ASPECTUAL_LEMMAS:
        return "intended"  # "agreed to share", "expects to sign": not yet done
    return "asserted"


def _actor_pairs(sources: list[Actor], targets: list[Actor], row: dict
                 ) -> list[tuple[Actor | None, Actor | None]]:
    """One (source, target) pair per actor pair, as PETRARCH codes co-actors.

    Co-actors of a mutual trigger with no other party are paired both ways; a symmetric
    trigger ("A met B") also codes the target acting on the source.
    """
    mutual = not targets and row.get("mutual", row["type"] in MUTUAL_TYPES)
    if len(sources) > 1 and (mutual or targets == sources):  # or "accused each other"
        return [(a, b) for a in sources for b in sources if a != b]
    pairs = [(a, b) for a in (sources or [None]) for b in (targets or [None])
             if a is None or b is None or a != b] or [(sources[0], None)]
    if row.get("symmetric"):
        pairs += [(b, a) for a, b in pairs if a is not None and b is not None]
    return pairs


def _clause_tokens(token: Token) -> range:
    """The trigger's clause: its subtree plus, for a verb, its subject's subtree."""
    return range(token.left_edge.i, token.right_edge.i + 1)


def _place_heads(token: Token) -> set[int]:
    """Tokens whose place-preposition children locate the event: the trigger, its subject."""
    if token.pos_ == "NOUN":
        return {t.i for t in token.subtree}
    heads = {token.i}
    subject, _ = clause_subject(token)
    if subject is not None and subject.i < token.i:
        heads.update(t.i for t in subject.subtree)
    for agent in _children(token, {"agent"}):
        heads.update(t.i for t in agent.subtree)
    for prep in _children(token, {"prep"}):
        if prep.lower_ in ("at", "during"):  # "at the meeting ... in Minsk"
            heads.update(t.i for t in prep.subtree)
    return heads


def _place(token: Token, places: list[dict], sentence: Span) -> dict | None:
    """The place mention of the trigger's clause ("in X"), if there is one."""
    heads = _place_heads(token)
    doc = token.doc
    in_clause = []
    for place in places:
        if not (sentence.start_char <= place["start"] < sentence.end_char):
            continue
        head = doc.char_span(place["start"], place["end"], alignment_mode="expand")
        if head is None:
            continue
        root = head.root
        prep = root.head
        if prep.dep_ == "prep" and prep.lower_ in PLACE_PREPS and prep.head.i in heads:
            in_clause.append((abs(root.i - token.i), place["start"], place))
    if in_clause:
        return min(in_clause, key=lambda x: (x[0], x[1]))[2]
    return None


def _date(token: Token, dates: list[dict], sentence: Span) -> tuple[dict | None, str | None]:
    """The date expression in the trigger's clause, else the sentence's only date; and which."""
    clause = _clause_tokens(token)
    doc = token.doc
    in_sentence = [d for d in dates if sentence.start_char <= d["start"] < sentence.end_char
                   and d.get("type") in ("DATE", "TIME", None)]
    in_clause = []
    for item in in_sentence:
        span = doc.char_span(item["start"], item["end"], alignment_mode="expand")
        if span is not None and span.root.i in clause and _governed_by(span.root, token):
            in_clause.append((abs(span.root.i - token.i), item["start"], item))
    if in_clause:
        return min(in_clause, key=lambda x: (x[0], x[1]))[2], "clause"
    if len(in_sentence) == 1:
        only = in_sentence[0]
        span = doc.char_span(only["start"], only["end"], alignment_mode="expand")
        if span is not None and _governing_verb(span.root) == _governing_verb(token):
            return only, "sentence"
    return None, None


def _governing_verb(word: Token) -> int:
    """The index of the nearest verb at or above `word` (the sentence root if none)."""
    current = word
    for _ in range(20):
        if current.pos_ in ("VERB", "AUX") or current.head.i == current.i:
            return current.i
        current = current.head
    return current.i


def _governed_by(word: Token, trigger: Token) -> bool:
    """True when the path from `word` up to `trigger` crosses no other verb or event noun.

    "consulted on a proposal to be put to the summit in June": June dates the summit, not
    the consultation.
    """
    current = word.head
    for _ in range(12):
        if current.i == trigger.i:
            return True
        if current.pos_ in ("VERB", "AUX") or trigger_row(current) is not None:
            return False
        if current.head.i == current.i:
            return False
        current = current.head
    return False


def event_date(date: dict | None, how: str | None, published: dt.date | None) -> dict:
    """Resolve an event's date: its own date expression, else the publication date.

    Returns `date_value` (TIMEX3), `event_date` (ISO day, first day of a month/year value),
    `date_precision` and `date_rule` ("clause", "sentence", "publication", or "unresolved"
    when the expression has no value, e.g. a weekday in an undated article).
    """
    if date is not None:
        value = date.get("value") if date.get("type") in ("DATE", "TIME", None) else None
        day = timex_to_date(value)
        if day is not None:
            return {"date_value": value, "event_date": day.isoformat(),
                    "date_precision": date.get("precision"), "date_rule": how}
    if published is not None:
        return {"date_value": published.isoformat(), "event_date": published.isoformat(),
                "date_precision": "publication", "date_rule": "publication"}
    return {"date_value": None, "event_date": None, "date_precision": None,
            "date_rule": "unresolved"}


def extract_events(doc: Doc, entities: list[dict], places: list[dict], dates: list[dict],
                   published: dt.date | None = None) -> list[dict]:
    """Return one dict per event trigger that the lexicon types, with its arguments."""
    finder = ActorFinder(doc, entities, places)
    sentence_of = {}
    for index, sent in enumerate(doc.sents):
        for token in sent:
            sentence_of[token.i] = (index, sent)
    context = article_places(doc, places)
    events = []
    introduced: set[int] = set()  # where "agreed" of "agreed to meet" starts: the act carries it
    triggers = [(token, row) for token in doc if (row := trigger_row(token)) is not None]
    # "held talks", "signed an agreement": the verb's event already covers its object noun.
    # A passive one ("talks between A and B were held") only when the verb names who held them.
    covered = {child.i for token, row in triggers if row["object"]
               for child in token.children if child.dep_ in OBJECT_DEPS or (
                   child.dep_ == "nsubjpass" and _children(token, {"agent"}))}
    for token, row in triggers:
        if row["pos"] == "NOUN" and (token.i in covered or _setting_of_event(token, finder, row)
                                     or _called_off(token)):
            continue
        if row["pos"] == "VERB":
            sources, targets = verbal_actors(token, finder, row["type"])
        else:
            sources, targets = nominal_actors(token, finder, row["type"])
        index, sentence = sentence_of[token.i]
        place = _place(token, places, sentence)
        # A nominal trigger needs an actor ("talks between X and Y"); attacks and protests are
        # informative with only a place ("a bombing in Kabul").
        located_only_ok = row["type"] in ("ASSAULT", "PROTEST") and place
        if row["pos"] == "NOUN" and not (sources or targets or located_only_ok):
            continue
        # "during a visit to Eriador", "talks with Iran": without its performer a noun event
        # is half a dyad; only violence, protest and coercion inform with a target alone
        # ("the arrest of X", "an attack on Y").
        if row["pos"] == "NOUN" and not sources and row["type"] not in UNATTRIBUTED_OK:
            continue
        if row["pos"] == "NOUN" and not targets and _commented_on(token, sources, finder):
            continue
        # A verb with nobody doing it is no event to count ("a place to visit", "X was
        # criticized": half a dyad), except violence, protest and coercion, which matter
        # even when unattributed ("Y was attacked", "Z was arrested").
        if row["pos"] == "VERB" and not (sources or row["type"] in UNATTRIBUTED_OK and targets):
            continue  # "ground seized in the fighting": neither side named, no dyad to record
        if row.get("dyadic") and not targets and len(sources) < 2:
            continue  # "the minister discussed the plan": a statement, no consultation
        date, how = _date(token, dates, sentence)
        mode = _mode(token)
        intent_code = INTENT_CAMEO.get(row["type"]) if mode in INTENT_MODES else None
        if _introduced_by(token, mode) is not None:  # "agreed to meet", "threatened to attack"
            introduced.add(token.head.idx)
            intent_code = _mode_cameo(row["type"], mode)
        shared = {
            "start": token.idx, "end": token.idx + len(token.text), "trigger": token.text,
            "type": row["type"], "cameo": intent_code or row["cameo"],
            **event_place_fields(place, context), "date": date["text"] if date else None,
            **event_date(date, how, published), "mode": mode,
            "tense": clause_tense(doc, token.idx, token.idx + len(token.text)),
            "trigger_id": row["id"], "sentence": index,
            **_actor_fields("reported_by", reporter(token, finder), country=False),
        }
        for source, target in _actor_pairs(sources, targets, row):
            events.append({**shared, **_actor_fields("actor1", source),
                           **_actor_fields("actor2", target)})
            if row.get("linked") and source is not None and target is not None:
                # CAMEO's linked event: a visit is also hosted ("A visited B": B hosted A)
                events.append({**shared, "cameo": intent_code or row["linked"],
                               **_actor_fields("actor1", target),
                               **_actor_fields("actor2", source)})
    return [event for event in events if event["start"] not in introduced]


def _mode_cameo(event_type: str, mode: str) -> str | None:
    """The CAMEO code of a promised or threatened act, or None to keep the lexicon's code."""
    if mode in INTENT_MODES:
        return PROMISED_CAMEO.get(event_type)
    if mode == "threatened":
        return THREAT_CAMEO.get(event_type, "130")
    return None


def _introduced_by(token: Token, mode: str) -> Token | None:
    """The verb whose event is only this act's mode ("agreed" in "agreed to meet"), if any."""
    head = token.head
    if (token.dep_ == "xcomp" and mode in INTENT_MODES | {"threatened"}
            and head.lemma_.lower() in MODE_ONLY_LEMMAS
            and (row := trigger_row(head)) is not None and row["type"] in MODE_ONLY_TYPES):
        return head
    return None



def _called_off(token: Token) -> bool:
    """Whether a noun event is postponed, cancelled or suspended: it did not happen."""
    return token.dep_ in ("dobj", "nsubjpass") and token.head.lemma_.lower() in CANCEL_LEMMAS


def _setting_of_event(token: Token, finder: ActorFinder, row: dict) -> bool:
    """Whether a noun event only sets the scene of a verb event ("met B during a visit to C").

    Its performer would be the verb's subject, so it repeats that subject's event with a
    second code; as in CAMEO coding, the clause gives one event, its verb's. A noun event with
    a performer of its own ("condemned Y's attack on Z") stands apart.
    """
    verb = verb_of_nominal(token)
    if verb is None or _event_verb_over(verb) is None:
        return False
    own_sources, _ = nominal_actors(token, finder, row["type"], inherit=False)
    return not own_sources


def _event_verb_over(verb: Token) -> Token | None:
    """The event verb at or above `verb` in its own clause chain, if any.

    "clashed over plans to expand the port during a visit": the visit sets the scene of
    "expand", which is no event, inside the clash, which is; the clause chain climbs through
    infinitive, adverbial and prepositional attachments, never into reported speech.
    """
    current = verb
    for _ in range(8):
        if current.pos_ in ("VERB", "AUX") and trigger_row(current) is not None:
            return current
        if current.dep_ not in SCENE_CLIMB_DEPS or current.head.i == current.i:
            return None
        current = current.head
    return None


def _commented_on(token: Token, sources: list[Actor], finder: ActorFinder) -> bool:
    """Whether a one-sided noun event is the object of an event verb that already names it.

    "X condemned an attack by Y", "X blamed Y for the attack", "X warned of a Ugandan
    attack": the accusation's or warning's target is Y,
    so a second event "Y attacked (nobody)" adds no dyad, and would assert what is only
    alleged; as in CAMEO coding, the clause gives one event. Noun events with both sides
    ("welcomed talks between A and B") are kept.
    """
    verb = token.head
    if token.dep_ == "pobj" and verb.lower_ in {"for", *TOPIC_PREPS}:
        verb = verb.head  # "blamed Uganda for the attack", "warned of a Ugandan attack"
    elif token.dep_ not in OBJECT_DEPS:
        return False
    if trigger_row(verb) is None or verb.pos_ not in ("VERB", "AUX"):
        return False
    _, verb_targets = verbal_actors(verb, finder)
    # "rejected the Russian ultimatum": the target phrase contains the noun event's performer
    return bool(sources) and all(any(source.text in target.text for target in verb_targets)
                                 for source in sources)


def _actor_fields(role: str, actor: Actor | None, country: bool = True) -> dict:
    fields = {role: actor.text if actor else None,
              f"{role}_entity_id": actor.entity_id if actor else None}
    if country:
        fields[f"{role}_country_iso3"] = actor.country_iso3 if actor else None
        fields[f"{role}_sector"] = actor.sector if actor else None
    return fields
