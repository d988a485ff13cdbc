"""FHIR R4 XML ↔ JSON-shaped dicts, for the elements a CareCommunication bundle uses.

Parsing goes through defusedxml: DTDs, entity declarations and external references are refused.
"""

from __future__ import annotations

import copy

# The stdlib module only *builds* XML here; all parsing goes through defusedxml.
import xml.etree.ElementTree as ET  # noqa: S405  # nosec B405

import defusedxml.ElementTree as SafeET

FHIR_NS = "http://hl7.org/fhir"
XHTML_NS = "http://www.w3.org/1999/xhtml"
_F = "{" + FHIR_NS + "}"
_X = "{" + XHTML_NS + "}"

#: Elements that repeat (cardinality ..*) in the resources we read. Complex ones always become lists.
LIST_ELEMENTS = frozenset(
    {
        "entry",
        "profile",
        "identifier",
        "name",
        "given",
        "prefix",
        "suffix",
        "line",
        "extension",
        "modifierExtension",
        "destination",
        "focus",
        "category",
        "payload",
        "coding",
        "target",
        "agent",
        "entity",
        "code",
        "episodeOfCare",
        "managingOrganization",
        "recipient",
        "telecom",
        "address",
        "participant",
        "contact",
        "link",
        "specialty",
        "policy",
        "reasonCode",
    }
)
#: Of those, the ones that are lists of primitives (`<given value="..."/>`).
PRIMITIVE_LIST_ELEMENTS = frozenset({"profile", "given", "prefix", "suffix", "line", "policy"})
BOOLEAN_ELEMENTS = frozenset({"deceasedBoolean", "active", "valueBoolean", "multipleBirthBoolean"})
INTEGER_ELEMENTS = frozenset({"size", "valueInteger", "rank"})


class XmlError(ValueError):
    pass


def _local(tag: str) -> str:
    if tag.startswith(_F):
        return tag[len(_F) :]
    if tag.startswith("{"):
        raise XmlError(f"unexpected namespace in element {tag}")
    raise XmlError(f"element <{tag}> is not in the FHIR namespace")


def _div_to_text(div: ET.Element) -> str:
    """Narrative XHTML as the string FHIR JSON carries in ``text.div``."""
    div = copy.deepcopy(div)
    _strip_ns(div)
    div.set("xmlns", XHTML_NS)
    return ET.tostring(div, encoding="unicode").strip()


def _strip_ns(el: ET.Element) -> None:
    for node in el.iter():
        if isinstance(node.tag, str) and node.tag.startswith("{"):
            if not node.tag.startswith(_X):
                raise XmlError("narrative may only contain XHTML elements")
            node.tag = node.tag[len(_X) :]


def _primitive(name: str, value: str):
    if name in BOOLEAN_ELEMENTS:
        return value == "true"
    if name in INTEGER_ELEMENTS:
        try:
            return int(value)
        except ValueError:
            return value
    return value


#: Repeating only directly on a resource (``Reference.identifier`` is single).
RESOURCE_LEVEL_LISTS = frozenset({"identifier"})


def _is_list(name: str, el: ET.Element, resource_level: bool) -> bool:
    if name not in LIST_ELEMENTS:
        return False
    if name in RESOURCE_LEVEL_LISTS and not resource_level:
        return False
    if name in PRIMITIVE_LIST_ELEMENTS:
        return True
    # `name` and `code` are primitives in some resources (Organization.name, Coding.code).
    return "value" not in el.attrib


def _element(el: ET.Element, resource_level: bool = False):
    name = _local(el.tag)
    if "value" in el.attrib and len(el) == 0:
        return _primitive(name, el.attrib["value"])
    out: dict = {}
    if "url" in el.attrib:
        out["url"] = el.attrib["url"]
    for child in el:
        if child.tag == _X + "div":
            out["div"] = _div_to_text(child)
            continue
        key = _local(child.tag)
        if key == "resource":
            if len(child) != 1:
                raise XmlError("<resource> must contain exactly one resource")
            value = _resource(child[0])
        else:
            value = _element(child)
        if _is_list(key, child, resource_level):
            out.setdefault(key, []).append(value)
        else:
            out[key] = value
    return out


def _resource(el: ET.Element) -> dict:
    out = {"resourceType": _local(el.tag)}
    out.update(_element(el, resource_level=True))
    return out


def xml_to_dict(data: bytes) -> dict:
    """Parse FHIR XML (safely) into the dict a FHIR JSON parser would give for the same resource."""
    root = SafeET.fromstring(data, forbid_dtd=True)
    return _resource(root)


# ---------------------------------------------------------------------------- writing


def _write(parent: ET.Element, key: str, value) -> None:
    if isinstance(value, list):
        for item in value:
            _write(parent, key, item)
        return
    if key == "div" and isinstance(value, str):
        div = SafeET.fromstring(value.encode("utf-8"), forbid_dtd=True)
        _strip_ns(div)
        div.attrib.pop("xmlns", None)
        div.set("xmlns", XHTML_NS)
        parent.append(div)
        return
    el = ET.SubElement(parent, key)
    if isinstance(value, dict):
        if "resourceType" in value:
            _fill_resource(el, value)
            return
        for k, v in value.items():
            if k == "url" and key in ("extension", "modifierExtension"):
                el.set("url", v)
            else:
                _write(el, k, v)
        return
    if isinstance(value, bool):
        el.set("value", "true" if value else "false")
    else:
        el.set("value", str(value))


def _fill_resource(wrapper: ET.Element, resource: dict) -> None:
    el = ET.SubElement(wrapper, resource["resourceType"])
    for k, v in resource.items():
        if k != "resourceType":
            _write(el, k, v)


def dict_to_xml(resource: dict) -> bytes:
    """Serialise a JSON-shaped FHIR resource as FHIR XML (UTF-8, with declaration)."""
    root = ET.Element(resource["resourceType"], {"xmlns": FHIR_NS})
    for k, v in resource.items():
        if k != "resourceType":
            _write(root, k, v)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
