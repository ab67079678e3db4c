"""The edge: where HTTP and the command line meet the services.

Everything that knows about Flask, the request, HTTP statuses or exit codes lives in
app/api, app/web, app/cli.py and here; the services below (app/ballots, app/counting,
…) raise `app.errors.AppError` with a kind and never choose a status.
"""
