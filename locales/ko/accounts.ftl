### The admin's accounts page (/admin/agents) and its script (assets/accounts.js).

accounts-title = 계정 관리
# Where the page is; $site is the site's name.
accounts-crumb = { $site } · 서비스설정 › 계정
accounts-lead = 상담원과 매니저의 계정을 만듭니다.
accounts-roles-note = 상담원은 대기 중인 상담과 자기가 맡은 상담을 봅니다. 매니저는 사이트의 모든 상담을 봅니다. 비밀번호는 만들 때 한 번만 보여 주고, 서버에는 해시만 남습니다.
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
