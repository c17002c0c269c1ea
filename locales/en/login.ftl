### The agents' login page (/login).

login-title = Log in
login-heading = Agent login
login-login = Login
login-password = Password
login-submit = Log in

login-error-unreadable = The login form could not be read. Please try again.
login-error-empty = Enter both your login and your password.
login-error-wrong = The login or the password is wrong.
login-error-deactivated = This account has been deactivated. Ask your admin if you need it again.
login-error-throttled = Too many failed logins. Try again in { $seconds } seconds; if you have forgotten your password, ask your admin for a new one.
