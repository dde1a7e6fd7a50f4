"""``python -m yiti.engine ...``"""

from .cli import main

raise SystemExit(main())
