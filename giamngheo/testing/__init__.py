"""The shared test kit: what the tests of every app use, in one place (not a tests package: pytest collects
nothing here).

- ``session``: the demo tree and its users, built **once per test session** right after the test database
  is created, and written again after a transactional test's flush; each test runs in a transaction
  rolled back at its end (pytest-django's ``db``), so no test sees another's writes;
- ``personas``: ``demo``, ``son_trung``, ``mai_ha``, ``ha_trang`` and the demo users (``officer``,
  ``village_head``, ``other_officer``, ``province_viewer``, ``women_user``, ``steering_user``,
  ``system_admin``), plus ``english_client``;
- ``registers``: the small registers the tests build on the demo tree, one fixture name each
  (``household_register``, ``review_register``, ``support_register``, ``son_hong_register``) and their
  builders and review steps;
- ``demo_register``: the full Sơn Trung register (``demo_register``), loaded once per session;
- ``browser``: Playwright driving Debian's chromium (``browser``, ``page``);
- ``pdf``: the text of a WeasyPrint PDF (``pdf_text``, ``pdf_words``);
- ``tasks``: task backends for a test (``IMMEDIATE_TASKS``, ``DATABASE_TASKS``);
- ``language``: ``vi(msgid)``, a message as the Vietnamese catalogue has it;
- ``passes``: which tests run in which pass of ``make test`` (a test that touches no database runs in the
  SQLite pass only).

The root ``conftest.py`` registers the fixture modules with ``pytest_plugins``; a fixture name means one
thing across the whole suite.
"""
