### Shared by every page: the header, the language switch, roles, the navigation links.

# The brand as the header shows it.
brand = 상담 Sangdam
# The product's name after a page's title ("Log in · Sangdam").
brand-name = Sangdam
# This language's own name, shown in the language switch of every language.
language-name = English
# The label of the language switch (read by screen readers).
language-switch = Language

role-admin = Admin
role-manager = Manager
role-agent = Agent

nav-parameters = Parameters
nav-accounts = Accounts
nav-hours = Hours and messages
nav-business = Business verification
nav-audit = Audit log
nav-reports = Consultation history
nav-dashboard = Consultation dashboard
nav-sessions = Login sessions
nav-console = Console
nav-logout = Log out
