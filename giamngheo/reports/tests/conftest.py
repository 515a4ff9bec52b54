from giamngheo.demo.testing import demo_register, register_loaded  # noqa: F401 - shared fixtures
