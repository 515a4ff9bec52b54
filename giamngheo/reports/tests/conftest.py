from giamngheo.demo.testing import demo_register, register_loaded  # noqa: F401 - shared fixtures
from giamngheo.support.tests.conftest import (  # noqa: F401 - the support tracker's register, shared fixtures
    admin_user,
    register,
    steering_user,
    women_user,
)
