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
report-col-agent-id = 상담사 번호
report-col-agent-name = 상담사
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
