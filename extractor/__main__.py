"""`python -m extractor` is the `vnextract` command."""

import sys

from .cli import main

sys.exit(main())
