### Reports: the consultation history (/reports) and its downloads (.xlsx, CSV, `sangdam export`).

## Column headings, by column key (`report-col-` and the key with `-` for `_`).
report-col-consultation-id = 상담 번호
report-col-room-id = 채팅방 번호
report-col-customer-key = 고객 키
report-col-channel = 채널
report-col-state = 상태
report-col-state-code = 상태 코드
report-col-end-type = 종료 유형
report-col-category-id = 카테고리 번호
report-col-category-name = 카테고리
report-col-division-id = 구분 번호
report-col-division-name = 구분
report-col-agent-id = 상담원 번호
report-col-agent-name = 상담원
report-col-created-at = 생성 시각
report-col-assigned-at = 배정 시각
report-col-first-response-at = 첫 응답 시각
report-col-closed-at = 종료 시각
report-col-first-response-seconds = 첫 응답까지(초)
report-col-message-count = 메시지 수
report-col-site-uid = 회원 ID
report-col-cus-extra-username = 이름
report-col-cus-extra-phone = 전화
report-col-cus-extra-email = 이메일
report-col-user-parameter = user_parameter
report-col-tags = 태그
report-col-rating = 만족도
report-col-rating-comment = 만족도 의견

## The page (/reports, assets/reports.js).
report-title = 상담 내역
# $site is the site's name.
report-crumb = { $site } · 보고서
report-lead = 조건에 맞는 상담을 최근 것부터 보여 주고, 같은 조건으로 Excel·CSV 파일을 만듭니다.
report-forbidden = 상담 내역은 매니저와 사이트 관리자만 볼 수 있습니다.

report-filters = 조건
report-period = 기간 (생성일)
report-from = 시작일
report-to = 종료일
report-channels = 채널
report-states = 상태
report-end-types = 종료 유형
report-end-agent = 상담원 종료
report-end-customer = 고객 종료
report-end-manager = 매니저 종료
report-end-auto_close = 자동 종료
report-end-off_hours = 운영 시간 외 종료
report-end-over_capacity = 대기 인원 초과 종료
report-end-blocked = 차단 고객 종료
report-agent = 상담원
report-any-agent = 모든 상담원
report-category = 카테고리
report-any-category = 모든 카테고리
report-division = 구분
report-any-division = 모든 구분
report-rating = 만족도 평가
report-rating-any = 전체
report-rating-rated = 평가함
report-rating-unrated = 평가 안 함
report-scores = 만족도 점수
# $score is 1 to 5.
report-score = { $score }점
report-params = 파라미터 조건
# $max is how many conditions a filter may have, $chars how long a value may be.
report-params-hint = 모든 조건을 만족하는 상담만 보여 줍니다. 조건은 { $max }개까지, 값은 { $chars }자까지입니다.
report-param-add = 조건 추가
# The controls of condition number $n.
report-param-name = 조건 { $n } 파라미터
report-param-match = 조건 { $n } 비교 방식
report-param-value = 조건 { $n } 값
report-param-remove = 조건 { $n } 삭제
report-param-remove-short = 삭제
report-match-exact = 일치
report-match-contains = 포함
# $max is how many conditions a filter may have.
report-param-limit = 조건은 { $max }개까지입니다.
report-search = 검색
report-reset = 조건 초기화

report-result = 결과
report-counters = 집계
report-counter-total = 전체
report-counter-closed_by_agent = 상담원 종료
report-counter-closed_by_customer = 고객 종료
report-counter-auto_closed = 자동 종료
report-counter-still_open = 진행 중
report-columns = 표시할 열
report-columns-saved = 표시할 열을 저장했습니다.
report-columns-at-least-one = 열을 하나 이상 골라야 합니다.
# $reason is the server's answer, in words.
report-columns-failed = 표시할 열을 저장하지 못했습니다: { $reason }
report-more = 더 보기
report-status-loading = 상담 내역을 불러오는 중…
report-status-empty = 조건에 맞는 상담이 없습니다.
report-status-failed = 상담 내역을 불러오지 못했습니다: { $reason }
report-status-check = 조건을 확인하세요.
report-status-login-again = 로그인이 끝났습니다. 다시 로그인하세요.
report-status-choices-failed = 상담원·카테고리 목록을 불러오지 못했습니다: { $reason }
# $total is how many consultations the filter holds, $shown how many the table shows.
report-count = { $total }건 중 { $shown }건 표시

report-err-from = 올바른 날짜가 아닙니다.
report-err-to = 기간의 종료일이 시작일보다 앞섭니다.
report-err-scores = 점수는 1점부터 5점까지입니다.
report-err-params = 파라미터 조건을 확인하세요. 사용 중인 파라미터와 값이 있는 조건만 쓸 수 있습니다.
report-err-param-value = 값을 입력하세요.

report-downloads = 다운로드
report-downloads-hint = 지금 조건의 상담 전체가 모든 열과 함께 파일로 만들어집니다. 만드는 동안 다른 작업을 해도 됩니다.
report-export-xlsx = Excel(.xlsx) 다운로드
report-export-csv = CSV 다운로드
report-export-progress = 진행
# $done rows written of $total.
report-export-count = { $done } / { $total }
report-export-cancel = 취소
report-export-state-queued = 대기 중입니다.
report-export-state-running = 파일을 만드는 중입니다.
report-export-state-done = 파일이 준비되었습니다.
report-export-state-failed = 파일을 만들지 못했습니다.
report-export-state-cancelled = 취소했습니다.
report-export-state-expired = 보관 기간이 지나 파일이 삭제되었습니다.
# $reason is why it failed, $state the state in words.
report-export-failed-reason = { $state } ({ $reason })
# $format is the file's kind (Excel, CSV), $size its size.
report-export-download = { $format } 파일 받기 ({ $size })
# $reason is the server's answer, in words.
report-export-start-failed = 다운로드를 시작하지 못했습니다: { $reason }
report-format-xlsx = Excel
report-format-csv = CSV
report-exports-recent = 최근 다운로드
report-exports-col-at = 요청 시각
report-exports-col-format = 형식
report-exports-col-state = 상태
report-exports-col-rows = 행
report-exports-col-file = 파일
report-exports-none = 아직 만든 파일이 없습니다.
report-exports-file = 받기 ({ $size })
