"""The project model: where a review's folders and files are and how to load its YAML files.

A project is a folder with ``bibliography/``, ``evidence/``, ``notebooks/`` and
``outputs/``; ``evidence/review.yml`` marks it. Paths are built here and nowhere
else, so notebooks, the CLI and every step agree on them.

YAML is read once, by :func:`load_located`, which keeps the line of every value (schema
checks name the line of a problem, which PyYAML's ``safe_load`` forgets) and reports
duplicate mapping keys (which ``safe_load`` silently overwrites: a duplicated code id
would lose a code). :func:`load_yaml` is the same loader for files that must hold a mapping.
A file whose aliases (``*name``) would expand to more than :data:`MAX_YAML_VALUES`
values (an "alias bomb": a few hundred bytes can expand to billions), or that refers to
itself, or that nests too deeply, is refused with a problem before any step walks it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem, ProjectError, ValidationError

SCREENING_STAGES = ("title_abstract", "full_text")
#: The log of a screening stage that holds the settled conflicts (not a reviewer's log).
RESOLUTIONS = "resolutions"
#: Files that may sit beside the exports in ``bibliography/`` but are not exports.
NOT_EXPORTS = frozenset({"searches.yml", "README.md"})


def is_export(path: Path) -> bool:
    """Whether ``path`` may be a search export: a file, not hidden, not the search log."""
    return path.is_file() and not path.name.startswith(".") and path.name not in NOT_EXPORTS


def exports_in(folder: Path) -> list[Path]:
    """The search exports in ``folder`` (sorted by name; see :func:`is_export`)."""
    return sorted(p for p in folder.iterdir() if is_export(p)) if folder.is_dir() else []


@dataclass(frozen=True)
class Project:
    """Paths of one review project. Build it with :func:`open_project`."""

    root: Path

    @property
    def bibliography(self) -> Path:
        return self.root / "bibliography"

    @property
    def evidence(self) -> Path:
        return self.root / "evidence"

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    @property
    def outputs(self) -> Path:
        return self.root / "outputs"

    def output_path(self, folder: str, *parts: str) -> Path:
        """A path in one output folder of the project (``outputs`` or ``outputs/<filters>``)."""
        return self.root.joinpath(folder, *parts)

    @property
    def review_file(self) -> Path:
        return self.evidence / "review.yml"

    @property
    def codebook_file(self) -> Path:
        return self.evidence / "codebook.yml"

    @property
    def searches_file(self) -> Path:
        return self.bibliography / "searches.yml"

    @property
    def screening_root(self) -> Path:
        """``evidence/screening/``: one folder per stage, and the stopping log."""
        return self.evidence / "screening"

    def screening_dir(self, stage: str) -> Path:
        """Folder of the per-reviewer decision logs of one screening stage."""
        return self.screening_root / stage

    def screening_log_file(self, stage: str, reviewer: str) -> Path:
        """``evidence/screening/<stage>/<reviewer>.csv`` (the caller checks both names)."""
        return self.screening_dir(stage) / f"{reviewer}.csv"

    def resolutions_file(self, stage: str) -> Path:
        """``evidence/screening/<stage>/resolutions.csv``: the settled conflicts of a stage."""
        return self.screening_dir(stage) / f"{RESOLUTIONS}.csv"

    @property
    def stopping_log_file(self) -> Path:
        """``evidence/screening/stopping.csv``: the team's decisions to stop screening early."""
        return self.screening_root / "stopping.csv"

    @property
    def team_log_file(self) -> Path:
        """``evidence/screening/team.csv``: who joined or left a stage's screening once it began."""
        return self.screening_root / "team.csv"

    @property
    def dedup_decisions_file(self) -> Path:
        return self.evidence / "dedup" / "decisions.csv"

    @property
    def findings_dir(self) -> Path:
        return self.evidence / "findings"

    def findings_file(self, coder: str) -> Path:
        """``evidence/findings/<coder>.csv`` (the caller checks the name)."""
        return self.findings_dir / f"{coder}.csv"

    def assist_findings_file(self, model_reviewer: str) -> Path:
        """``evidence/findings/assist/<model reviewer>.csv``: a language model's code suggestions
        (a folder of their own, so they are never read as a coder's log)."""
        return self.findings_dir / "assist" / f"{model_reviewer}.csv"

    @property
    def studies_file(self) -> Path:
        """``evidence/findings/studies.csv``: study characteristics."""
        return self.findings_dir / "studies.csv"

    @property
    def reconciliation_file(self) -> Path:
        """``evidence/findings/reconciliation.csv``: codes agreed where coders differed."""
        return self.findings_dir / "reconciliation.csv"

    @property
    def fulltext(self) -> Path:
        """``fulltext/``: the PDFs of the reports (git-ignored: they are usually under copyright)."""
        return self.root / "fulltext"

    def fulltext_file(self, name: str) -> Path:
        """``fulltext/<name>``: one PDF (``name`` may hold sub-folders, ``/``-separated)."""
        return self.fulltext.joinpath(*name.split("/"))

    @property
    def fulltext_links_file(self) -> Path:
        """``evidence/fulltext/links.csv``: which PDF is the report of which record."""
        return self.evidence / "fulltext" / "links.csv"

    @property
    def retractions_file(self) -> Path:
        """``evidence/findings/retractions.csv``: findings their coder took back (or restored)."""
        return self.findings_dir / "retractions.csv"

    @property
    def cache(self) -> Path:
        """Derived data that is slow to recompute (never the source of truth; git-ignored)."""
        return self.root / ".cache"

    def cache_dir(self, step: str) -> Path:
        """``.cache/<step>/``: the slow derived data of one step (``screening``, ``outputs``)."""
        return self.cache / step

    def bibliography_file(self, name: str) -> Path:
        """``bibliography/<name>``: one search export."""
        return self.bibliography / name

    def bibliography_files(self) -> list[Path]:
        """Search exports in ``bibliography/`` (sorted; ``searches.yml`` and dotfiles excluded)."""
        return exports_in(self.bibliography)

    def review(self) -> dict[str, Any]:
        """``evidence/review.yml`` as a dict."""
        return load_yaml(self.review_file)

    def codebook_data(self) -> dict[str, Any]:
        """``evidence/codebook.yml`` as a dict (see :mod:`reviewbench.coding.codebook` for the model)."""
        return load_yaml(self.codebook_file)

    def searches(self) -> dict[str, Any]:
        """``bibliography/searches.yml`` as a dict."""
        return load_yaml(self.searches_file)

    def search_sources(self) -> dict[str, str]:
        """Each export file that ``searches.yml`` describes (by file name) -> the name it gives
        that search (:attr:`SearchEntry.label`), the first entry listing the file winning.
        Empty when there is no ``searches.yml``."""
        out: dict[str, str] = {}
        for entry in search_entries(self.searches() if self.searches_file.is_file() else {}):
            for name in entry.file_names:
                out.setdefault(name, entry.label)
        return out


