"""Review tests on the whole demo register (1,545 households, the decided 2022 and 2023 reviews).

The register is loaded once for this package and rolled back after its last test (``giamngheo.demo.testing``):
a package of its own, so the other review tests, which build their own small register and rounds (and the
browser tests, which need a transactional database), never see it.
"""

from giamngheo.demo.testing import demo_register, register_loaded  # noqa: F401 - shared fixtures
