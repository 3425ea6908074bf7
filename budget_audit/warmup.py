"""Build the process-wide tables once, before the first document.

The lexicon, the classification lists and the indexes derived from them are loaded on
first use and kept for the life of the process. A scan's workers are forked from a
server that imports this module, so each worker starts with them built instead of
paying for them on its first document (and again after each recycling).
"""

from __future__ import annotations


def warm() -> None:
    from .cache import code_fingerprint
    from .kinds import classification, execution, prose_amount
    from .recognise import lexicon as lx
    from .recognise.prose import prose_lexicon

    lx.lexicon()
    lx.function_codes()
    lx.economic_codes()
    lx.function_names_by_level()
    prose_lexicon()
    classification._class_pairs()
    execution._words()
    prose_amount.codes_by_core()
    code_fingerprint()


warm()