#: The sections of ``searches.yml`` and the PRISMA 2020 column each one's entries count in.
SEARCH_SECTIONS = (("searches", "databases"), ("registers", "registers"), ("other_methods", "other"))
_REGISTER_KINDS = frozenset({"register", "registers", "trial register"})
_OTHER_KINDS = frozenset({"other", "other_methods", "website", "citation searching"})


def file_name(path: Any) -> str:
    """The file name of a path as ``searches.yml`` or an import writes it (``/`` or ``\\``)."""
    return str(path).replace("\\", "/").rsplit("/", 1)[-1]


@dataclass(frozen=True)
class SearchEntry:
    """One search of ``searches.yml``, read the one way every step reads it.

    ``section`` and ``index`` say where it is written (for messages); ``box`` is the
    PRISMA column it counts in (an entry's ``type: register`` or ``type: other`` moves it);
    ``label`` is its ``database``, ``register``, ``source`` or ``name``, else its first
    file's name; ``files`` as written; ``hits`` the number it reports (``None`` when absent
    or not a whole number)."""

    section: str
    index: int
    box: str
    label: str
    files: tuple[str, ...]
    hits: int | None

    @property
    def file_names(self) -> tuple[str, ...]:
        return tuple(file_name(f) for f in self.files)


def _whole_number(value: Any) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def search_entries(data: Any) -> list[SearchEntry]:
    """The searches of a parsed ``searches.yml``, in order (entries that are not mappings
    are skipped here; :mod:`reviewbench.validate` reports them)."""
    out: list[SearchEntry] = []
    if not isinstance(data, dict):
        return out
    for section, box in SEARCH_SECTIONS:
        entries = data.get(section) or []
        for i, entry in enumerate(entries if isinstance(entries, list) else []):
            if not isinstance(entry, dict):
                continue
            kind = str(entry.get("type") or entry.get("kind") or "").lower()
            counted_in = "registers" if kind in _REGISTER_KINDS or entry.get("register") is True else (
                "other" if kind in _OTHER_KINDS else box)
            files = entry.get("file") or entry.get("files") or []
            files = (files,) if isinstance(files, str) else tuple(str(f) for f in files)
            names = [entry.get(k) for k in ("database", "register", "source", "name")]
            label = next((str(v).strip() for v in names if isinstance(v, str) and v.strip()), "")
            out.append(SearchEntry(section, i, counted_in, label or (file_name(files[0]) if files else "unnamed source"),
                                   files, _whole_number(entry.get("hits"))))
    return out


