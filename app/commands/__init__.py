"""`flask --app app …` commands that belong to one area (the edge, like app/api and
app/web): they parse arguments, call the area's services and turn a refusal into one
line on standard error and exit code 2 (app/edge/errors.py)."""
