# Two commands are the contract: `make lab` and `make test`. Both set everything up first.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
# The tested CPU build of PyTorch. Installed before the course so that the course's
# torch range is already satisfied and pip never reaches for a multi-GB CUDA build.
TORCH_SPEC ?= torch==2.13.0
# Extra pip options for the torch install only, e.g. a CPU wheel index on another laptop:
#   make lab TORCH_PIP_ARGS="--index-url <your CPU wheel index>"
TORCH_PIP_ARGS ?=
STAMP  := $(VENV)/.installed
JUPYTER_ROOT := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)

.PHONY: install lab lab-zh test test-portable unit lint format notebooks zh notebook-cost slider-latency speedup bptt-speed clean \
        classroom-install classroom-rehearsal classroom-sizing classroom-clean student grade

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet "$(TORCH_SPEC)" $(TORCH_PIP_ARGS)
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

lab: $(STAMP)
	$(VENV)/bin/jupyter lab $(JUPYTER_ROOT) notebooks/00_start_here.ipynb

## 中文版: the Chinese edition, with the package speaking Chinese for the whole server.
lab-zh: $(STAMP)
	LSTM_COURSE_LANG=zh $(VENV)/bin/jupyter lab $(JUPYTER_ROOT) notebooks/zh/00_start_here.ipynb

## The whole suite: lint, format check, unit tests, browser tests, nbval over every notebook.
test: $(STAMP) lint
	$(PY) -m pytest

unit: $(STAMP)
	$(PY) -m pytest tests

## The proof that `make test` holds on other machines: the notebooks (nbval) and every test
## marked `training`, again under other CPU kernels and thread counts. Default: PyTorch's portable
## kernels on one thread, and AVX2 kernels (ATen and oneDNN, as on a CPU without AVX-512) on two.
## A CPU that cannot honour a setting fails (tests/test_global_state.py); pick others, e.g.
##   make test-portable PORTABLE_SETTINGS='"ATEN_CPU_CAPABILITY=default OMP_NUM_THREADS=4"'
PORTABLE_SETTINGS ?= "ATEN_CPU_CAPABILITY=default OMP_NUM_THREADS=1" \
                     "ATEN_CPU_CAPABILITY=avx2 ONEDNN_MAX_CPU_ISA=AVX2 OMP_NUM_THREADS=2"
test-portable: $(STAMP)
	@failed=""; for setting in $(PORTABLE_SETTINGS); do \
	  echo "== make test-portable: $$setting"; \
	  env $$setting $(PY) -m pytest -m training tests || failed="$$failed\n  tests under $$setting"; \
	  env $$setting $(PY) -m pytest notebooks || failed="$$failed\n  notebooks under $$setting"; \
	done; \
	if [ -n "$$failed" ]; then printf "make test-portable failed:$$failed\n"; exit 1; fi

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## Re-execute every notebook in place (or NB="notebooks/06_forget_gate.ipynb"), strip widget state.
NB ?= notebooks/*.ipynb
notebooks: $(STAMP)
	$(VENV)/bin/ruff format $(NB)
	$(PY) tools/run_notebooks.py $(NB)

## The Chinese edition (CONTRIBUTING.md, "Translating"): notebooks/zh/ built from notebooks/ and
## i18n/zh/*.yaml, then executed in a fresh kernel each. Every notebook that has a catalogue, or
## one: make zh NB=06 (or NB=notebooks/06_forget_gate.ipynb). nbval runs them in `make test`.
zh: $(STAMP)
	$(PY) tools/translations.py build --execute $(if $(filter command line,$(origin NB)),$(NB))

## The student edition (docs/instructors.md, "Running a graded class"): notebooks/ -> student/,
## the same file names, each exercise a stub (nbgrader generate_assignment underneath).
student: $(STAMP)
	$(PY) tools/editions.py student
	$(PY) tools/editions.py student --source notebooks/zh --out student/zh

## Autograde the notebooks a teacher collected: make grade SUBMISSIONS=DIR, with
## DIR/<student>/<notebook>.ipynb -> DIR/grades.csv and DIR/feedback/<student>/<notebook>.html.
grade: $(STAMP)
	@test -n "$(SUBMISSIONS)" || { echo "usage: make grade SUBMISSIONS=DIR [EDITION=zh] (DIR/<student>/<notebook>.ipynb)"; exit 2; }
	$(PY) tools/editions.py grade --source $(if $(filter zh,$(EDITION)),notebooks/zh,notebooks) "$(SUBMISSIONS)"

notebook-cost: $(STAMP)
	$(PY) benchmarks/notebook_cost.py

slider-latency: $(STAMP)
	$(PY) benchmarks/slider_latency.py

speedup: $(STAMP)
	$(PY) benchmarks/sin_cos_speedup.py

bptt-speed: $(STAMP)
	$(PY) benchmarks/bptt_speed.py

## The class rehearsal (docs/instructors.md, section 4): JupyterHub 5-6, nbgitpuller and the idle
## culler from PyPI (the `classroom` extra), the hub's proxy from npm into .venv/chp.
PROXY_SPEC := configurable-http-proxy@5.3.0
CLASSROOM_STAMP := $(VENV)/.classroom-installed
classroom-install: $(CLASSROOM_STAMP)

$(CLASSROOM_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e ".[test,classroom]"
	npm install --prefix $(VENV)/chp --no-audit --no-fund --silent $(PROXY_SPEC)
	touch $(CLASSROOM_STAMP)

## STUDENTS simulated students at once on a real JupyterHub on 127.0.0.1; as root, one Unix
## user each. Removes every user, server and process it made, also when interrupted.
STUDENTS ?= 5
classroom-rehearsal: $(CLASSROOM_STAMP)
	$(PY) -m classroom.rehearsal --students $(STUDENTS)

## The guide's sizing table: the rehearsal for 1, 5, 10 and 20 students, with the machine's load.
classroom-sizing: $(CLASSROOM_STAMP)
	$(PY) -m classroom.sizing --students 1 5 10 20

## After a rehearsal was killed with SIGKILL: remove what it left (users, homes, processes).
classroom-clean:
	$(PY) -m classroom.cleanup

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts
