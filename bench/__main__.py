"""``python -m bench`` is ``sumbench``."""

from .cli import main

main()
