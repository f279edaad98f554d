"""Wendbaar's skills engine: link texts to ESCO occupations and skills, with evidence.

Pure Python on numpy/scipy/pyahocorasick/PyStemmer; never imports Django or other Wendbaar
modules, so Dask workers and benchmarks can use it on their own.
"""

from .engine import ENGINE_VERSION, Engine
from .model import BY_BOTH, BY_MEANING, BY_WORDS, Concept, Match, SkillMatch

__all__ = ["BY_BOTH", "BY_MEANING", "BY_WORDS", "ENGINE_VERSION", "Concept", "Engine", "Match", "SkillMatch"]
