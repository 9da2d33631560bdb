"""One reviewer's screening session: the controller the views draw, and its trainer.

:class:`ScreeningController` (:mod:`.controller`) holds the reviewer's place in a stage,
their decisions, undo, the ranking and the stopping actions; :class:`BackgroundTrainer`
(:mod:`.trainer`) refits the ranking in a thread after each decision.
"""

from .controller import ORDERS, Progress, ScreeningController, open_controller
from .trainer import BackgroundTrainer

__all__ = ["ORDERS", "BackgroundTrainer", "Progress", "ScreeningController", "open_controller"]
