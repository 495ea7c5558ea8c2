"""Save a document as a password-protected Word 97–2003 file through LibreOffice's
UNO API (the command line's --convert-to cannot set a password). Run with the
system Python that has the uno module (Debian python3-uno):

    /usr/bin/python3 scripts/lo_password_doc.py SOURCE.docx TARGET.doc PASSWORD
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import uno
from com.sun.star.beans import PropertyValue


def _props(**values) -> tuple:
    result = []
    for name, value in values.items():
        prop = PropertyValue()
        prop.Name, prop.Value = name, value
        result.append(prop)
    return tuple(result)


def main(source: Path, target: Path, password: str) -> None:
    with tempfile.TemporaryDirectory() as profile:
        pipe = f"plancheck{int(time.time() * 1000)}"
        office = subprocess.Popen(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--invisible",
                                   "--norestore", f"--accept=pipe,name={pipe};urp;"])
        try:
            resolver = uno.getComponentContext().ServiceManager.createInstanceWithContext(
                "com.sun.star.bridge.UnoUrlResolver", uno.getComponentContext())
            for _ in range(100):
                try:
                    context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                    break
                except Exception:  # noqa: BLE001 - not listening yet
                    time.sleep(0.2)
            desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
            document = desktop.loadComponentFromURL(source.resolve().as_uri(), "_blank", 0, _props(Hidden=True))
            document.storeToURL(target.resolve().as_uri(), _props(FilterName="MS Word 97", Password=password))
            document.close(True)
        finally:
            office.terminate()
            office.wait(timeout=30)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3])
