"""pdfplumber's table finder and word grouping without its whole package.

``import pdfplumber`` runs the package's __init__, which opens pdfminer's
document layer and the cryptography library (for encrypted files): 14 MiB
resident before the first page, although PDFium reads the characters of every
page and pdfplumber's part is then only its table finder and word grouping,
modules that need none of it. Here the package is registered without running
its __init__; its submodules load as usual, and the first use of anything the
__init__ defines (``pdfplumber.open``, by the fallback for pages PDFium cannot
lay out, or by any other code in the process) runs it then, into the same
module, so ``import pdfplumber`` keeps working everywhere."""

from __future__ import annotations

import importlib.util
import sys
import threading
from types import ModuleType

_COMPLETING = threading.RLock()  # the web page's threads may reach the first use at once
_running: set[str] = set()  # packages whose __init__ is running now (in the thread holding the lock)


def _complete(package: ModuleType, name: str):
    # PEP 562: only reached for a name the package does not hold yet. A
    # submodule (``from . import utils``) is imported as such; anything else
    # is the __init__'s, which runs now, once. Other threads wait for it to
    # finish instead of finding the package half-built; the __init__'s own
    # lookups of names it has not yet defined fail as they normally would.
    if importlib.util.find_spec(f"{package.__name__}.{name}") is not None:
        return importlib.import_module(f"{package.__name__}.{name}")
    with _COMPLETING:
        if name not in vars(package) and "__getattr__" in vars(package) and package.__name__ not in _running:
            _running.add(package.__name__)
            try:
                package.__spec__.loader.exec_module(package)
            finally:
                _running.discard(package.__name__)
                del package.__getattr__
    if name in vars(package):
        return vars(package)[name]
    raise AttributeError(f"module {package.__name__!r} has no attribute {name!r}")


def register_package() -> None:
    """Make ``pdfplumber`` importable without running its __init__ (once;
    nothing to do when it is already imported)."""
    if "pdfplumber" in sys.modules:
        return
    spec = importlib.util.find_spec("pdfplumber")
    package = importlib.util.module_from_spec(spec)
    package.__getattr__ = lambda name: _complete(package, name)
    sys.modules["pdfplumber"] = package


register_package()

from pdfplumber.table import TableFinder, TableSettings  # noqa: E402  (after the registration above)
from pdfplumber.utils import extract_words  # noqa: E402

__all__ = ["TableFinder", "TableSettings", "extract_words"]
