"""MedCom CareCommunication (FHIR R4) message bundles: typed model, parsing/validation and building."""

from .building import build_bundle
from .model import CareCommunicationMessage
from .parsing import InvalidBundle, parse_bundle

__all__ = ["CareCommunicationMessage", "InvalidBundle", "build_bundle", "parse_bundle"]
