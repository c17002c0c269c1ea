### The admin's accounts page (/admin/agents) and its script (assets/accounts.js).

accounts-title = 계정 관리
# Where the page is; $site is the site's name.
accounts-crumb = { $site } · 서비스설정 › 계정
accounts-lead = 상담원과 매니저의 계정을 만듭니다.
accounts-roles-note = 상담원은 대기 중인 상담과 자기가 맡은 상담을 봅니다. 매니저는 사이트의 모든 상담을 보고, 그룹에 속한 매니저는 대기열과 그 그룹의 계정과 상담만 봅니다. 비밀번호는 만들 때 한 번만 보여 주고, 서버에는 해시만 남습니다.
accounts-list = 계정
accounts-table = 계정 표
accounts-login = 로그인 ID
accounts-name = 이름
accounts-role = 역할
accounts-add = 계정 추가
accounts-name-label = 이름 (상담 화면에 보이는 이름)
accounts-api-token-option = API 토큰도 발급 (연동과 도구용)
accounts-create = 계정 만들기
accounts-password = 비밀번호
accounts-api-token = API 토큰
accounts-forbidden = 계정 관리는 사이트 관리자만 할 수 있습니다.

## Said by the script.

accounts-status-created = 계정을 만들었습니다. 비밀번호는 지금 한 번만 보입니다: 본인에게 안전하게 전달하세요.
accounts-status-saving = 만드는 중…
accounts-status-login-again = 로그인이 만료되었습니다. 다시 로그인해 주세요.
accounts-status-not-allowed = 사이트 관리자만 계정을 추가할 수 있습니다.
# $reason is the server's answer.
accounts-status-failed = 만들지 못했습니다: { $reason }

## Beside a refused field.

accounts-err-taken = 이미 쓰이는 로그인 ID입니다.
accounts-err-login = 로그인 ID는 3~{ $max-login }자의 영문, 숫자, . _ - @ 로 쓰고 영문이나 숫자로 시작합니다.
accounts-err-display_name = 이름은 1~{ $max-name }자로 적어 주세요.
accounts-err-role = 역할은 상담원이나 매니저입니다.

## Distribution to agents (상담 배분): the site's mode and timers, and each account's limit, channels and categories.

