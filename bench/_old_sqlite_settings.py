"""The settings before WAL, the 20 s busy timeout and IMMEDIATE transactions: Django's SQLite
defaults. ``bench/concurrent_load.py``'s baseline; not for anything else."""

from naervaer.web.settings import *
from naervaer.web.settings import DATABASES

DATABASES["default"]["OPTIONS"] = {}
