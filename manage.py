#!/usr/bin/env python
"""Django's command-line utility; ``giamngheo`` (the console script) does the same and more."""

from giamngheo.cli import main

if __name__ == "__main__":
    main()
