"""``reviewbench fulltext link PDF_OR_DIR... [--project DIR] [-o LINKS.csv]``: match PDFs to records.

Each PDF (folders are searched for ``*.pdf``) is matched to one of the records included
at title/abstract (those the full-text stage assesses) by a DOI or PMID in it, then by
its title (:mod:`reviewbench.fulltext.match`). One row per PDF is printed, and written
to ``-o``: ``pdf, record_id, method, score`` (``record_id`` empty when unmatched;
``method`` ``ambiguous`` when a person must choose, ``unreadable`` when the PDF cannot
be read). Why a PDF needs a person is said on standard error.

Links are decisions: nothing is written to ``evidence/`` unless ``--confirm`` is given,
which appends the matches by DOI, PMID and title (never the ambiguous ones) to
``evidence/fulltext/links.csv`` as confirmed by the reviewer (``--reviewer``, else
``REVIEWBENCH_REVIEWER`` or ``review.yml``).
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import pandas as pd


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "fulltext",
        help="full texts: match PDFs to the records included at title/abstract",
        description="Full texts (PDFs) of the reports: link them to records.",
    )
    commands = parser.add_subparsers(dest="fulltext_command", metavar="ACTION", required=True)
    link = commands.add_parser(
        "link",
        help="match PDFs to records by DOI/PMID, then title; print one row per PDF",
        description="Match each PDF to a record included at title/abstract (DOI or PMID in the PDF, then title) "
        "and print one row per PDF: pdf, record_id, method, score. --confirm appends the matches to "
        "evidence/fulltext/links.csv.",
    )
    link.add_argument("paths", nargs="+", metavar="PDF_OR_DIR", help="PDF files, or folders searched for *.pdf")
    link.add_argument("--project", metavar="DIR", help="the review project (default: found from the current folder)")
    link.add_argument("-o", "--output", metavar="LINKS.csv", type=Path, help="also write the rows to this CSV file")
    link.add_argument("--confirm", action="store_true",
                      help="append the matches by DOI, PMID and title to evidence/fulltext/links.csv, confirmed by --reviewer")
    link.add_argument("--reviewer", metavar="NAME", help="who confirms the links (default: REVIEWBENCH_REVIEWER or review.yml)")
    link.set_defaults(func=_link)


def _link(args: argparse.Namespace) -> int:
    from ..fulltext.links import confirm_links, current_links, relative_file
    from ..fulltext.match import DOI, LINKED, PMID, PROPOSAL_COLUMNS, TITLE, propose_files
    from ..outputs_io import write_csv
    from ..pipeline import screening_records
    from ..project import open_project
    from ..screening.criteria import resolve_reviewer

    project = open_project(args.project)
    reviewer = resolve_reviewer(project, args.reviewer) if args.confirm else ""
    records, _clusters = screening_records(project, "full_text")
    linked = current_links(project)
    proposals, _texts = propose_files(args.paths, records, cache_dir=project.cache_dir("fulltext"), linked=linked)
    table = pd.DataFrame([p.row() for p in proposals], columns=PROPOSAL_COLUMNS)
    if args.output is not None:
        write_csv(table, args.output)
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(PROPOSAL_COLUMNS)
    writer.writerows(table.itertuples(index=False))
    for p in proposals:
        flagged = p.method not in (DOI, PMID, TITLE, LINKED)
        if flagged or (p.method == TITLE and p.note):  # why a person is needed, or how a title chose
            print(f"{p.pdf}: {p.method}: {p.note}", file=sys.stderr)
    counts = table["method"].value_counts().to_dict()
    summary = ", ".join(f"{n} {m}" for m, n in sorted(counts.items()))
    print(f"fulltext link: {len(table)} PDF(s) against {len(records)} record(s) included at title/abstract: {summary or 'none'}",
          file=sys.stderr)
    if args.confirm:
        chosen = [{"record_id": p.record_id, "file": relative_file(project, p.pdf), "sha256": p.sha256,
                   "method": p.method, "score": round(p.score, 1), "note": p.note}
                  for p in proposals if p.method in (DOI, PMID, TITLE)]
        written = confirm_links(project, chosen, reviewer)
        print(f"fulltext link: {written} link(s) appended to {project.fulltext_links_file}, confirmed by {reviewer}", file=sys.stderr)
    return 0
