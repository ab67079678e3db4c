"""Setting up a congress: roster, attendance, contests and their candidates, users.

Functions here compute nothing about the election law themselves; they call
`app.rules` for that and keep the database and the audit log in step.
"""
