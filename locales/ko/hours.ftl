### Business hours and automatic messages: the admin page (/admin/hours, assets/hours.js).

hours-title = 운영 시간 · 자동 메시지
# $site is the site's name.
hours-crumb = { $site } · 관리
hours-lead = 상담을 받는 시간과 휴일, 그리고 고객에게 자동으로 보내는 메시지를 정합니다. 운영 시간 밖에는 상담이 상담원에게 배분되지 않습니다.
hours-forbidden = 운영 시간과 자동 메시지는 사이트 관리자만 바꿀 수 있습니다.

hours-schedule-title = 운영 시간
hours-time-zone = 시간대
hours-time-zone-help = IANA 시간대 이름입니다(예: Asia/Seoul).
hours-day-weekdays = 평일(월–금)
hours-day-saturday = 토요일
hours-day-sunday = 일요일
hours-kind-off = 휴무
hours-kind-all_day = 24시간
hours-kind-ranges = 시간 지정
hours-add-range = 시간 추가
hours-ranges-help = 끝 시각이 시작 시각과 같거나 이르면 다음 날까지 이어집니다(예: 22:00–02:00). 한 요일의 시간들은 겹칠 수 없습니다.
hours-holidays = 휴일
hours-holidays-help = 등록한 날짜에는 요일의 시간 대신 그날의 설정(하루 휴무 또는 변경된 시간)이 쓰입니다.
hours-holidays-empty = 등록한 휴일이 없습니다.
hours-holiday-date = 날짜
hours-holiday-name = 이름
hours-holiday-add = 휴일 추가
hours-holiday-no-date = 날짜를 고르세요.
hours-holiday-whole-day = 하루 휴무
hours-holiday-changed = 시간 변경
# $day is the holiday's date and name.
hours-holiday-kind-label = { $day }의 운영
hours-holiday-remove = 삭제
hours-holiday-remove-label = { $day } 삭제
hours-range-from = 시작
hours-range-to = 끝
# $day is the day's name, $n the range's number.
hours-range-from-label = { $day } { $n }번째 시간의 시작
hours-range-to-label = { $day } { $n }번째 시간의 끝
hours-range-remove = 삭제
hours-range-remove-label = { $day } { $n }번째 시간 삭제
hours-queue-off-hours = 운영 시간 밖의 문의도 대기열에 받기
hours-queue-off-hours-help = 켜 두면 운영 시간 밖에 온 상담이 대기열에서 기다렸다가 운영 시간이 되면 배분됩니다. 끄면 고객에게 운영 시간 안내만 보내고 상담을 바로 종료합니다.
hours-save = 운영 시간 저장

hours-import-title = 휴일 가져오기(.ics)
hours-import-lead = 공휴일 달력 같은 iCalendar 파일에서 하루 종일인 일정을 휴일로 가져옵니다. 이미 등록한 날짜는 그대로 둡니다.
hours-import-file = iCalendar 파일
hours-import-submit = 가져오기
hours-import-no-file = 파일을 고르세요.
# $count is how many holidays were added.
hours-import-added = 휴일 { $count }일을 추가했습니다.
# $dates are the dates, separated by commas.
hours-import-kept = 이미 등록된 날짜(그대로 둠): { $dates }
hours-import-skipped-title = 가져오지 않은 일정
hours-import-skip-timed = 시각이 있는 일정이라 하루 휴무가 아닙니다.
hours-import-skip-recurring = 반복 일정입니다. 날짜가 적힌 일정만 가져옵니다.
hours-import-skip-cancelled = 취소된 일정입니다.
hours-import-skip-observance = 기념일이라 쉬는 날이 아닙니다.
hours-import-skip-too_long = 휴일로 보기에는 너무 깁니다.
hours-import-skip-bad_dates = 날짜를 읽을 수 없습니다.

