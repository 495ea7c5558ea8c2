"""The data model every stage exchanges (see plan.py)."""

from models.plan import *  # noqa: F401,F403
from models.plan import SCHEMA_VERSION  # noqa: F401
