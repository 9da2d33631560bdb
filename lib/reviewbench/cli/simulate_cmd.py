"""``reviewbench simulate DATASET --label-column COL -o ORDER.csv``: replay a screened dataset.

See DESIGN.md for the contract and :mod:`reviewbench.screening.simulate` for the loop.
"""

from __future__ import annotations

import argparse
import json

from pathlib import Path

from ..outputs_io import write_csv, write_text


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "simulate",
        help="replay a screened dataset through the active-learning screener",
        description="Replay a labelled dataset through the active-learning screener, starting "
        "from random prior records drawn with the seed, write the order records would have been "
        "shown in (rank, record_id, label; priors first) and print recall-versus-effort figures. "
        "DATASET is a CSV with a label column or any importable file whose label column was kept.",
    )
    parser.add_argument("dataset", metavar="DATASET", help="labelled dataset (CSV, RIS, ...)")
    parser.add_argument("--label-column", required=True, metavar="COL", help="column holding 1/0 (include/exclude)")
    parser.add_argument("-o", "--output", required=True, metavar="ORDER.csv", help="where to write the order")
    parser.add_argument("--seed", type=int, default=1, help="seed for the priors and the model (default 1)")
    parser.add_argument("--prior-included", type=int, default=1, metavar="N", help="random included priors (default 1)")
    parser.add_argument("--prior-excluded", type=int, default=1, metavar="N", help="random excluded priors (default 1)")
    parser.add_argument("--prior-ids", nargs="+", metavar="ID", help="use these record ids as priors instead")
    parser.add_argument("--stopping", metavar="NAME",
                        help="the stopping criterion to judge the replay by, with its own default settings "
                        "(default: weibull, the screening view's; also hypergeometric, importance (its check draws are "
                        "screened in the loop, so the order changes after they begin), poisson_process, "
                        "score_distribution, knee, consecutive_irrelevant)")
    parser.add_argument("--stop-report", metavar="STOP.json",
                        help="write where the stopping criterion (the default one, or --stopping) fires (its recall estimate and interval; "
                        "the other criteria under 'others')")
    parser.add_argument("--plot", metavar="PNG", help="draw the recall curve with the default criterion's estimate, interval and stop (PNG or SVG)")
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from ..screening.metrics import summary
    from ..screening.simulate import load_labelled, plot_recall_curve, simulate

    records, labels = load_labelled(args.dataset, args.label_column)
    result = simulate(
        records,
        labels,
        seed=args.seed,
        n_prior_included=args.prior_included,
        n_prior_excluded=args.prior_excluded,
        prior_ids=args.prior_ids,
        **({"stopping": args.stopping} if args.stopping else {}),
    )
    write_csv(result.order, args.output)
    figures = summary(result.labels)
    lines = [
        f"records                 {figures['records']}",
        f"relevant                {figures['relevant']}",
        f"WSS@95                  {figures['wss@95']:.3f}",
        f"recall at 10% screened  {figures['recall@10%']:.3f}",
        f"records for 95% recall  {figures['records_for_95%']}",
        f"records for 100% recall {figures['records_for_100%']}",
        f"average time to discovery {figures['atd']:.1f}",
    ]
    for name, stop in result.stops.items():
        where = "never" if stop["stopped_at"] is None else f"at record {stop['stopped_at']}"
        est = ""
        if stop["estimated_recall"] is not None:
            est = f", estimated recall {stop['estimated_recall']:.3f}"
            if stop.get("recall_interval"):
                low, high = stop["recall_interval"]
                est += f" ({low:.3f}-{high:.3f})"
        true = ""
        if stop["stopped_at"] is not None:
            true = f", true recall {result.labels[: stop['stopped_at']].sum() / figures['relevant']:.3f}"
        default = " [default]" if name == result.criterion else ""
        lines.append(f"stop ({name}){default}: {where}{est}{true}")
    print("\n".join(lines))
    if args.stop_report:
        write_text(json.dumps(result.stop_report(), indent=2, sort_keys=False) + "\n", args.stop_report)
    if args.plot:
        plot_recall_curve(result, args.plot, title=Path(args.dataset).name)
    return 0
