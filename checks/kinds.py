"""Which checks a document gets, by its kind.

- execution: every item and every plan-level finding (the gap report).
- supervising: every item, judged on what it requires of the agencies under it,
  with a warning that it is guidance, not the issuer's own commitment.
- sub_plan: one topic (phone courtesy, counters, petitions …). Its items that
  are present or partial are kept (the sub-plan does carry them); an item it
  does not mention is not_applicable, never missing: a one-topic document is not
  expected to hold the whole plan. How it was read, whether it is whole and
  its numbering are still reported.
- results_report, award_application, scoring_sheet, white_paper, other: no item
  is judged (all not_applicable with the reason) and no structure finding is
  made; the report says what the document is. Text in a scoring sheet, a report
  or an application is never taken as the agency's own measure.
"""

from __future__ import annotations

from models import ItemVerdict, PlanKind

FULL_CHECKS = frozenset({PlanKind.execution, PlanKind.supervising})
TOPICAL_CHECKS = frozenset({PlanKind.sub_plan})

# What the document is, in one sentence: the PLAN-KIND finding and the note at the top of every report.
KIND_STATEMENTS = {
    PlanKind.execution: "本文件為機關之年度執行計畫，以下為完整之必辦項目檢查結果。",
    PlanKind.supervising: "本文件為上級機關的實施計畫（或作業要點），內容是對所屬機關的指導與要求，而非本機關自身的執行承諾；"
                          "項目檢查結果係依其要求所屬機關辦理之事項判定，僅供參考。",
    PlanKind.sub_plan: "本文件為單一主題之專項計畫或規定（例如電話禮貌測試、櫃檯服務、陳情處理、到府服務），不是機關之年度執行計畫；"
                       "僅列出其中可見之必辦項目（符合或部分符合），未涵蓋之項目不評為缺漏。",
    PlanKind.results_report: "本文件為成果報告（執行成效、績效或考核結果），記載已辦理之情形，不是機關之年度執行計畫；不評定必辦項目。",
    PlanKind.award_application: "本文件為服務獎項之參獎申請資料，不是機關之年度執行計畫；不評定必辦項目。",
    PlanKind.scoring_sheet: "本文件為評分表或考核表，其中之評分項目與配分不是機關自身之措施；不評定必辦項目。",
    PlanKind.white_paper: "本文件為為民服務白皮書（服務項目與服務標準之說明），不是機關之年度執行計畫；不評定必辦項目。",
    PlanKind.other: "本文件不是服務品質計畫（例如新聞、論文、問答或無法判斷之文件）；不評定必辦項目。",
}

_NAMES = {
    PlanKind.sub_plan: "專項計畫或規定",
    PlanKind.results_report: "成果報告",
    PlanKind.award_application: "參獎申請資料",
    PlanKind.scoring_sheet: "評分表或考核表",
    PlanKind.white_paper: "為民服務白皮書",
    PlanKind.other: "非服務品質計畫之文件",
}


def not_judged_reason(kind: PlanKind) -> str:
    """Why an item gets no verdict in a document of this kind."""
    if kind in TOPICAL_CHECKS:
        return f"本文件為{_NAMES[kind]}，僅涵蓋單一主題，未提及本項不代表機關缺漏"
    return f"本文件為{_NAMES.get(kind, '非執行計畫之文件')}，非機關之年度執行計畫，不評定本項"


def judges_items(kind: PlanKind) -> bool:
    return kind in FULL_CHECKS or kind in TOPICAL_CHECKS


def verdict_for_kind(verdict: ItemVerdict, kind: PlanKind) -> ItemVerdict:
    """The verdict as the document's kind allows it: a sub-plan keeps what it
    shows and is never missing an item."""
    if kind in FULL_CHECKS or verdict.status in ("present", "partial", "not_applicable"):
        return verdict
    return verdict.model_copy(update={"status": "not_applicable", "reason": not_judged_reason(kind), "evidence": [],
                                      "unseen": False})
