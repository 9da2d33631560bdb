"""Coding findings: the codebook, findings logs, suggestions, agreement, reconciliation.

Public API::

    load_codebook(project_or_path) -> Codebook
    coded_findings(project) -> DataFrame        # reconciled, one list column per dimension
    study_characteristics(project) -> DataFrame # one row per coded study
    record_finding / record_study / reconcile   # append to the logs, validated
    suggest_codes(texts, codebook, training)    # keyword rules + classifier
    agreement.agreement_report(project) -> str
"""

from .codebook import Code, Codebook, Dimension, KeywordRule, join_codes, load_codebook, parse_codes
from .coded import coded_findings, study_characteristics
from .findings import finding_columns, read_findings, record_finding
from .keywords import KeywordMatcher
from .reconcile import disagreements, reconcile
from .studies import record_study
from .suggest import suggest_codes

__all__ = [
    "Code",
    "Codebook",
    "Dimension",
    "KeywordMatcher",
    "KeywordRule",
    "coded_findings",
    "disagreements",
    "finding_columns",
    "join_codes",
    "load_codebook",
    "parse_codes",
    "read_findings",
    "reconcile",
    "record_finding",
    "record_study",
    "study_characteristics",
    "suggest_codes",
]