hours-messages-title = 자동 메시지
hours-messages-lead = 상담원 대신 상담 시스템이 고객에게 보내는 메시지입니다. 변수는 대괄호로 씁니다(예: [counselor_name]).
hours-messages-save = 자동 메시지 저장
hours-msg-enabled = 보내기
hours-msg-text = 내용
# $vars are the variables, in brackets.
hours-msg-variables = 쓸 수 있는 변수: { $vars }
hours-msg-greeting = 인사
hours-msg-greeting-help = 상담원에게 상담이 배정되었을 때 보냅니다.
hours-msg-off_hours = 운영 시간 외 안내
hours-msg-off_hours-help = 운영 시간 밖에 상담이 시작되었을 때 보냅니다. [next_opening]은 다음 운영 시작 시각입니다(예: 내일 오전 9시부터).
hours-msg-busy = 상담 지연 안내
hours-msg-busy-help = 상담원이 모두 상담 중이라 상담이 대기열에서 기다릴 때 보냅니다.
hours-msg-unavailable = 상담원 부재 안내
hours-msg-unavailable-help = 운영 시간인데 상담을 받는 상담원이 없어 상담이 대기열에서 기다릴 때 보냅니다.
hours-msg-queue_position = 대기 순번 안내
hours-msg-queue_position-help = 카카오톡·네이버 톡톡 고객이 대기할 때 순번이 바뀌면 보냅니다(웹 채팅 창은 순번을 화면에 보여 줍니다). [wait_minutes]가 있는 줄은 예상 대기 시간을 알 수 있을 때만 보냅니다.
hours-msg-desk_closing = 운영 종료 안내
hours-msg-desk_closing-help = 운영 시간이 끝날 때 대기 중인 고객에게 보냅니다. [next_opening]은 다음 운영 시작 시각입니다.
hours-msg-closed = 상담 종료 안내
hours-msg-closed-help = 상담원이나 고객이 상담을 종료했을 때 보냅니다(자동 종료에는 자동 종료 안내를 보냅니다).
hours-msg-auto_close_warning = 자동 종료 예고
hours-msg-auto_close_warning-help = 자동 종료 전에 예고할 때 보냅니다(아래 자동 종료 설정에서 예고를 켠 경우). [minutes]는 종료까지 남은 분입니다.
hours-msg-auto_closed = 자동 종료 안내
hours-msg-auto_closed-help = 답변이 없어 상담이 자동으로 종료될 때 보냅니다. [minutes]는 기다린 분입니다.
hours-msg-over_capacity = 상담 요청 많음 안내
hours-msg-over_capacity-help = 대기열이 계정 관리의 '최대 대기 인원'만큼 차 있어 새 상담을 받지 않을 때 보냅니다. 상담은 바로 종료됩니다(종료 유형: 대기 초과).
hours-msg-blocked = 차단 고객 안내
hours-msg-blocked-help = 등급이 '차단'인 고객이 상담을 시작하면 보냅니다. 상담은 기록되고 상담원에게 가지 않은 채 바로 종료됩니다(종료 유형: 차단).

hours-close-title = 자동 종료
hours-close-lead = 진행 중인 상담에 답변이 없으면 정한 시간 뒤에 상담을 스스로 종료합니다(종료 유형: 자동 종료). 상담원이 보류한 상담은 종료하지 않습니다.
hours-close-customer = 고객 무응답 시 자동 종료
hours-close-customer-help = 상담원의 마지막 메시지에 고객이 답하지 않으면 종료합니다.
hours-close-agent = 상담원 무응답 시 자동 종료
hours-close-agent-help = 고객의 마지막 메시지에 상담원이 답하지 않으면 종료합니다. 대기 중에 쓴 메시지는 배정된 때부터 셉니다.
hours-close-warning = 종료 전 예고
hours-close-warning-help = 종료하기 전에 고객에게 자동 종료 예고 메시지를 보냅니다.
hours-close-minutes-label = 분
hours-close-save = 자동 종료 저장
hours-close-never-saved = 아직 저장하지 않아 기본값(고객 무응답 30분)으로 종료합니다.

hours-status-saving = 저장하는 중…
hours-status-saved = 저장했습니다.
hours-status-imported = 가져와서 저장했습니다.
hours-status-refused = 저장하지 않았습니다. 표시된 항목을 고쳐 주세요.
hours-status-never-saved = 아직 운영 시간을 저장하지 않아 24시간 상담을 받습니다.
hours-status-login-again = 다시 로그인해 주세요.
hours-status-not-allowed = 사이트 관리자만 바꿀 수 있습니다.
# $reason is the server's sentence.
hours-status-failed = 실패했습니다: { $reason }

hours-err-unknown_time_zone = 알 수 없는 시간대입니다. Asia/Seoul 같은 이름을 쓰세요.
hours-err-invalid_time = 시각은 00:00부터 23:59까지입니다.
hours-err-no_ranges = 시간을 하나 이상 넣거나 휴무로 하세요.
# $max-ranges is the most ranges a day holds.
hours-err-too_many_ranges = 하루에 시간은 { $max-ranges }개까지입니다.
hours-err-overlapping_ranges = 시간이 서로 겹칩니다(자정을 넘는 시간은 다음 날 아침까지 셉니다).
hours-err-too_many_holidays = 휴일이 너무 많습니다.
hours-err-duplicate_holiday = 이미 등록한 날짜입니다.
# $max-name is the longest holiday name.
hours-err-holiday_name_too_long = 휴일 이름은 { $max-name }자까지입니다.
hours-err-invalid_holiday_name = 휴일 이름에 쓸 수 없는 문자가 있습니다.
# $values are the variables, in brackets.
hours-err-unknown_variables = 이 메시지에 쓸 수 없는 변수입니다: { $values }
# $max-chars is the longest message.
hours-err-message_too_long = 메시지는 { $max-chars }자까지입니다.
hours-err-message_required = 보내는 메시지에는 내용이 있어야 합니다.
hours-err-invalid_message = 메시지에 쓸 수 없는 제어 문자가 있습니다.
hours-close-minutes-required = 1분 이상으로 정하세요.
hours-close-err-warning = 예고는 켜 둔 자동 종료 시간보다 짧아야 하고, 자동 종료를 하나 이상 켜야 합니다.
# $max is the longest wait, in minutes.
hours-close-err-range = 1분부터 { $max }분(7일)까지 정할 수 있습니다.
