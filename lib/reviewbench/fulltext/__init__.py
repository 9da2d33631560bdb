"""Full texts: the PDFs of the reports, read page by page and linked to their records.

:mod:`.extract` reads a PDF's text (pypdf), :mod:`.layout` puts it in reading order,
:mod:`.text` makes it comparable with a record's title or a quote, :mod:`.match` proposes
which record a PDF is the report of, :mod:`.links` keeps the links a person confirmed
(``evidence/fulltext/links.csv``) and :mod:`.locate` finds a quote's page.
"""
