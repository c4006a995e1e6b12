"""Turn articles into the public extraction record: entities, places, dates, headcounts, events."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Sequence

from spacy.language import Language
from spacy.tokens import Doc

from transforms.articles import Article, article_from_record, article_id_for, parse_published
from transforms.actors import annotate_actors
from transforms.dates import extract_dates
from transforms.doc_text import doc_text
from transforms.entities import CLUSTER_KEY
from transforms.events import extract_events
from transforms.headcount_events import link_headcount_events
from transforms.headcounts import extract_headcounts
from transforms.nlp import load_nlp
from transforms.roles import extract_roles

__all__ = ["EXTRACTOR_VERSION", "extract_batch", "extract_doc", "extract_records", "sentence_index"]

#: Bumped whenever extraction output changes, and stored with every published row.
EXTRACTOR_VERSION = "0.2.0"

ENTITY_LABELS = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE",
                 "FAC": "PLACE", "NORP": "GROUP"}
PIPE_BATCH_SIZE = 32


def sentence_index(doc: Doc) -> callable:
    """Return a function mapping a character offset to its 0-based sentence index."""
    starts = [sent.start_char for sent in doc.sents]

    def index_of(char: int) -> int:
        return max(bisect.bisect_right(starts, char) - 1, 0)

    return index_of


def entity_records(doc: Doc, article_id: str) -> list[dict]:
    """Return the article's entity mentions with article-level entity ids.

    Mentions share an id when the entity repair linked them (surname → full name, acronym ↔
    expansion) or, for places, when they resolve to the same place ("US", "the United States").
    """
    index_of = sentence_index(doc)
    cluster_of = dict(doc.user_data.get(CLUSTER_KEY, {}))
    for place in doc._.places or []:
        if place.get("precision") not in (None, "unresolved") and place.get("name"):
            cluster_of.setdefault((place["start"], place["end"]), f"PLACE:{place['name'].lower()}")
    ids: dict[str, str] = {}
    records = []
    for ent in doc.ents:
        label = ENTITY_LABELS.get(ent.label_)
        if label is None:
            continue
        cluster_key = cluster_of.get((ent.start_char, ent.end_char), f"{label}:{ent.text.lower()}")
        entity_id = ids.setdefault(cluster_key, f"{article_id}:e{len(ids) + 1}")
        records.append({"start": ent.start_char, "end": ent.end_char, "text": ent.text,
                        "label": label, "entity_id": entity_id,
                        "sentence": index_of(ent.start_char)})
    return records


def extract_doc(doc: Doc, article: Article) -> dict:
    """Build the public record for one parsed article."""
    index_of = sentence_index(doc)
    sentences = [[sent.start_char, sent.end_char] for sent in doc.sents]
    entities = entity_records(doc, article.article_id)
    places = [dict(place, sentence=index_of(place["start"])) for place in (doc._.places or [])]
    dates = extract_dates(doc, article.published)
    headcounts = _outside(extract_headcounts(doc), dates)
    events = extract_events(doc, entities, places, dates, article.published)
    link_headcount_events(doc, headcounts, events)  # event_index, place and date per count
    roles = extract_roles(doc, entities, places, article.published)
    annotate_actors(doc_text(doc), entities, roles)
    return {
        "id": article.source_id if article.source_id is not None else article.article_id,
        "article_id": article.article_id,
        "published": article.published.isoformat() if article.published else None,
        "sentence_count": len(sentences),
        "sentences": sentences,
        "entities": entities,
        "places": places,
        "dates": dates,
        "headcounts": headcounts,
        "events": events,
        "roles": roles,
    }


def _outside(items: list[dict], spans: list[dict]) -> list[dict]:
    """Drop items overlapping any of `spans` (a "22 Aug" date is not a headcount of 22)."""
    return [item for item in items
            if not any(item["start"] < span["end"] and span["start"] < item["end"]
                       for span in spans if span.get("type") in ("DATE", "TIME"))]


def extract_batch(articles: Sequence[Article], nlp: Language | None = None) -> list[dict]:
    """Run the pipeline over a batch of articles and return one record per article, in order."""
    nlp = nlp or load_nlp()
    docs = nlp.pipe((article.text for article in articles), batch_size=PIPE_BATCH_SIZE)
    return [extract_doc(doc, article) for doc, article in zip(docs, articles, strict=True)]


def extract_records(records: Iterable[dict], nlp: Language | None = None) -> Iterator[dict]:
    """Extract from raw input dicts (as in a JSONL file), keeping each input's `id`.

    Unlike `newsdesk run`, nothing is skipped: a record whose text is unusable yields a record
    with an `error` field and empty lists, so output lines match input lines one to one.
    """
    nlp = nlp or load_nlp()
    batch: list[tuple[int, Article]] = []
    pending: list[dict | None] = []
    for record in records:
        try:
            article = article_from_record(record)
        except ValueError as exc:
            pending.append(_error_record(record, str(exc)))
            continue
        batch.append((len(pending), article))
        pending.append(None)
        if len(batch) >= PIPE_BATCH_SIZE * 4:
            yield from _flush(nlp, batch, pending)
            batch, pending = [], []
    yield from _flush(nlp, batch, pending)


def _flush(nlp: Language, batch: list[tuple[int, Article]], pending: list[dict | None]):
    extracted = extract_batch([article for _, article in batch], nlp)
    for (position, article), record in zip(batch, extracted, strict=True):
        record["id"] = article.source_id
        pending[position] = record
    yield from pending


def _error_record(record: object, reason: str) -> dict:
    source = record if isinstance(record, dict) else {}
    text = source.get("text") if isinstance(source.get("text"), str) else ""
    try:
        published = parse_published(source.get("published"))
    except ValueError:
        published = None
    return {"id": source.get("id"), "article_id": article_id_for(text) if text else None,
            "published": published.isoformat() if published else None, "error": reason,
            "entities": [], "places": [], "dates": [], "headcounts": [], "events": [], "roles": []}
