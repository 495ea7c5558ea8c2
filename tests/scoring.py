"""Scoring an extraction against a hand-checked expected file.

Measures are matched one to one by their text: a predicted measure matches an
expected one when their folded texts (whitespace removed, width and variants
folded) are at least 90% similar. Precision and recall count matched measures;
path, number, units and deadline accuracy are measured over the matches."""

from __future__ import annotations

import difflib
import io
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from models import Plan
from normalizers.text import fold_key, to_halfwidth

EXPECTED_DIR = Path(__file__).parent / "expected"
MATCH_THRESHOLD = 0.9


def key(text: str | None) -> str:
    return fold_key(to_halfwidth(text or ""))


def load_expected(seed_id: str) -> dict:
    return yaml.safe_load((EXPECTED_DIR / f"{seed_id}.yaml").read_text(encoding="utf-8"))


@dataclass
class Score:
    expected: int
    predicted: int
    matched: list[tuple[dict, object]] = field(default_factory=list)
    missed: list[dict] = field(default_factory=list)
    spurious: list[object] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return len(self.matched) / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return len(self.matched) / self.expected if self.expected else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def share(self, same) -> float:
        if not self.matched:
            return 0.0
        return sum(1 for exp, got in self.matched if same(exp, got)) / len(self.matched)

    @property
    def path_accuracy(self) -> float:
        return self.share(lambda exp, got: [key(p) for p in exp["path"]] == [key(p) for p in got.path])

    @property
    def number_accuracy(self) -> float:
        return self.share(lambda exp, got: key(exp["number"]) == key(got.number))

    @property
    def units_accuracy(self) -> float:
        return self.share(lambda exp, got: sorted(map(key, exp["departments"])) == sorted(map(key, got.departments)))

    @property
    def deadline_accuracy(self) -> float:
        return self.share(lambda exp, got: key(exp["deadline"]) == key(got.deadline))

    def summary(self, name: str) -> str:
        return (
            f"{name}: expected {self.expected}, extracted {self.predicted}, matched {len(self.matched)} | "
            f"P {self.precision:.3f} R {self.recall:.3f} F1 {self.f1:.3f} | "
            f"path {self.path_accuracy:.3f} number {self.number_accuracy:.3f} "
            f"units {self.units_accuracy:.3f} deadline {self.deadline_accuracy:.3f}"
        )


def score_plan(plan: Plan, expected: dict) -> Score:
    wanted = expected["measures"]
    got = plan.measures
    wanted_keys = [key(m["text"]) for m in wanted]
    got_keys = [key(m.text) for m in got]
    candidates = []
    for i, wk in enumerate(wanted_keys):
        for j, gk in enumerate(got_keys):
            matcher = difflib.SequenceMatcher(None, wk, gk, autojunk=False)
            if matcher.real_quick_ratio() < MATCH_THRESHOLD or matcher.quick_ratio() < MATCH_THRESHOLD:
                continue
            ratio = matcher.ratio()
            if ratio >= MATCH_THRESHOLD:
                # Prefer the same line, then the higher similarity.
                same_line = wanted[i].get("line") == got[j].location.line
                candidates.append((ratio + (0.01 if same_line else 0.0), i, j))
    candidates.sort(reverse=True)
    used_w, used_g = set(), set()
    score = Score(expected=len(wanted), predicted=len(got))
    for _ratio, i, j in candidates:
        if i in used_w or j in used_g:
            continue
        used_w.add(i)
        used_g.add(j)
        score.matched.append((wanted[i], got[j]))
    score.missed = [wanted[i] for i in range(len(wanted)) if i not in used_w]
    score.spurious = [got[j] for j in range(len(got)) if j not in used_g]
    return score


def pdf_pages(source: Path, out: Path, pages: list[int]) -> Path:
    """The given pages (0-based) of a PDF as a PDF of their own, written once: the
    same bytes every time, so that the OCR cache keyed by sha256 serves every run."""
    import pypdfium2 as pdfium

    if out.exists():
        return out
    document = pdfium.PdfDocument(source)
    subset = pdfium.PdfDocument.new()
    subset.import_pages(document, pages)
    buffer = io.BytesIO()
    subset.save(buffer)
    out.write_bytes(buffer.getvalue())
    return out


def check_agreement(digital: Plan, scanned: Plan, profile=None) -> tuple[float, dict[str, tuple[str, str | None]]]:
    """The share of check items whose verdict on the scan is the digital file's,
    and the items that differ: id → (digital verdict, scan verdict)."""
    from checks import check_plan, load_profile

    profile = profile or load_profile("default")
    wanted = {item.id: item.status for item in check_plan(digital, profile).items}
    got = {item.id: item.status for item in check_plan(scanned, profile).items}
    differ = {item: (status, got.get(item)) for item, status in wanted.items() if got.get(item) != status}
    return 1 - len(differ) / len(wanted), differ


def expected_on_pages(seed: str, digital_plan: Plan) -> dict:
    """The expected file restricted to the measures the digital PDF's pages at
    hand hold. A measure that the first or last page cuts is expected as those
    pages hold it: its end or its beginning, as the digital pages read."""
    expected = load_expected(seed)
    score = score_plan(digital_plan, expected)
    cut = [{**wanted, "text": got.text} for got in score.spurious for wanted in expected["measures"]
           if len(key(got.text)) >= 10 and (key(wanted["text"]).startswith(key(got.text))
                                            or key(wanted["text"]).endswith(key(got.text)))]
    return {**expected, "measures": [wanted for wanted, _ in score.matched] + cut}
