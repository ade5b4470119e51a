"""Check types for the ``require`` list of a rule file, registered by name.

Add a check type: write a module here with one ``Check`` subclass decorated with
``@register``, and import it below. Nothing else in the engine changes.
"""

from ._base import REGISTRY, Check, CheckContext, Outcome, register
from ._requirement import Requirement, build_requirement

# built-in check types (importing registers them)
from . import (  # noqa: F401  isort: skip
    any_of,
    chart,
    elements,
    links_to,
    not_whole_law,
    online_form,
    people,
    text_all,
    text_any,
    url_matches,
    year_binding,
)

__all__ = [
    "REGISTRY",
    "Check",
    "CheckContext",
    "Outcome",
    "Requirement",
    "build_requirement",
    "register",
]
