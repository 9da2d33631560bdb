"""Line-tagged exports (RIS, PubMed/MEDLINE, Web of Science, Ovid, EndNote tagged, Cochrane):
one reader, six syntaxes.

Each format is a :class:`TaggedSyntax` (what a tag line looks like, which tag starts and
ends a record, how values continue on the next line) plus a field table mapping its
tags to schema fields. :func:`split_records` walks the lines once, so 100,000 records
read in seconds, and returns each record's tags with the line it starts on; lines it
cannot place are reported, never silently dropped.

Modules: :mod:`.syntax` (the layout and a record's tags), :mod:`.split` (the general
reader), :mod:`.plain` (the fast reader for a writer's own layout) and :mod:`.fields`
(tags to schema fields).
"""

from .fields import ACCEPT, MEDLINE_DB, doi_only, extra_tags, map_fields, pmid_in_tags, spare_values, split_keywords
from .split import split_records
from .syntax import TaggedRecord, TaggedSyntax

__all__ = ["ACCEPT", "MEDLINE_DB", "TaggedRecord", "TaggedSyntax", "doi_only", "extra_tags", "map_fields", "pmid_in_tags", "spare_values",
           "split_keywords", "split_records"]
