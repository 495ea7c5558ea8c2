"""The `plancheck` command. Each group of commands lives in plancheck/commands/
and marks its commands there; adding a command means adding a module there and
one import below."""

from __future__ import annotations

import os
import re
import sys
from enum import Enum

import typer

try:  # newer typer carries its own copy of click
    from typer._click.exceptions import (BadParameter, ClickException, MissingParameter, NoArgsIsHelpError, NoSuchOption,
                                         UsageError)
except ImportError:  # pragma: no cover - typer on the real click
    from click.exceptions import (BadParameter, ClickException, MissingParameter, NoArgsIsHelpError, NoSuchOption,
                                  UsageError)

from plancheck.commands import COMMANDS
# In the order of `plancheck --help`.
from plancheck.commands import extract as _extract  # noqa: F401,I001  (marks its commands)
from plancheck.commands import samples as _samples  # noqa: F401
from plancheck.commands import corpus as _corpus  # noqa: F401
from plancheck.commands import check as _check  # noqa: F401

app = typer.Typer(
    name="plancheck",
    help="Read, check and search Taiwanese government service-quality plans (提升服務品質執行計畫).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def version_text() -> str:
    # The package's own constant (pyproject reads it at build time): looking it
    # up in the installed metadata imported importlib.metadata, a third of
    # --version's time above the interpreter's start.
    from plancheck import __version__

    return f"plancheck {__version__}"


def _print_version(value: bool) -> None:
    if value:
        typer.echo(version_text())
        raise typer.Exit()


class OcrEngine(str, Enum):
    tesseract = "tesseract"
    rapidocr = "rapidocr"


@app.callback()
def _options(
    version: bool = typer.Option(False, "--version", callback=_print_version, is_eager=True,
                                 help="Print the version and exit."),
    no_ocr: bool = typer.Option(False, "--no-ocr", help="Refuse scanned PDFs and page images instead of reading them by OCR."),
    ocr_engine: OcrEngine = typer.Option(OcrEngine.tesseract, "--ocr-engine", help="OCR engine for scanned pages."),
    ocr_jobs: int = typer.Option(0, "--ocr-jobs", min=0, help="Pages of one scanned file recognised at once (0: one per CPU)."),
) -> None:
    """Read, check and search Taiwanese government service-quality plans (提升服務品質執行計畫).
    OCR results are cached under $XDG_CACHE_HOME/plancheck/ocr."""
    # The environment carries the choice to batch worker processes (extractor.ocr.settings).
    os.environ["PLANCHECK_OCR"] = "off" if no_ocr else ocr_engine.value
    if ocr_jobs:
        os.environ["PLANCHECK_OCR_JOBS"] = str(ocr_jobs)


for _name, _function in COMMANDS.items():
    app.command(_name)(_function)


def _option_hint(param) -> str:
    """--jobs／-j for an option, FILES for an argument."""
    return "／".join(param.opts) if param.param_type_name == "option" else param.name.upper()


def _rule(param) -> str:
    """What a parameter's value must be, from its declaration."""
    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return "應為 " + "、".join(member.value for member in annotation) + " 之一"
    if annotation is int:
        low, high = getattr(param, "min", None), getattr(param, "max", None)
        if low is not None and high is not None:
            return f"應為 {low} 到 {high} 之間的整數"
        if low is not None or high is not None:
            return f"應為不小於 {low} 的整數" if low is not None else f"應為不大於 {high} 的整數"
        return "應為整數"
    return "值無效"


_GENERIC = (
    (re.compile(r"No such command '(.*)'\.?"), "沒有 {} 這個指令（plancheck --help 列出所有指令）"),
    (re.compile(r"Got unexpected extra arguments? \((.*)\)"), "多出的參數：{}"),
    (re.compile(r"Option '(.*)' requires an argument\.?"), "選項 {} 需要一個值"),
    (re.compile(r"Got unexpected extra argument\(s\) \((.*)\)"), "多出的參數：{}"),
)


def _usage_reason(error: ClickException) -> str:
    """Click's and typer's usage errors in Traditional Chinese (their own text is English)."""
    if isinstance(error, NoSuchOption):
        guesses = "、".join(error.possibilities or ())
        return f"沒有 {error.option_name} 這個選項" + (f"（是否指 {guesses}？）" if guesses else "")
    if isinstance(error, MissingParameter) and error.param is not None:
        return f"缺少{'選項' if error.param.param_type_name == 'option' else '參數'} {_option_hint(error.param)}"
    if isinstance(error, BadParameter) and error.param is not None:
        return f"{_option_hint(error.param)} 的值不正確：{_rule(error.param)}"
    message = error.format_message()
    for pattern, chinese in _GENERIC:
        if match := pattern.fullmatch(message.strip()):
            return chinese.format(match.group(1))
    return f"用法有誤（{message}）"


def usage_error_line(error: ClickException) -> str:
    """A usage error (unknown option, a number out of range, a bad choice) as the
    one line every other error is, in Chinese."""
    where = error.ctx.command_path if isinstance(error, UsageError) and error.ctx else "plancheck"
    return " ".join(f"{where}: {_usage_reason(error)}".split())


def main(args: list[str] | None = None) -> int:
    """The `plancheck` command: typer's app, with usage errors on one line
    instead of click's framed usage text. Returns the exit code."""
    try:
        code = typer.main.get_command(app).main(args, prog_name="plancheck", standalone_mode=False)
    except NoArgsIsHelpError as error:  # `plancheck` alone: the help, as before
        error.show()
        return error.exit_code
    except ClickException as error:
        print(usage_error_line(error), file=sys.stderr)
        return error.exit_code
    except typer.Abort:
        return 130
    return code if isinstance(code, int) else 0


def run() -> None:
    code = main()
    if code == 130:
        # Ctrl-C: the batch has stopped its workers and removed its partial files.
        # Leave without the interpreter's exit hooks: concurrent.futures' hook
        # wakes the stopped pool through a pipe that may already be closed, and
        # prints a traceback (CPython 3.11; seen once in the Ctrl-C test).
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)
