"""The data model every stage exchanges: the plan (plan.py) and the check
result (report.py)."""

from models.plan import *  # noqa: F401,F403
from models.plan import SCHEMA_VERSION  # noqa: F401
from models.report import *  # noqa: F401,F403
from models.stages import MappedPlan, NormalizedPlan  # noqa: F401
