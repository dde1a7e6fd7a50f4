import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiti.settings")
application = get_wsgi_application()
# What is loaded by now (modules, settings, translations) lives as long as the process: moved out of
# the collector's reach, a full garbage collection no longer walks it — at scale 100 such a collection
# took 50 ms inside one request in about thirty (docs/benchmarks.md, item 34).
gc.freeze()
