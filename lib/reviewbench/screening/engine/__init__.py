"""Active-learning screening engine: rank unscreened records, say when to stop.

The learner is split into roles, each a small module with a registry of named choices:

==================  ===========================================================
:mod:`.features`    TF-IDF over title + abstract + keywords (hashed word n-grams,
                    optional character n-grams), counts cached per text so adding
                    records only vectorises the new ones
:mod:`.classifiers` scikit-learn models: ``svm`` (linear SVM), ``logistic``,
                    ``nb`` (multinomial NB), ``cnb`` (complement NB), ``sgd``,
                    ``ensemble`` (rank average of SVM and NB)
:mod:`.balancers`   sample weights for the rare inclusions
:mod:`.queries`     ``max`` (most likely relevant first), ``mixed`` (a share of
                    uncertainty sampling), ``random`` (a random-sample phase)
:mod:`.coldstart`   include/exclude terms and one-class labels before a model can fit
:mod:`.stopping`    hypergeometric test (Callaghan & Müller-Hansen 2020) and the
                    consecutive-irrelevant heuristic, both with estimated recall
:mod:`.ranker`      :class:`Ranker`, the loop shared by the screening view and
                    ``reviewbench simulate``
==================  ===========================================================

Why these defaults (linear SVM, C = 0.1, balanced weights with an exclusion-to-inclusion
weight ratio of 10, word 1-2 grams with sublinear TF and max_df 0.95, pure "most likely
relevant" querying, adaptive refits in simulation): chosen with ``benchmarks/screening.py``.
A first ``--tune`` round on the four smallest reviews (seed 1) gave mean WSS@95: SVM C=0.1
0.623, SVM C=0.3 0.624, SVM with 10 % uncertainty sampling 0.623, SVM ratio 10 0.618,
SVM min_df=2 0.621, SVM+NB rank ensemble 0.613, multinomial NB 0.602; logistic regression
(liblinear) was several times slower per refit and was dropped. Those differences are within
seed noise, so the full comparison against ASReview decided: with ratio 1 the mean WSS@95
over all eight reviews and seeds 1-3 tied ASReview (0.665 vs 0.665) but ADHD fell 0.041
behind; with ratio 10 (the weighting ASReview's tuned default also uses) the mean rose to
0.675 and no review was more than 0.013 behind, so ratio 10 is the default. Refitting after
every record ("always") instead of adaptively gained 0.003 for 2-4x the time. Uncertainty
sampling stays available (``query="mixed"``) for reviewers who want the model to probe its
blind spots.

Re-ranking after one more decision on 20,000 records with 1,000 labelled costs about
0.25 s of CPU (refit 0.23 s, ranking 0.01 s; ``benchmarks/screening.py --latency``).
"""

from .ranker import DEFAULTS, Ranker, Step

__all__ = ["DEFAULTS", "Ranker", "Step"]
