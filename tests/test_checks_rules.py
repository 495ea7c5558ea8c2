"""Each rule kind on small plans made of real phrases from the seeds:
present, partial, missing and confusable cases."""

from __future__ import annotations

import pytest

from checks import check_plan, load_profile
from models import ColumnRole, Measure, MeasureTable, Plan, Section, SourceFile

PROFILE = load_profile("default")


def plan_of(*texts: str, roc_year: int = 107, framework: str = "F2", sections: list[Section] | None = None,
            deadlines: list[str | None] | None = None, units: list[list[str]] | None = None) -> Plan:
    measures = [Measure(id=f"m{i}", path=["一、基礎服務", "(一)服務一致及正確性"], number=f"({i})", text=text,
                        deadline=deadlines[i - 1] if deadlines else None,
                        departments=units[i - 1] if units else [])
                for i, text in enumerate(texts, 1)]
    roles = [ColumnRole.dimension, ColumnRole.measure]
    if deadlines is not None:
        roles.append(ColumnRole.deadline)
    if units is not None:
        roles.append(ColumnRole.units)
    return Plan(source=SourceFile(path="fixture.txt", sha256="0" * 64, format="text"), roc_year=roc_year,
                year=roc_year + 1911, title=f"測試機關{roc_year}年度提升服務品質執行計畫",
                sections=sections or [], measures=measures,
                tables=[MeasureTable(header=["面向", "具體作法"], roles=roles, measure_ids=[m.id for m in measures])],
                framework={"id": framework, "confidence": 1.0})


def verdict(plan: Plan, item_id: str):
    report = check_plan(plan, PROFILE)
    return next(v for v in report.items if v.id == item_id)


# ── keyword ──
@pytest.mark.parametrize("text, status", [
    ("力行一次告知服務，服務人員除能精確回答用戶問題。", "present"),                       # 004
    ("提升民眾臨櫃或電話諮詢「正確性」、「一次完整告知」之專業能力。", "present"),        # 002
    ("重視洽公服務禮儀,如現場主動協助引導民眾、告知標準程序等。", "missing"),            # 000: not 一次告知
])
def test_keyword_one_time_notice(text, status):
    assert verdict(plan_of(text), "ONE-TIME-NOTICE").status == status


def test_keyword_partial_cue_names_what_is_lacking():
    text = "強化機關服務人員(含機關委外 call center 人員)對涉及服務業務之流程及相關法規之正確與熟悉程度。"  # 000
    result = verdict(plan_of(text), "STAFF-TRAINING")
    assert result.status == "partial" and "教育訓練" in result.reason
    assert verdict(plan_of("辦理強化員工服務業務相關訓練至少1次。"), "STAFF-TRAINING").status == "present"


def test_keyword_confusable_staff_survey_is_not_a_citizen_survey():
    assert verdict(plan_of("辦理內部同仁滿意度調查。"), "SATISFACTION-SURVEY").status == "missing"   # 004
    assert verdict(plan_of("辦理內部同仁滿意度調查。"), "STAFF-SATISFACTION").status == "present"


def test_keyword_latin_cue_is_a_whole_word():
    assert verdict(plan_of("提供 Online 申辦。"), "E-PARTICIPATION").status == "missing"
    assert verdict(plan_of("設置「龍井志工隊」Line 群組，維持友善之互動機制。"), "E-PARTICIPATION").status == "partial"


# ── qualified (keyword with qualifiers) ──
@pytest.mark.parametrize("text, status", [
    ("將服務案件標準處理流程公布於機關網頁及服務場所。", "present"),                         # 000
    ("訂立標準作業程序，包括流程說明及流程圖與核辦時限，登載於機關服務場所或網站。", "partial"),  # 002: a choice
    ("訂定申辦業務標準作業流程", "partial"),                                                 # 004: not published
    ("督促服務人員遵循「電話禮貌標準作業程序」。", "missing"),                                # 004: internal SOP
])
def test_qualified_sop_published(text, status):
    assert verdict(plan_of(text), "SOP-PUBLISHED").status == status


def test_qualified_or_is_explained():
    result = verdict(plan_of("訂立標準作業程序，登載於機關服務場所或網站，提供民眾申辦時參閱。"), "SOP-PUBLISHED")
    assert "擇一" in result.reason


def test_qualified_subject_named_by_the_measures_heading():
    plan = plan_of("申請表單及工作流程表件視法規及業務需求適時修訂，並建置於民眾等候區及網頁提供民眾參閱。")
    plan.measures[0].path[-1] = "(一)申辦業務標準作業流程訂定情形"  # 003
    assert verdict(plan, "SOP-PUBLISHED").status == "present"


