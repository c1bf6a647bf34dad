"""``python -m sakagare_xl.template [UTFIL] [--arende FIL] [--alla KATALOG]``."""

import sys

from .cli import main

sys.exit(main())
