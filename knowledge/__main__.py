"""``python -m knowledge ...`` runs the knowledge command line."""

import sys

from knowledge.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
