"""`python -m bot.channels.telegram`: the bridge on its own (same as `advisor telegram`)."""

import sys

from bot.channels.telegram import main

sys.exit(main())
