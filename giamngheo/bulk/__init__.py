"""Bulk paths over a whole register: what-if counts under any standard, and reclassifying a round.

Facts leave the database once, as compact columns (``facts_frame``); the rules run vectorised in polars
(``giamngheo.standards.frame_facts`` + ``frame.classify_frame``); nothing loops over model instances.
"""
