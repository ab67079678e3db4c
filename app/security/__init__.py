"""Accounts, tablet enrollment and session rules: who may sign in, for how long, and how a
tablet gets signed in as a teller without typing a password.

- `users`: the secretariat's account management (create, reset password, (de)activate).
- `enrollment`: one-time, short-lived QR tokens that sign a tablet in as a teller.
- `sessions`: the checks run before every request (deactivated user, idle or too old
  session, the route's required roles).
- `clock`: the one place that says what time it is here, so tests can move it.
"""
