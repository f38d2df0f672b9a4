"""The catalogue: what the product is made of, written once.

The seeds hold the code lists and registers; this package holds what does not
fit a seed: the submission format (``submission_format.yml``), and, from the
other parts, the indicator and relation catalogues. Everything else derives
from here or is checked against it by a test.
"""

from werkmonitor.catalogue.format import (
    Column,
    Sheet,
    SubmissionFormat,
    code_list,
    raw_ddl,
    submission_format,
)

__all__ = ["Column", "Sheet", "SubmissionFormat", "code_list", "raw_ddl", "submission_format"]
