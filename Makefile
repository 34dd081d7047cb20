# keras-katas. Learners: `make test`. CI: `make check`. `make help` lists the rest.
# The kata list lives in curriculum.toml; every target reads it through katakit.

# Windows runs the katas in WSL 2 (README.md, "Windows"): make, fork and bubblewrap are POSIX/Linux.
ifeq ($(OS),Windows_NT)
$(error keras-katas runs inside WSL 2 on Windows, not from Git Bash, PowerShell or cmd: open your Ubuntu (WSL) terminal and run make there (README.md, "Windows"))
endif

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cksum < requirements.txt | cut -d' ' -f1)
NB_STAMP := $(VENV)/.notebook-installed-$(shell cksum < requirements-notebook.txt | cut -d' ' -f1)
GRADING_STAMP := $(VENV)/.grading-installed-$(shell cat requirements-grading.txt | cksum | cut -d' ' -f1)
DEV_STAMP := $(VENV)/.dev-installed-$(shell cat requirements-dev.txt requirements-grading.txt | cksum | cut -d' ' -f1)
PIP    := $(PY) -m pip install --quiet --disable-pip-version-check
KATA   ?=
# No backend variables here: every Python entry point sets them itself (katakit/env.py).

.PHONY: help test check progress hint reset compare watch

help:  ## list the targets
	@grep -E '^[a-z0-9-]+:.*## ' Makefile | sed 's/:.*## /\t/' | expand -t 13

# The venv is (re)built on first use and whenever requirements.txt changes, with a Python that TensorFlow
# has wheels for (katakit/python.sh: PYTHON if you set it, else python3, else python3.13/3.12/3.11).
$(STAMP): requirements.txt
	$(eval PICKED := $(shell sh katakit/python.sh "$(PYTHON)" "$(origin PYTHON)" "$(PY)"))
	$(if $(filter error:%,$(PICKED)),$(error $(patsubst error:%,%,$(PICKED))))
	@if [ -x $(PY) ]; then echo "updating $(VENV): requirements.txt changed..."; \
	 else echo "setting up $(VENV) (first run only: a few minutes)..."; fi
	@test -x $(PY) || $(PICKED) -m venv $(VENV)
	@$(PIP) --upgrade pip
	@$(PIP) -r requirements.txt
	@rm -f $(VENV)/.installed-* && touch $@

# Grading's and the contributor's tools, on top (requirements-grading.txt, requirements-dev.txt).
$(GRADING_STAMP): requirements-grading.txt | $(STAMP)
	@$(PIP) -r requirements-grading.txt
	@rm -f $(VENV)/.grading-installed-* && touch $@

$(DEV_STAMP): requirements-dev.txt requirements-grading.txt | $(STAMP)
	@echo "installing the contributor's tools into $(VENV) (requirements-dev.txt)..."
	@$(PIP) -r requirements-dev.txt
	@rm -f $(VENV)/.dev-installed-* && touch $@

test: $(STAMP)  ## run the specs against your katas (KATA=name for one; FRESH=1 reruns unchanged katas too)
	@$(PY) -m katakit test $(KATA) $(if $(FRESH),--fresh)

progress: $(STAMP)  ## every kata, done or pending, and the next one to work on
	@$(PY) -m katakit progress

hint: $(STAMP)  ## the next hint for your first failing step (KATA=name, default: the next kata)
	@$(PY) -m katakit hint $(KATA)

reset: $(STAMP)  ## restore a kata's untouched stub, backing up yours (KATA=name)
	@$(PY) -m katakit reset $(KATA)

compare: $(STAMP)  ## once a kata is solved, diff it against the reference (KATA=name)
	@$(PY) -m katakit compare $(KATA)

watch: $(STAMP)  ## rerun a kata's specs on every save, on the warm runner (KATA=name, default: the next kata)
	@$(PY) -m katakit watch $(KATA)

check: $(STAMP) $(DEV_STAMP) $(NB_STAMP)  ## CI: references pass, stubs fail, isolation, surface, lint (KATA=name: that kata and its variants; COLD=1: no warm runner; LEARNER_SIDE=1: no sandbox tests)
	@$(PY) -m katakit check $(KATA) $(if $(COLD),--cold) $(if $(LEARNER_SIDE),--learner-side)

# Katas as notebooks: JupyterLab with Jupytext opens katas/<kata>/<kata>.py as a notebook and saves
# back to it (katakit/notebook.py). Its requirements install on first use, and for `make check`.
.PHONY: notebook

$(NB_STAMP): requirements-notebook.txt | $(STAMP)
	@echo "installing JupyterLab and Jupytext into $(VENV) (first run only: about 15 s)..."
	@$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-notebook.txt
	@rm -f $(VENV)/.notebook-installed-* && touch $@

notebook: $(STAMP) $(NB_STAMP)  ## the katas as notebooks in JupyterLab (KATA=name opens one); Ctrl-C stops it
	@$(PY) -m katakit.notebook $(KATA)

# Instructors: grade a learner's katas, or a whole class, with katakit/grading/ (reports in results/).
# GRADE_FLAGS passes more options to the grader, e.g. GRADE_FLAGS=--no-sandbox.
SUBMISSION ?= .
DIR        ?=
.PHONY: grade grade-all

grade: $(STAMP) $(GRADING_STAMP)  ## instructors: grade katas/ (or SUBMISSION=DIR's katas/) into results/
	@$(PY) -m katakit.grade --submission "$(SUBMISSION)" --out results $(if $(KATA),--kata $(KATA)) $(GRADE_FLAGS)

grade-all: $(STAMP) $(GRADING_STAMP)  ## instructors: grade every learner folder in DIR=... into results/gradebook.csv
	@test -n "$(DIR)" || { echo "usage: make grade-all DIR=<folder with one folder per learner>"; exit 2; }
	@$(PY) -m katakit.grade --all "$(DIR)" --out results $(if $(KATA),--kata $(KATA)) $(GRADE_FLAGS)

.PHONY: autograder classroom50 prairielearn
autograder: $(STAMP)  ## instructors: build autograder.zip for Gradescope (no reference solutions inside)
	@$(PY) -m katakit.grading.package autograder.zip

classroom50: $(STAMP)  ## instructors: build classroom50/, the Classroom 50 autograder bundle (no solutions inside)
	@$(PY) -m katakit.grading.platforms.build classroom50 classroom50

# PrairieLearn: the questions name the grader image IMAGE (README.md, "PrairieLearn"); autograder/Dockerfile builds it.
IMAGE ?= keras-katas-grader
prairielearn: $(STAMP)  ## instructors: build prairielearn/, a PrairieLearn course, a question per kata (IMAGE=...)
	@$(PY) -m katakit.grading.platforms.build prairielearn prairielearn --image "$(IMAGE)"

# Rerun every tutorial's experiment with the references (reproduce/); the report goes to reports/.
.PHONY: reproduce

reproduce: $(STAMP) $(DEV_STAMP)  ## rerun the tutorials' experiments; report in reports/ (ONLY=id[,id] for some)
	@$(PY) -m reproduce $(if $(ONLY),--only $(ONLY))