accounts-dist-title = 상담 배분
accounts-dist-lead = 새 상담이 상담원에게 가는 방식을 정합니다. 자동 배분으로 바꾸면 대기 중인 상담부터 바로 배분합니다.
accounts-dist-mode = 배분 방식
accounts-dist-manual = 수동
accounts-dist-manual-help = 모든 상담이 대기열에 들어가고, 상담원이 직접 가져갑니다.
accounts-dist-hybrid = 혼합
accounts-dist-hybrid-help = 진행 중인 상담이 가장 적은 온라인 상담원에게 자동 배정하고, 대기열에서 직접 가져갈 수도 있습니다.
accounts-dist-least_open = 적은 순
accounts-dist-least_open-help = 진행 중인 상담이 가장 적은 온라인 상담원에게 자동 배정합니다.
accounts-dist-round_robin = 차례대로
accounts-dist-round_robin-help = 온라인 상담원에게 돌아가며 배정합니다 (가장 오래전에 받은 상담원부터).
accounts-dist-by_category = 카테고리별
accounts-dist-by_category-help = 상담의 카테고리를 맡은 상담원에게만 배정합니다.
accounts-dist-by_channel = 채널별
accounts-dist-by_channel-help = 상담이 들어온 채널을 맡은 상담원에게만 배정합니다.
accounts-dist-prefer-last = 다시 찾은 고객은 지난번 상담원에게 (그 상담원에게 여유가 있을 때)
accounts-dist-offline-after = 콘솔이 닫힌 뒤 오프라인으로 보기까지 (분)
accounts-dist-offline-help = 상담원의 콘솔이 모두 닫힌 채 이 시간이 지나면 오프라인으로 보고 배분하지 않습니다. 1~{ $max-offline }분.
accounts-dist-reclaim = 답하지 않은 상담 회수
accounts-dist-reclaim-minutes = 회수까지 (분)
accounts-dist-reclaim-help = 배정된 상담원이 이 시간 안에 답하지 않으면 상담을 다시 배분하고 기록에 남깁니다. 끄면 회수하지 않습니다. 1~{ $max-reclaim }분.
accounts-dist-save = 배분 설정 저장
accounts-dist-status-saving = 저장하는 중…
accounts-dist-status-saved = 배분 설정을 저장했습니다.
# $reason is the server's answer.
accounts-dist-status-failed = 저장하지 못했습니다: { $reason }
accounts-dist-err-mode = 배분 방식을 골라 주세요.
accounts-dist-err-offline_after_minutes = 1~{ $max-offline } 사이의 정수(분)로 적어 주세요.
accounts-dist-err-reclaim_after_minutes = 1~{ $max-reclaim } 사이의 정수(분)로 적어 주세요.
accounts-routing-max = 동시 상담 한도
accounts-routing-channels = 맡는 채널
accounts-routing-categories = 맡는 카테고리
accounts-routing-help = 동시 상담 한도는 1~{ $max-open }건입니다. 맡는 채널은 '채널별' 배분에, 맡는 카테고리는 '카테고리별' 배분에 쓰이며, 하나도 고르지 않으면 모든 채널, 모든 카테고리를 맡습니다. 카테고리는 '파라미터 관리'의 '상담 분류'에서 만듭니다.
# A category switched off that the account still serves.
accounts-routing-category-unused = { $name } (사용 안 함)
accounts-routing-categories-none = 사용 중인 카테고리가 없습니다.
accounts-routing-categories-unread = 카테고리를 읽지 못했습니다.
# $name is the account's name (for screen readers, one label per row).
accounts-routing-max-for = { $name }의 동시 상담 한도
accounts-routing-save = 저장
accounts-routing-save-for = { $name }의 배분 설정 저장
accounts-routing-status-saved = 저장했습니다.
accounts-routing-status-failed = 저장하지 못했습니다: { $reason }
accounts-routing-err-max_concurrent = 1~{ $max-open } 사이의 정수로 적어 주세요.
accounts-routing-err-serves_channels = 알 수 없는 채널입니다.
accounts-routing-err-serves_categories = 그사이 바뀐 카테고리가 있습니다. 페이지를 새로 고친 뒤 다시 골라 주세요.
accounts-dist-limit = 대기 인원 제한
accounts-dist-limit-count = 최대 대기 인원
accounts-dist-limit-help = 대기열이 이만큼 차 있으면 새 상담은 받지 않고, 고객에게 '상담 요청 많음' 자동 메시지를 보낸 뒤 바로 종료합니다(종료 유형: 대기 초과). 끄면 제한하지 않습니다. 1~{ $max-queue }명.
accounts-dist-err-max_waiting = 1~{ $max-queue } 사이의 정수로 적어 주세요.

## Changing an account (the dialog of a row's "manage" button).

