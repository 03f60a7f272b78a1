"""The text lines of an ALTO 4 / PAGE ground-truth file: (id, polygon, text, type).

Only for recipe chores that need the transcriptions themselves (e.g. the layout
recipe's synthetic registers draw training words). Training lines are cut by the
app (`htr-studio export --format lines --cut-as MODEL`, see prepare_lines.py),
never here.
"""
import re
import xml.etree.ElementTree as ET


# ---------------------------------------------------------------- XML reading
def _ns(root):
    return root.tag.split("}")[0] + "}" if root.tag.startswith("{") else ""


def _points(s):
    """ALTO 'x y x y', 'x,y x,y' or PAGE 'x,y x,y' -> [(x, y), ...]."""
    nums = [float(v) for v in re.split(r"[\s,]+", s.strip()) if v]
    return list(zip(nums[0::2], nums[1::2]))


def read_alto(path):
    root = ET.parse(path).getroot()
    ns = _ns(root)
    labels = {t.get("ID"): t.get("LABEL", "") for t in root.iter(ns + "OtherTag")}
    for line in root.iter(ns + "TextLine"):
        poly = line.find(f"{ns}Shape/{ns}Polygon")
        text = " ".join(s.get("CONTENT", "") for s in line.iter(ns + "String"))
        kind = ",".join(labels.get(r, r) for r in (line.get("TAGREFS") or "").split())
        yield line.get("ID"), _points(poly.get("POINTS")) if poly is not None else [], text, kind


def read_page(path):
    root = ET.parse(path).getroot()
    ns = _ns(root)
    for line in root.iter(ns + "TextLine"):
        coords = line.find(ns + "Coords")
        # the line's own TextEquiv (a direct child), not its Words'
        uni = line.find(f"{ns}TextEquiv/{ns}Unicode")
        text = uni.text if uni is not None and uni.text else ""
        m = re.search(r"structure\s*\{[^}]*type:([^;}]+)", line.get("custom") or "")
        yield (line.get("id"), _points(coords.get("points")) if coords is not None else [],
               text, m.group(1).strip() if m else "")


def read_lines(path):
    """Either format, chosen by the root element."""
    root_tag = ET.parse(path).getroot().tag
    return read_page(path) if root_tag.endswith("PcGts") else read_alto(path)
