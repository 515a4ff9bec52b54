def current_unit(request):  # type: ignore[no-untyped-def]
    user = getattr(request, "user", None)
    unit = getattr(user, "unit", None) if user is not None and user.is_authenticated else None
    return {"current_unit": unit}
