"""Wagtail page models and snippets of the public knowledge base.

One module per page type; this package re-exports them. ``KNOWLEDGE_PAGE_MODELS``
is the one list of page types that carry the knowledge mixins.
"""

from .audit import AuditMaterialPage
from .case import CasePage
from .directory import CollaborationDirectoryPage, HospitalConsultant, KapBoardMember, PracticeConsultant
from .event import EventIndexPage, EventPage
from .faq import FaqPage
from .guideline import GuidelinePage
from .home import HomePage
from .information import InformationPage
from .moderation import TwoPersonApprovalTask
from .review import ThinkSmartReviewPage
from .section import SectionIndexPage
from .taxonomy import KnowledgePageTag, Sector, Topic

KNOWLEDGE_PAGE_MODELS = (GuidelinePage, CasePage, FaqPage, AuditMaterialPage, ThinkSmartReviewPage)

__all__ = [
    "KNOWLEDGE_PAGE_MODELS",
    "AuditMaterialPage",
    "CasePage",
    "CollaborationDirectoryPage",
    "EventIndexPage",
    "EventPage",
    "FaqPage",
    "GuidelinePage",
    "HomePage",
    "HospitalConsultant",
    "InformationPage",
    "KapBoardMember",
    "KnowledgePageTag",
    "PracticeConsultant",
    "SectionIndexPage",
    "Sector",
    "ThinkSmartReviewPage",
    "Topic",
    "TwoPersonApprovalTask",
]
