"""The full Sơn Trung register, loaded once for this package (see ``giamngheo.testing.demo_register``)."""

from giamngheo.testing.demo_register import demo_register, register_loaded  # noqa: F401
