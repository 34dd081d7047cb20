"""Grading learners' katas: `make grade`, `make grade-all`, and the autograders of the platforms courses run on.

    model.py        what a grading finds: limits, each kata's specs, a learner's grade
    intake.py       what comes in from a submission: regular files only, within caps
    integrity.py    the static screen of every Python file a kata can import: tampering flags and notes
    file_screen.py  what the screen flags in one parsed file: its tables and its visitor
    review.py       a kata with a tampering flag is held for review, until the instructor releases it
    supervise.py    one kata process, watched: time limits, deaths, output limits
    restarts.py     every spec of a kata, a new process after each death
    verdicts.py     what each kind of outcome tells the learner
    submissions.py  which katas/ a submission holds; grading one learner or a class
    reports.py      results.json (Gradescope), junit.xml, gradebook.csv, the terminal table
    class_report/   class.html and steps.csv: the whole class at a glance (`make grade-all`)
    cli.py          `python -m katakit.grade`
    platforms/      Classroom 50's and PrairieLearn's files, from a grading (`make classroom50`, `make prairielearn`)
"""