accounts-manage = 관리
accounts-manage-open = 관리
# $name is the account's name (for screen readers, one label per row).
accounts-manage-for = { $name } 계정 관리
accounts-manage-title = { $name } 계정 관리
accounts-manage-name = 표시 이름
accounts-manage-role-help = 역할을 바꾸면 그 사람의 열린 상담 화면이 바로 새로 고쳐집니다.
accounts-manage-save = 이름과 역할 저장
accounts-manage-saved = 저장했습니다.
# $reason is the server's answer.
accounts-manage-failed = 처리하지 못했습니다: { $reason }
accounts-reset-help = 비밀번호를 잊은 사람에게 새 비밀번호를 만들어 줍니다. 그 계정의 모든 로그인이 바로 끝납니다.
accounts-reset = 새 비밀번호 만들기
accounts-reset-done = 새 비밀번호입니다. 지금 한 번만 보이니 본인에게 안전하게 전달하세요.
accounts-reset-status = 비밀번호를 바꿨습니다. 그 계정의 로그인은 모두 끝났습니다.
accounts-standing = 계정 사용
accounts-deactivate = 비활성화
accounts-deactivate-help = 비활성화하면 로그인할 수 없고, 열린 상담 화면과 API 토큰이 바로 끊기며, 맡고 있던 진행 중 상담은 대기열로 돌아갑니다. 지난 상담 기록은 그대로 남습니다.
accounts-deactivate-yes = 네, 비활성화합니다
accounts-deactivate-confirm = 이 계정을 비활성화할까요?
accounts-reactivate = 다시 활성화
accounts-reactivate-help = 비활성화된 계정입니다. 다시 활성화하면 전에 쓰던 비밀번호로 로그인할 수 있습니다 (API 토큰은 다시 발급해야 합니다).
accounts-deactivated = 비활성
accounts-deactivated-status = 비활성화했습니다. 로그인과 상담 화면이 끊겼고, 진행 중이던 상담은 대기열로 돌아갔습니다.
accounts-reactivated-status = 다시 활성화했습니다.
accounts-cancel = 취소
accounts-close = 닫기

## Groups (teams): the page's section, the table's column and the dialog's choice.

accounts-manage-group-title = 그룹
accounts-manage-group-lead = 상담원과 매니저를 팀으로 묶습니다. 그룹에 속한 매니저는 대기열과 그 그룹의 계정과 상담만 보고, 그룹이 없는 매니저는 사이트 전체를 봅니다. 그룹을 지워도 계정은 그대로 남습니다(그룹 없음).
accounts-manage-group-name = 그룹 이름
accounts-manage-group-count = 인원
accounts-manage-group-empty = 아직 그룹이 없습니다.
accounts-manage-group-new = 새 그룹 이름
accounts-manage-group-add = 그룹 추가
accounts-manage-group-column = 그룹
accounts-manage-group-label = 그룹
accounts-manage-group-help = 그룹을 바꾸면 이 사람과, 떠나는 그룹과 들어가는 그룹 매니저의 열린 상담 화면이 바로 새로 고쳐집니다.
accounts-manage-group-save = 그룹 저장
accounts-manage-group-none = 그룹 없음
# $count: how many accounts are in the group.
accounts-manage-group-members = { $count }명
# $name is the group's name (for screen readers, one label per row).
accounts-manage-group-name-for = { $name } 그룹 이름
accounts-manage-group-rename = 이름 저장
accounts-manage-group-rename-for = { $name } 그룹 이름 저장
accounts-manage-group-delete = 삭제
accounts-manage-group-delete-for = { $name } 그룹 삭제
accounts-manage-group-delete-confirm = { $name } 그룹을 삭제할까요? 소속 계정 { $count }명은 그룹 없이 남습니다.
accounts-manage-group-delete-yes = 네, 삭제합니다
accounts-manage-group-cancel = 취소
accounts-manage-group-created = { $name } 그룹을 만들었습니다.
accounts-manage-group-renamed = 그룹 이름을 { $name }(으)로 바꿨습니다.
accounts-manage-group-deleted = { $name } 그룹을 삭제했습니다. 소속 계정은 그룹 없이 남았습니다.
accounts-manage-group-saved = 그룹을 바꿨습니다.
# $reason is the server's answer.
accounts-manage-group-failed = 처리하지 못했습니다: { $reason }
accounts-manage-group-unread = 그룹을 읽지 못했습니다: { $reason }
accounts-manage-group-err-name = 그룹 이름을 적어 주세요. 너무 길거나 줄바꿈 같은 제어 문자가 든 이름은 쓸 수 없습니다.
accounts-manage-group-err-taken = 이미 있는 그룹 이름입니다.
accounts-manage-group-err-gone = 그 사이 삭제된 그룹입니다. 다시 골라 주세요.
