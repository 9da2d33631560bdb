"""One reviewer's screening session: the controller the views draw, its trainer, team actions.

:class:`ScreeningController` (:mod:`.controller`) holds the reviewer's place in a stage,
their decisions, undo, the ranking and the stopping actions; :class:`BackgroundTrainer`
(:mod:`.trainer`) refits the ranking in a thread after each decision;
:class:`TeamAction` (:mod:`.actions`) is an action that changes the team's state, asked
before it is done and undone by appending the reverse row.
"""

from .actions import TeamAction, join_action, leave_action, sample_rule
from .controller import ORDERS, Progress, ScreeningController, open_controller, rank_step
from .trainer import BackgroundTrainer

__all__ = [
    "ORDERS", "BackgroundTrainer", "Progress", "ScreeningController", "TeamAction", "join_action", "leave_action",
    "open_controller", "rank_step", "sample_rule",
]
