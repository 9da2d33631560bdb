"""Screening, split by role.

- decisions and what ``review.yml`` says about them: :mod:`.criteria`, :mod:`.decisions`
  (the decision logs), :mod:`.conflicts`, :mod:`.agreement`, :mod:`.stopping_log`;
- learning: :mod:`.engine` (ranking and stopping), shared by :mod:`.simulate` and the
  screening session, with :mod:`.metrics` for recall against effort;
- one reviewer's session: :mod:`.session` (the controller and its background trainer);
- drawing it in JupyterLab: :mod:`.views` (the widgets, the keyboard shortcuts, and what
  the screening notebook calls), with :mod:`.highlight` for the eligibility terms.

The records each stage screens come from :func:`reviewbench.pipeline.screening_records`.
"""
