"""Indicators of the radar over the analytics store: occupations, skills, collections, pairs (LLO-Radar part 2).

Every function reads the store through `source.connect()` and is memoised per store version; none writes.
"""
