"""Which framework a plan follows, with a confidence and the reasons
(docs/frameworks.md "Detecting the framework"): the 方案 its 計畫依據 cites, else the
dimension names of its table, else its year."""

from __future__ import annotations

from collections import Counter

from checks.frameworks import Framework, frameworks
from checks.headings import match_dimension
from checks.matching import FoldedText, without_masked
from models import FrameworkRef, Plan
from normalizers.text import normalize_text

_BASIS_TITLES = ("計畫依據", "依據", "法令依據", "計畫緣起")


def _basis_text(plan: Plan) -> str:
    texts = [basis.text for basis in plan.basis]
    texts += [s.text for s in plan.sections if s.kind == "body" and s.title.strip("：: ") in _BASIS_TITLES]
    return normalize_text("\n".join(texts))


def _body_text(plan: Plan) -> str:
    texts = [s.text for s in plan.sections if s.kind in ("body", "schedule")]
    return normalize_text("\n".join([plan.title or "", *texts]))


def _citations(framework: Framework, text: FoldedText) -> list[str]:
    hits = text.find(tuple(framework.detection.citations))
    masks = text.find(tuple(framework.detection.confusables))
    return sorted({hit.cue for hit in without_masked(hits, masks)})


def _by_year(roc_year: int, body: FoldedText) -> Framework | None:
    """The year rule; in 106 a plan follows F2 only when F2 terms occur."""
    known = list(frameworks().values())
    if roc_year == 106:
        f2 = next((f for f in known if f.current), None)
        if f2 and (_citations(f2, body) or any(body.find(tuple(d.names)) for s in f2.schemes for d in s.dimensions)):
            return f2
        return next((f for f in known if f.years.contains(105)), None)
    return next((f for f in known if f.years.contains(roc_year)), None)


def detect_framework(plan: Plan) -> FrameworkRef:
    known = frameworks()
    basis, body = FoldedText(_basis_text(plan)), FoldedText(_body_text(plan))
    reasons: list[str] = []

    cited = {fid: _citations(f, basis) for fid, f in known.items()}
    cited = {fid: cues for fid, cues in cited.items() if cues}
    headings = Counter()
    for measure in plan.measures:
        for heading in measure.path[:2]:
            for framework in known.values():
                if match_dimension(heading, framework):
                    headings[framework.id] += 1
                    break
            else:
                continue
            break

    if cited:
        in_year = [fid for fid in cited if plan.roc_year and known[fid].years.contains(plan.roc_year)]
        chosen = (in_year or sorted(cited, key=lambda fid: known[fid].years.from_ or 0))[-1]
        confidence = 0.95 if len(cited) == 1 else 0.85
        reasons.append(f"計畫依據引用{'、'.join(f'「{c}」' for c in cited[chosen])}")
    elif headings:
        chosen, count = headings.most_common(1)[0]
        confidence = 0.85 if count >= 3 else 0.7
        reasons.append(f"措施表有 {count} 項措施列於{known[chosen].name}之面向／構面名稱下")
    elif plan.roc_year and (by_year := _by_year(plan.roc_year, body)):
        chosen, confidence = by_year.id, 0.6
        reasons.append(f"計畫依據與表格面向未指明方案，依年度（民國 {plan.roc_year} 年）判定")
    else:
        titles = [f for f in known.values() if FoldedText(plan.title or "").find(tuple(f.detection.titles))]
        if titles:
            chosen, confidence = titles[0].id, 0.5
            reasons.append(f"計畫名稱屬{titles[0].name}時期之用語")
        else:
            current = next(f for f in known.values() if f.current)
            return FrameworkRef(id=current.id, confidence=0.2, reasons=["無引用方案、面向名稱或年度可供判定，暫以現行方案處理"])

    framework = known[chosen]
    if cited and headings.get(chosen):
        confidence = min(1.0, confidence + 0.03)
        reasons.append(f"措施表面向名稱亦屬{framework.name}（{headings[chosen]} 項措施）")
    elsewhere = _citations(framework, body)
    if not cited and elsewhere:
        confidence = min(1.0, confidence + 0.05)
        reasons.append(f"內文提及{'、'.join(f'「{c}」' for c in elsewhere)}")
    if plan.roc_year:
        if framework.years.contains(plan.roc_year):
            reasons.append(f"民國 {plan.roc_year} 年在{framework.name}施行期間內")
        else:
            confidence = max(0.3, confidence - 0.15)
            reasons.append(f"民國 {plan.roc_year} 年不在{framework.name}施行期間內，請人工確認")
    return FrameworkRef(id=chosen, confidence=round(confidence, 2), reasons=reasons)
