### Login sessions: one's own, and every account's for the admin (/account/sessions,
### assets/sessions.js).

sessions-title = 로그인 세션
# $site is the site's name, $name the account's.
sessions-crumb = { $site } · { $name }
sessions-lead = 이 계정으로 로그인해 있는 브라우저와 기기입니다. 모르는 기기가 있으면 그 세션을 종료하세요.
sessions-mine-title = 내 로그인 세션
sessions-mine-help = 최근에 사용한 순서입니다. 종료한 세션의 기기에서는 다시 로그인해야 하며, 그 기기에 열려 있던 상담 콘솔은 바로 닫힙니다.
sessions-everyone-title = 모든 계정의 세션
sessions-everyone-help = 사이트의 모든 계정이 로그인해 있는 세션입니다. 관리자는 어느 계정의 세션이든 종료할 수 있습니다.

sessions-col-account = 계정
sessions-col-device = 기기
sessions-col-address = 접속 주소
sessions-col-created = 로그인한 때
sessions-col-last-seen = 마지막 사용
sessions-col-actions = 작업

sessions-this-device = 이 기기
sessions-unknown-device = 알 수 없는 기기
sessions-end = 세션 종료
sessions-logout = 로그아웃
# $device is the browser and system ("Chrome · Windows"), $address where it logged in from.
sessions-end-label = { $device } ({ $address }) 세션 종료
# $name and $login are the account's name and login ID.
sessions-end-account-label = { $name } ({ $login }) 계정의 { $device } ({ $address }) 세션 종료
sessions-end-others = 다른 세션 모두 종료

sessions-confirm-end = { $device } ({ $address })의 세션을 종료할까요? 그 기기에서는 다시 로그인해야 합니다.
sessions-confirm-logout = 이 기기의 세션을 종료할까요? 바로 로그아웃됩니다.
sessions-confirm-end-account = { $name } ({ $login }) 계정의 { $device } ({ $address }) 세션을 종료할까요? 그 기기에서는 다시 로그인해야 합니다.
# $count is how many other sessions there are.
sessions-confirm-end-others = 이 기기를 뺀 다른 세션 { $count }개를 모두 종료할까요? 그 기기들에서는 다시 로그인해야 합니다.

sessions-status-loading = 세션을 불러오는 중…
# $count is how many sessions are listed.
sessions-status-count = 세션 { $count }개
sessions-status-empty = 로그인해 있는 세션이 없습니다.
sessions-status-ended = 세션을 종료했습니다.
sessions-status-logged-out = 로그아웃했습니다. 로그인 화면으로 이동합니다…
sessions-status-no-others = 종료할 다른 세션이 없습니다.
# $done is how many were ended so far, $total how many there are.
sessions-status-ending = 다른 세션을 종료하는 중… { $done }/{ $total }
sessions-status-ended-others = 다른 세션 { $total }개를 모두 종료했습니다.
# $reason is why the rest could not be ended.
sessions-status-ended-some = 다른 세션 { $total }개 중 { $done }개를 종료했습니다. 나머지는 종료하지 못했습니다: { $reason }
# $reason is the server's answer, in words.
sessions-status-failed = 세션을 종료하지 못했습니다: { $reason }
sessions-status-load-failed = 세션을 불러오지 못했습니다: { $reason }
sessions-status-login-again = 로그인이 끝났습니다. 다시 로그인하세요.

## One's own password.

sessions-password-title = 비밀번호 변경
sessions-password-help = 지금 비밀번호를 확인한 뒤 바꿉니다. 새 비밀번호는 { $min }자 이상입니다. 바꾸면 이 기기를 뺀 다른 세션은 모두 종료됩니다.
sessions-password-current = 지금 비밀번호
sessions-password-new = 새 비밀번호
sessions-password-repeat = 새 비밀번호 확인
sessions-password-save = 비밀번호 변경
sessions-password-saving = 바꾸는 중…
sessions-password-changed = 비밀번호를 바꿨습니다. 다른 기기의 세션은 모두 종료했습니다.
sessions-password-err-current = 지금 비밀번호를 입력해 주세요.
sessions-password-err-wrong = 지금 비밀번호가 맞지 않습니다.
sessions-password-err-new = 새 비밀번호는 { $min }자 이상으로, 공백만으로 만들 수 없습니다.
sessions-password-err-repeat = 새 비밀번호와 확인이 다릅니다.
# $reason is the server's answer.
sessions-password-failed = 바꾸지 못했습니다: { $reason }
