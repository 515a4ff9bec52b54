"""Browser tests: the fixtures `browser` and `page` are in the root conftest.py (shared by every app)."""