#: Reviewer ids starting with this are language models (``assist-<model>``), not people.
MODEL_REVIEWER_PREFIX = "assist-"


def review_team(review: dict[str, Any], *, people_only: bool = False) -> dict[str, str]:
    """The reviewers ``reviewers:`` of a parsed ``review.yml`` lists, in its order: id -> role
    (``screener`` when none is given). Either a mapping ``id: {name, role}`` or a list of
    ids (or of ``{id, role}``). ``people_only`` leaves out language models
    (``assist-<model>``): they are never offered as someone to screen or code as."""
    team = listed_team(review.get("reviewers"))
    if people_only:
        team = {name: role for name, role in team.items() if not name.startswith(MODEL_REVIEWER_PREFIX)}
    return team


def listed_team(listed: Any) -> dict[str, str]:
    """id -> role of a ``reviewers:`` value (a mapping, a list of ids or of ``{id, role}``,
    or one id); also a stage's own ``reviewers:`` list."""
    listed = listed or {}
    team: dict[str, str] = {}
    if isinstance(listed, dict):
        for name, info in listed.items():
            team[str(name)] = str((info.get("role") if isinstance(info, dict) else None) or "screener")
    elif isinstance(listed, list):
        for item in listed:
            if isinstance(item, dict):
                team[str(item.get("id") or item.get("name"))] = str(item.get("role") or "screener")
            else:
                team[str(item)] = "screener"
    elif isinstance(listed, str):
        team[listed] = "screener"
    return team


def open_project(path: str | Path | None = None) -> Project:
    """The project at ``path``, or found upwards from the current folder.

    ``REVIEWBENCH_PROJECT`` in the environment overrides the search, which lets
    notebooks run from ``notebooks/`` or from a temporary copy.
    """
    start = Path(path or os.environ.get("REVIEWBENCH_PROJECT") or Path.cwd()).resolve()
    for candidate in (start, *start.parents):
        if (candidate / "evidence" / "review.yml").is_file():
            return Project(candidate)
    raise ProjectError(
        f"{start} is not inside a reviewbench project (no evidence/review.yml found here or above); "
        "create one with `reviewbench init DIR` or pass --project DIR"
    )


PathKey = tuple[Any, ...]
#: The most values a review's YAML file may expand to through its aliases; a review's
#: own files hold a few thousand.
MAX_YAML_VALUES = 100_000


