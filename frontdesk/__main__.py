"""`python -m frontdesk` runs the command line."""

from frontdesk.cli import main

raise SystemExit(main())
