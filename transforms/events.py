"""Events: PLOVER/CAMEO-typed triggers with who did it, to whom, where and when.

Triggers come from a lexicon shipped as data (`patterns/event_triggers.jsonl`); arguments come
from the dependency parse (subject, object, passive agent, inherited subjects of "trying to X",
prepositional places). When no lexicon entry fits, no event is emitted: there is no default code.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc, Span, Token

from transforms.dates import clause_tense, timex_to_date
from transforms.event_places import article_places, event_place_fields

__all__ = ["event_date", "extract_events", "load_triggers"]

PATTERNS = Path(__file__).parent / "patterns"
SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
OBJECT_DEPS = {"dobj", "obj", "attr"}
TARGET_PREPS = {"with", "against", "on", "to", "at", "from", "toward", "towards", "for"}
PLACE_PREPS = {"in", "at", "near", "outside", "inside", "across", "throughout", "into", "from"}
MODAL_MODES = {"may": "possible", "might": "possible", "could": "possible", "would": "possible",
               "will": "future", "shall": "future", "should": "possible", "must": "obligation"}
INTENT_LEMMAS = {"plan": "planned", "intend": "planned", "threaten": "threatened",
                 "vow": "planned", "try": "attempted", "seek": "attempted", "want": "planned",
                 "prepare": "planned", "refuse": "refused", "fail": "failed"}
NON_ACTOR_ENTS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"}
CALENDAR_WORDS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
                  "january", "february", "march", "april", "may", "june", "july", "august",
                  "september", "october", "november", "december", "today", "yesterday",
                  "tomorrow", "tonight", "week", "month", "year", "weekend"}
QUANTITY_HEADS = {"dozens", "hundreds", "thousands", "millions", "scores", "tens", "dozen",
                  "hundred", "thousand", "several", "many", "some", "most", "all", "group",
                  "groups", "number", "crowd", "crowds", "handful"}
ASPECTUAL_LEMMAS = {"begin", "start", "continue", "resume", "manage", "keep", "go", "come"}
ACTOR_NOUNS = {"country", "countries", "government", "governments", "state", "states",
               "minister", "ministers", "official", "officials", "force", "forces", "troops",
               "army", "police", "rebels", "militants", "protesters", "group", "groups",
               "leader", "leaders", "president", "soldiers", "fighters", "people", "residents",
               "villagers", "civilians", "students", "workers", "authorities", "alliance",
               "members", "demonstrators", "insurgents", "gunmen", "party", "opposition"}


@lru_cache(maxsize=1)
def load_triggers() -> dict[tuple[str, str], list[dict]]:
    """Return lexicon rows keyed by (lemma, pos); rows with an object constraint come first."""
    table: dict[tuple[str, str], list[dict]] = {}
    for line in (PATTERNS / "event_triggers.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            table.setdefault((row["lemma"], row["pos"]), []).append(row)
    for rows in table.values():
        rows.sort(key=lambda row: row["object"] is None)
    return table


def _children(token: Token, deps: set[str]) -> list[Token]:
    return [child for child in token.children if child.dep_ in deps]


def _lookup(token: Token) -> dict | None:
    """Return the lexicon row this token triggers, honouring object constraints."""
    pos = "VERB" if token.pos_ in ("VERB", "AUX") else "NOUN" if token.pos_ == "NOUN" else None
    if pos is None:
        return None
    rows = load_triggers().get((token.lemma_.lower(), pos)) or load_triggers().get(
        (token.lower_, pos))
    if not rows:
        return None
    objects = {child.lemma_.lower() for child in token.children if child.dep_ in OBJECT_DEPS}
    objects |= {child.lower_ for child in token.children if child.dep_ in OBJECT_DEPS}
    for row in rows:
        if row["object"] is None or objects & set(row["object"]):
            return row
    return None


class _Arguments:
    """Map tokens to the entity or noun phrase an analyst would name as the actor."""

    def __init__(self, doc: Doc, entities: list[dict]) -> None:
        self.doc = doc
        self.by_char = {}
        for ent in entities:
            for char in range(ent["start"], ent["end"]):
                self.by_char[char] = ent

    def entity_of(self, token: Token) -> dict | None:
        return self.by_char.get(token.idx)

    def actor(self, token: Token | None) -> str | None:
        """Name the actor a token stands for: its entity, an entity it governs, or its phrase."""
        if token is None or token.pos_ == "PRON" and token.lower_ not in ("we", "they"):
            return None
        if token.like_num or token.lower_ in QUANTITY_HEADS:
            # "dozens of protesters", "hundreds of civilians": the group is the actor
            for prep in token.children:
                pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                if prep.dep_ == "prep" and prep.lower_ == "of" and pobj is not None:
                    return self.actor(pobj)
        if token.ent_type_ in NON_ACTOR_ENTS or token.lower_ in CALENDAR_WORDS:
            return None  # "met on Friday": a day is never the one met
        ent = self.entity_of(token)
        if ent is not None:
            return ent["text"]
        for child in token.children:
            if child.dep_ == "appos" and self.entity_of(child) is not None:
                return self.entity_of(child)["text"]  # "the opposition leader X Y" → X Y
        for child in token.children:
            if child.dep_ in ("compound", "amod", "poss", "nmod"):
                ent = self.entity_of(child)
                if ent is not None and ent["label"] != "GROUP":
                    return self._phrase(token)
        if token.lower_ in ACTOR_NOUNS or token.lemma_.lower() in ACTOR_NOUNS:
            return self._phrase(token)
        if token.pos_ == "PROPN" and token.text[:1].isupper():
            return self._phrase(token)  # a name the NER missed is still someone
        return None

    def _phrase(self, token: Token) -> str:
        """The token with its left modifiers, without a leading determiner."""
        left = [t for t in token.lefts if t.dep_ in ("compound", "amod", "poss", "nmod")]
        start = min([token.i] + [t.left_edge.i for t in left])
        while start < token.i and self.doc[start].lower_ in ("the", "a", "an", "its", "their"):
            start += 1
        return self.doc[start:token.i + 1].text


RELATIVE_PRONOUNS = {"who", "which", "that", "whom"}
CLIMB_DEPS = {"xcomp", "conj", "advcl", "relcl", "acl", "prep", "pobj", "pcomp", "ccomp",
              "acomp"}


def _subject(token: Token) -> tuple[Token | None, bool]:
    """Return the clause subject and whether it is passive.

    Climbs from "to restore" to "are trying" and through conjunctions to find an inherited
    subject; a relative pronoun subject stands for the noun its clause modifies.
    """
    current = token
    for _ in range(5):
        # "accused X of attacking": the one accused is the one said to attack.
        if current.dep_ == "pcomp" and current.head.lower_ in ("of", "for", "with"):
            objects = _children(current.head.head, OBJECT_DEPS)
            if objects:
                return objects[0], False
        subjects = _children(current, SUBJECT_DEPS)
        if subjects:
            subject = subjects[0]
            if subject.lower_ in RELATIVE_PRONOUNS and current.dep_ == "relcl":
                subject = current.head
            return subject, subject.dep_ == "nsubjpass"
        if current.dep_ in CLIMB_DEPS and current.head is not current:
            current = current.head
            continue
        break
    return None, False


def _dangling_subject(token: Token, args: _Arguments) -> Token | None:
    """When the parse found no subject, take the nearest actor to the left of a root verb."""
    if token.dep_ != "ROOT":
        return None
    for left in reversed(list(token.sent[: token.i - token.sent.start])):
        if left.dep_ in ("pobj", "dobj") or left.pos_ == "VERB":
            return None
        if args.actor(left) is not None:
            return left
    return None


def _mode(token: Token) -> str:
    """Record negation and modality as a mode, not as a different event."""
    if any(child.dep_ == "neg" for child in token.children):
        return "negated"
    for child in token.children:
        if child.dep_ == "aux" and child.lower_ in MODAL_MODES:
            return MODAL_MODES[child.lower_]
    if token.dep_ == "xcomp" and token.head.lemma_.lower() in INTENT_LEMMAS:
        return INTENT_LEMMAS[token.head.lemma_.lower()]
    if token.dep_ == "xcomp" and any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children) \
            and token.head.lemma_.lower() not in ASPECTUAL_LEMMAS:
        return "intended"  # "agreed to share", "expects to sign": not yet done
    return "asserted"


def _verbal_arguments(token: Token, args: _Arguments) -> tuple[str | None, str | None]:
    subject, passive = _subject(token)
    if subject is None:
        subject = _dangling_subject(token, args)
    agent = next((pobj for child in token.children if child.dep_ == "agent"
                  for pobj in child.children if pobj.dep_ == "pobj"), None)
    objects = _children(token, OBJECT_DEPS)
    target = objects[0] if objects else None
    if target is not None and args.actor(target) is None:
        # "restore ties with Gondor", "lift sanctions on Iran": the counterpart hangs off the
        # object noun, not the verb.
        for prep in _children(target, {"prep"}):
            pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if prep.lower_ in TARGET_PREPS and pobj is not None and args.actor(pobj):
                target = pobj
                break
    if target is None or args.actor(target) is None:
        for prep in _children(token, {"prep"}):
            if prep.lower_ in TARGET_PREPS:
                pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                if pobj is not None and args.actor(pobj) is not None:
                    target = pobj
                    break
    if passive:
        return args.actor(agent), args.actor(subject)
    return args.actor(subject), args.actor(target)


def _nominal_arguments(token: Token, args: _Arguments) -> tuple[str | None, str | None]:
    actor1 = None
    for child in token.children:
        if child.dep_ in ("poss", "compound") and args.actor(child):
            actor1 = args.actor(child)
        elif child.dep_ == "prep" and child.lower_ in ("of", "by", "between"):
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            actor1 = actor1 or args.actor(pobj)
    target = None
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in ("on", "against", "with"):
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            target = target or args.actor(pobj)
    return actor1, target


def _clause_tokens(token: Token) -> range:
    """The trigger's clause: its subtree plus, for a verb, its subject's subtree."""
    return range(token.left_edge.i, token.right_edge.i + 1)


def _place_heads(token: Token) -> set[int]:
    """Tokens whose place-preposition children locate the event: the trigger, its subject."""
    if token.pos_ == "NOUN":
        return {t.i for t in token.subtree}
    heads = {token.i}
    subject, _ = _subject(token)
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
        if current.pos_ in ("VERB", "AUX") or _lookup(current) is not None:
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
    args = _Arguments(doc, entities)
    sentence_of = {}
    for index, sent in enumerate(doc.sents):
        for token in sent:
            sentence_of[token.i] = (index, sent)
    context = article_places(doc, places)
    events = []
    for token in doc:
        row = _lookup(token)
        if row is None:
            continue
        if row["pos"] == "VERB":
            actor1, actor2 = _verbal_arguments(token, args)
        else:
            actor1, actor2 = _nominal_arguments(token, args)
        index, sentence = sentence_of[token.i]
        place = _place(token, places, sentence)
        # A nominal trigger needs an actor ("talks between X and Y"); attacks and protests are
        # informative with only a place ("a bombing in Kabul").
        located_only_ok = row["type"] in ("ASSAULT", "PROTEST") and place
        if row["pos"] == "NOUN" and not (actor1 or actor2 or located_only_ok):
            continue
        date, how = _date(token, dates, sentence)
        events.append({
            "start": token.idx, "end": token.idx + len(token.text), "trigger": token.text,
            "type": row["type"], "cameo": row["cameo"], "actor1": actor1, "actor2": actor2,
            **event_place_fields(place, context), "date": date["text"] if date else None,
            **event_date(date, how, published), "mode": _mode(token),
            "tense": clause_tense(doc, token.idx, token.idx + len(token.text)),
            "trigger_id": row["id"], "sentence": index,
        })
    return events
