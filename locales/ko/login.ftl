### The agents' login page (/login).

login-title = 로그인
login-heading = 상담원 로그인
login-login = 아이디
login-password = 비밀번호
login-submit = 로그인

login-error-unreadable = 로그인 정보를 읽을 수 없습니다. 다시 입력해 주세요.
login-error-empty = 아이디와 비밀번호를 모두 입력해 주세요.
login-error-wrong = 아이디 또는 비밀번호가 틀렸습니다.
login-error-deactivated = 비활성화된 계정입니다. 다시 써야 한다면 관리자에게 요청하세요.
login-error-throttled = 로그인 실패가 너무 많습니다. { $seconds }초 후에 다시 시도하세요. 비밀번호가 기억나지 않으면 관리자에게 새 비밀번호를 요청하세요.
