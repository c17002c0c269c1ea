### The report dashboard (/reports/dashboard, assets/dashboard.js): charts of the report's
### filter. The filter's own words are the report page's (`report-`).

dashboard-title = 상담 대시보드
# $site is the site's name.
dashboard-crumb = { $site } · 보고서
dashboard-lead = 조건에 맞는 상담의 날짜별·채널별 유입, 대기 시간과 첫 응답 시간(중앙값과 90백분위), 카테고리·상담원·만족도별 건수를 보여 줍니다.
dashboard-forbidden = 상담 대시보드는 매니저와 사이트 관리자만 볼 수 있습니다.

dashboard-summary = 요약
dashboard-total = 전체 상담
dashboard-waiting-median = 대기 시간 중앙값
dashboard-waiting-p90 = 대기 시간 90백분위
dashboard-first-median = 첫 응답 시간 중앙값
dashboard-first-p90 = 첫 응답 시간 90백분위
# $count is how many consultations the figure is worked out from.
dashboard-based-on = { $count }건 기준
dashboard-status-loading = 대시보드를 불러오는 중…
# $reason is the server's answer, in words.
dashboard-status-failed = 대시보드를 불러오지 못했습니다: { $reason }
dashboard-empty = 이 조건에 맞는 상담이 없습니다. 기간이나 조건을 바꿔 보세요.

dashboard-inflow-title = 일별 유입 (채널별)
dashboard-inflow-hint = 그날 생성된 상담 수를 채널별로 셉니다.
dashboard-waiting-title = 일별 대기 시간
dashboard-waiting-hint = 상담이 생성된 뒤 상담원이 가져가기까지 걸린 시간입니다. 가져가지 않은 상담은 빠집니다.
dashboard-first-title = 일별 첫 응답 시간
dashboard-first-hint = 상담이 생성된 뒤 첫 답변까지 걸린 시간입니다. 답변하지 않은 상담은 빠집니다.
dashboard-categories-title = 카테고리별 상담
dashboard-agents-title = 상담원별 상담
dashboard-scores-title = 만족도
dashboard-as-table = 표로 보기
# Read aloud for a chart (its numbers are in the table below it).
dashboard-chart-label = { $title } 그래프 (수치는 아래 표에 있습니다)

dashboard-col-date = 날짜
dashboard-col-total = 합계
dashboard-col-median = 중앙값
dashboard-col-p90 = 90백분위
dashboard-col-count = 건수
dashboard-col-values = 대상 상담
dashboard-col-category = 카테고리
dashboard-col-agent = 상담원
dashboard-col-score = 점수
dashboard-col-share = 비율
dashboard-unclassified = 미분류
dashboard-nobody = 가져간 상담원 없음
dashboard-unrated = 평가 안 함

# An id whose name is gone.
dashboard-category-id = 카테고리 #{ $id }
dashboard-agent-id = 상담원 #{ $id }
# $n is a share in percent.
dashboard-percent = { $n }%

## Durations.
dashboard-dur-s = { $s }초
dashboard-dur-ms = { $m }분 { $s }초
dashboard-dur-hm = { $h }시간 { $m }분
## The unit of a chart's time axis.
dashboard-axis-seconds = 초
dashboard-axis-minutes = 분
dashboard-axis-hours = 시간
dashboard-axis-count = 건
