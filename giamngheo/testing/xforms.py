"""An XForm (what pyxform makes of an XLSForm) read back: the data nodes of its primary instance."""

from __future__ import annotations

from typing import Any

from defusedxml import ElementTree

XF = "{http://www.w3.org/2002/xforms}"


def xform_leaves(xform: str) -> dict[str, str]:
    """Each data node of the form's primary instance: name → path ("phieu_b/b2/waste")."""
    root = ElementTree.fromstring(xform.encode())
    data = next(iter(root.iter(f"{XF}instance")))[0]
    found: dict[str, str] = {}

    def walk(node: Any, path: tuple[str, ...]) -> None:
        for child in node:
            name = child.tag.removeprefix(XF)
            if len(child):
                walk(child, (*path, name))
            else:
                found[name] = "/".join((*path, name))

    walk(data, ())
    return found