@pytest.mark.parametrize("text, status", [
    ("網站(頁)通過無障礙檢測，並取得認證標章。", "present"),                                       # 004
    ("提供以使用者為導向並符合 A+ 等級無障礙網頁設計標準之公版網站。", "present"),                   # 003
    ("身障者：設置愛心坡道、愛心鈴、愛心輪椅、身障廁所等服務。", "missing"),                        # 003: physical
])
def test_qualified_web_accessibility_is_not_a_ramp(text, status):
    assert verdict(plan_of(text), "WEB-ACCESSIBILITY-MARK").status == status


@pytest.mark.parametrize("text, status", [
    ("設置無障礙設施，明確標示愛心鈴、無障礙坡道，並定期檢測維護各項無障礙設施是否妥適安全。", "present"),  # 004
    ("身障者：設置愛心坡道、愛心鈴、愛心輪椅、身障廁所等服務。", "partial"),                             # 003
    ("提供以使用者為導向並符合 A+ 等級無障礙網頁設計標準之公版網站。", "missing"),                       # 003: web
])
def test_qualified_physical_accessibility(text, status):
    assert verdict(plan_of(text), "ACCESSIBLE-FACILITIES").status == status


@pytest.mark.parametrize("text, status", [
    ("推展雙語化服務，建置服務中心英語服務櫃台及電話總機英語語音服務。", "present"),   # 004
    ("網站連結市府「服務e櫃檯」提供中英文戶籍謄本、戶口名簿等表單下載。", "partial"),  # 003: a document only
])
def test_qualified_bilingual_modifier_comes_first(text, status):
    assert verdict(plan_of(text), "BILINGUAL-SIGNS").status == status


def test_qualified_plan_scope_combines_separate_measures():
    both = plan_of("提供民眾意見反映後續追蹤處理。", "定期演練及檢討對民眾意見反映之處理機制及標準作業程序。")  # 000
    one = plan_of("提供民眾意見反應後續追蹤處理。", "對於民眾興革建議及陳情案件，每月彙陳機關首長至少1次。")  # 001
    assert verdict(both, "COMPLAINT-FOLLOWUP").status == "present"
    result = verdict(one, "COMPLAINT-FOLLOWUP")
    assert result.status == "partial" and "定期檢討或演練" in result.reason


def test_qualified_frequency_group_for_self_assessment():
    sections = [Section(number="陸、", title="考核作業", text="於上、下半年度自行實施考核各1次,相關評核結果需登載於機關網頁。")]
    assert verdict(plan_of("辦理業務宣導活動。", sections=sections), "SELF-ASSESSMENT").status == "present"
    sections = [Section(number="伍、", title="實施步驟", text="每半年並採自行考核提升服務效能工作之執行成果。")]      # 004
    assert verdict(plan_of("辦理業務宣導活動。", sections=sections), "SELF-ASSESSMENT").status == "partial"
    sections = [Section(number="伍、", title="實施步驟", text="執行內部控制制度自行評估及稽核作業。")]
    assert verdict(plan_of("辦理業務宣導活動。", sections=sections), "SELF-ASSESSMENT").status == "missing"


# ── frequency ──
@pytest.mark.parametrize("text, status, reason", [
    ("注重電話禮貌,不定期進行禮貌測試,每3個\n月至少測試1次。", "present", "每年4次"),                     # 000, split
    ("注重服務人員接聽電話禮貌，依本公司「電話禮貌考核作業原則」，每月不定期進行電話測試。", "present", "每年12次"),  # 004
    ("實施電話禮貌測試至少2次。", "partial", "電話禮貌測試 每年2次，低於每3個月1次"),                         # 001
    ("辦理「服務滿意度調查」及「電話服務品質及禮貌測試」。", "partial", "未訂頻率"),                         # 002
    ("不定期進行電話禮貌測試。", "partial", "僅不定期"),
    ("督促服務人員遵循「電話禮貌標準作業程序」。", "missing", ""),                                       # 004: an SOP
])
def test_frequency_phone_test(text, status, reason):
    result = verdict(plan_of(text), "PHONE-TEST-QUARTERLY")
    assert result.status == status and reason in result.reason


def test_frequency_belongs_to_the_nearest_cue():
    text = "透過電話互測、服務稽核及年度 2 次禮貌人員選拔，強化服務禮儀。"  # 003
    result = verdict(plan_of(text), "PHONE-TEST-QUARTERLY")
    assert result.status == "partial" and "未訂頻率" in result.reason


def test_frequency_of_another_clause_does_not_count():
    text = "每 3 個月檢視並維護服務場所內外環境。實施電話禮貌測試。"
    assert "未訂頻率" in verdict(plan_of(text), "PHONE-TEST-QUARTERLY").reason


def test_frequency_from_schedule_rows():
    sections = [Section(number="", title="附件 1、作業期程", kind="schedule",
                        text="4 本府電話服務品質及禮貌測試(第 1 次) 上半年\n8 本府電話服務品質及禮貌測試(第 2 次) 下半年")]
    result = verdict(plan_of("辦理業務宣導活動。", sections=sections), "PHONE-TEST-QUARTERLY")   # 002
    assert result.status == "partial" and "每年2次" in result.reason


