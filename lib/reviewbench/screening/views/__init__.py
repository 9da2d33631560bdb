"""The screening views in JupyterLab (ipywidgets): they draw a session and forward clicks.

:class:`ScreeningView` (:mod:`.screening`) shows one record at a time for one reviewer's
:class:`~reviewbench.screening.session.ScreeningController`; :class:`ConflictsView`
(:mod:`.conflicts`) settles disagreements; :mod:`.keys` carries the keyboard shortcuts
(its JavaScript in ``keys.js``); :func:`start_screening` and :func:`team_agreement`
(:mod:`.notebook`) are what the screening notebook calls.
"""

from .conflicts import ConflictsView
from .keys import KEYS, KeyShortcuts
from .notebook import ScreeningApp, start_screening, team_agreement, team_progress
from .screening import ScreeningView

__all__ = ["KEYS", "ConflictsView", "KeyShortcuts", "ScreeningApp", "ScreeningView", "start_screening", "team_agreement", "team_progress"]