class Located:
    """Data loaded from one YAML file with the line of every value."""

    def __init__(self, path: str, data: Any, lines: dict[PathKey, int]) -> None:
        self.path = path
        self.data = data
        self.lines = lines

    def line(self, *keys: Any) -> int | None:
        """Line of the value at ``keys``, or of its nearest enclosing value."""
        key: PathKey = tuple(keys)
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return self.lines.get((), 1)

    def problem(self, message: str, *keys: Any) -> Problem:
        """A :class:`Problem` located at the value ``keys``."""
        return Problem(self.path, self.line(*keys), message)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []


def _expansion_problem(root: yaml.Node, file: str) -> Problem | None:
    """A problem when the node graph, with every alias written out, would hold more than
    :data:`MAX_YAML_VALUES` values (while the file itself holds fewer), or a cycle.

    Counts each distinct node once, so the count is as quick as the file is long.
    """
    size: dict[int, int] = {}
    started: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            size[key] = min(1 + sum(size[id(c)] for c in _children(node)), MAX_YAML_VALUES + 1)
            continue
        if key in size:
            continue
        if key in started:  # started and not finished: an enclosing value
            return Problem(file, node.start_mark.line + 1, "an alias (*name) refers to a value that contains it; write the values out")
        started.add(key)
        stack.append((node, True))
        stack.extend((c, False) for c in _children(node) if id(c) not in size)
    if size[id(root)] > MAX_YAML_VALUES and len(size) <= MAX_YAML_VALUES:
        return Problem(file, None, f"its aliases (*name) expand to more than {MAX_YAML_VALUES:,} values, far more than a review's "
                       "file holds (an alias bomb?); write the values out instead of repeating aliases")
    return None


def _walk(root: yaml.Node, lines: dict[PathKey, int], problems: list[Problem], file: str) -> None:
    """The line of every value below ``root``, and each duplicate key as a problem."""
    stack: list[tuple[yaml.Node, PathKey]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, int] = {}
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
                line = key_node.start_mark.line + 1
                if key in seen:
                    problems.append(Problem(file, line, f"duplicate key {key!r} (first written on line {seen[key]}); the second would silently replace the first"))
                else:
                    seen[key] = line
                # a key's own line is more useful than its value's (values may start on the next line)
                lines[(*path, key)] = line
                stack.append((value_node, (*path, key)))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, (*path, i)) for i, item in enumerate(node.value))


def load_located(path: str | Path, text: str | None = None) -> tuple[Located | None, list[Problem]]:
    """Parse a YAML file; return ``(Located, problems)``.

    ``Located`` is ``None`` when the file is missing or is not valid YAML (the problem
    then says where parsing stopped). Mapping keys that are not strings keep their
    YAML spelling in the line map.
    """
    file = str(path)
    if text is None:
        p = Path(path)
        if not p.is_file():
            return None, [Problem(file, None, "file not found")]
        try:
            text = p.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            return None, [Problem(file, None, "not UTF-8 text")]
    loader = yaml.SafeLoader(text)
    try:
        # What yaml.safe_load does, keeping the node tree it builds the data from.
        node = loader.get_single_node()
        bomb = _expansion_problem(node, file) if node is not None else None
        if bomb is not None:
            return None, [bomb]
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        return None, [Problem(file, line, f"invalid YAML: {problem}")]
    except RecursionError:
        return None, [Problem(file, None, "values are nested too deeply to read (hundreds of levels)")]
    finally:
        loader.dispose()
    lines: dict[PathKey, int] = {}
    problems: list[Problem] = []
    if node is not None:
        _walk(node, lines, problems, file)
    return Located(file, {} if data is None else data, lines), problems


def load_yaml(path: Path) -> dict[str, Any]:
    """Load a YAML mapping; a missing or malformed file raises an error naming file and line.

    Duplicate keys are left to ``reviewbench validate`` to report (the later value is kept).
    """
    if not path.is_file():
        raise ProjectError(f"{path}: file not found (expected a YAML file)")
    doc, problems = load_located(path)
    if doc is None:
        raise ValidationError(problems)
    if not isinstance(doc.data, dict):
        raise ValidationError([Problem(str(path), 1, f"expected a mapping of keys to values, found {type(doc.data).__name__}")])
    return doc.data