def test_scoring_sheets_are_never_read():
    sections = [Section(number="", title="考核項目及評分表", kind="scoring", text="機關電話禮貌測試結果優良，每月測試1次。")]
    assert verdict(plan_of("辦理業務宣導活動。", sections=sections), "PHONE-TEST-QUARTERLY").status == "missing"


# ── channels ──
@pytest.mark.parametrize("text, status", [
    ("提供多元案件處理查詢管道，含電話、網路、現場及行動裝置等，方便用戶查詢案件處理進度。", "present"),  # 004
    ("提供案件處理查詢管道(含電話、現場查詢)", "partial"),                                              # 001
    ("建立申辦或申請案件公開查詢機制，提供民眾瞭解案件處理流程及最新進度。", "partial"),                # 002
    ("提供視訊、Skype、App、fb、Line、QR code 申辦或查詢服務。", "missing"),                             # 002: not a case query
])
def test_channels_case_query(text, status):
    assert verdict(plan_of(text), "CASE-QUERY").status == status


def test_channels_sufficient_mode_and_no_partial_for_bare_subject():
    assert verdict(plan_of("提供進階檢索功能。"), "FULLTEXT-SEARCH").status == "present"
    assert verdict(plan_of("網站設置「全文檢索」、「分類檢索」功能。"), "FULLTEXT-SEARCH").status == "partial"
    assert verdict(plan_of("機關網站資訊提供及檢索服務。"), "FULLTEXT-SEARCH").status == "missing"  # 002


# ── plan structure ──
def _sections(*titles: str) -> list[Section]:
    return [Section(number=f"{i}、", title=t, text="…") for i, t in enumerate(titles, 1)]


def test_sections_names_what_is_missing():
    full = _sections("計畫依據", "計畫目標", "實施對象", "執行策略及方法", "實施步驟", "考核作業", "獎勵方式")
    assert verdict(plan_of("x。", sections=full), "SECTIONS").status == "present"
    result = verdict(plan_of("x。", sections=full[:5]), "SECTIONS")                       # 004
    assert result.status == "partial" and result.reason == "缺少章節：考核、獎勵"
    assert verdict(plan_of("x。", sections=full[:3]), "SECTIONS").status == "missing"


def test_quantified_share():
    quantified = ["實施電話禮貌測試至少2次。", "機關網站至少提供主題、施政與服務等3種分類檢索方式。"]
    vague = ["定期更新機關網頁資訊。", "不定期進行禮貌測試。", "提供各種申辦書表及填寫範例。"]
    assert verdict(plan_of(*quantified, *vague), "QUANTIFIED").status == "present"   # 2/5
    result = verdict(plan_of(quantified[0], *vague, *vague), "QUANTIFIED")           # 1/7
    assert result.status == "partial" and "1/7" in result.reason
    assert verdict(plan_of(*vague), "QUANTIFIED").status == "missing"


def test_owner_and_deadline():
    texts = ["訂定申辦業務標準作業流程", "進行客戶關懷活動。"]
    assert verdict(plan_of(*texts), "OWNER-AND-DEADLINE").status == "not_applicable"
    full = plan_of(*texts, deadlines=["112年6月30日前", "112年12月底"], units=[["業務組"], ["北客服"]])
    assert verdict(full, "OWNER-AND-DEADLINE").status == "present"
    lacking = plan_of(*texts, deadlines=["112年6月30日前", None], units=[["業務組"], []])     # 004's (5)
    assert verdict(lacking, "OWNER-AND-DEADLINE").status == "partial"
    open_ended = plan_of(*texts, deadlines=["持續辦理", "持續辦理"], units=[["承辦人"], ["全體同仁"]])   # 003
    assert "2/2" in verdict(open_ended, "OWNER-AND-DEADLINE").reason


# ── applicability ──
def test_items_not_in_force_are_not_applicable():
    text = "機關對外提供之文件應包含 ODF 格式。"
    assert verdict(plan_of(text, roc_year=102, framework="F1"), "ODF-DOCUMENTS").status == "not_applicable"
    assert verdict(plan_of(text, roc_year=105, framework="F1"), "ODF-DOCUMENTS").status == "present"
    assert verdict(plan_of("辦理內部同仁滿意度調查。", roc_year=104, framework="F1"), "STAFF-SATISFACTION").status == "not_applicable"
    assert verdict(plan_of("民眾參與", roc_year=105, framework="F1"), "OPEN-PARTICIPATION").status == "not_applicable"
    assert verdict(plan_of("依政府資訊公開法主動公開。", roc_year=95, framework="F0"), "PROACTIVE-DISCLOSURE").status == "present"
    assert verdict(plan_of("單一窗口", roc_year=95, framework="F0"), "SINGLE-WINDOW").status == "not_applicable"
