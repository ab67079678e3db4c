"""Batch reading of a stack of ballots scanned on the office copier (issue 13).

    sources   the pages of a multi-page PDF, a multi-page TIFF, a folder or a zip of images
    reading   one page: blank check, the photo reader (any way up), the drawn preview
    runner    every page of a file on a process pool, streamed into the staging tables
    staging   the staged batch and its pages (nothing counted)
    confirm   a teller's confirmation: through the tablets' own recording
    reports   the reject list and the tablets-versus-scanner cross-check
"""
