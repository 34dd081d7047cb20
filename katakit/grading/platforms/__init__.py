"""Where a course runs besides `make grade`: each platform's files, from one grading of a submission.

    common.py        grading one submission for a platform, as `make grade` does (the sandbox it can have)
    classroom50.py   Classroom 50's result.json and release-body.md (the bundle's autograder.py calls it)
    prairielearn.py  PrairieLearn's results.json (the grader image's entrypoint calls it)
    build.py         `make classroom50` (the autograder bundle) and `make prairielearn` (the course folder)

Gradescope's results.json is the grader's own report (katakit/grading/reports.py, `make autograder`).
"""
