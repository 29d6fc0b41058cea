# Kasane: the two commands a newcomer runs are `make demo` and `make test`.
SWIFT        ?= swift
BUILD_FLAGS  ?= -c release
KASANE       := .build/release/kasane
APT_PACKAGES := libopenblas-dev pkg-config libsqlite3-dev chromium libmecab-dev mecab-ipadic-utf8 \
                slurmctld slurmd slurm-client munge

.PHONY: all deps build test bench models demo clean

all: build

# Install the system packages Kasane needs, only when something is missing.
deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build $(BUILD_FLAGS) --product kasane

# Tests run on the release build (hot loops are far too slow unoptimised); -enable-testing keeps @testable working.
# A real single-node Slurm runs for the cluster tests (tools/slurm-local.sh); it is stopped whatever the result.
test: deps
	$(SWIFT) build $(BUILD_FLAGS) --build-tests -Xswiftc -enable-testing
	bash tools/slurm-local.sh up
	status=0; SLURM_CONF=$$(bash tools/slurm-local.sh env | cut -d= -f2) \
	  $(SWIFT) test $(BUILD_FLAGS) --skip-build -Xswiftc -enable-testing || status=$$?; \
	bash tools/slurm-local.sh down; exit $$status

bench: build
	bash bench/run.sh

# The built-in tiny world: a seeded bilingual corpus, tokenizer and evalsets (kasane world), and a tiny LLaMA
# pretrained on it (kasane pretrain, recipe models/tiny-world.recipe.json) into the gitignored models/tiny-world/.
# Skipped when a complete trajectory is already there (the .complete marker is written last).
TINY       := models/tiny-world
DEMO_OUT   ?= demo-out
DEMO_DB    := $(DEMO_OUT)/results.sqlite
DEMO_EVAL  := --checkpoints $(TINY) --evalsets evalsets/tiny-world --db $(DEMO_DB)

models: build
	@if [ -f $(TINY)/.complete ]; then echo "models: $(TINY) is complete (rm -rf $(TINY) to retrain)"; else \
	  rm -rf $(TINY) && mkdir -p $(TINY) && \
	  $(KASANE) world --output $(TINY)/world && \
	  $(KASANE) pretrain --config models/tiny-world.recipe.json --output $(TINY) && \
	  touch $(TINY)/.complete; fi

# The whole pipeline on the tiny world: one sweep over the dense final 20% of the run (steps 400–500, 21
# checkpoints): every checkpoint, averaged models and ensembles at windows 2, 5, 10, 20 inside that span, the
# instability and cost tables, then the report. A rerun reuses everything stored in the results store.
demo: models
	@mkdir -p $(DEMO_OUT)
	$(KASANE) sweep $(DEMO_EVAL) --steps 400:500 --windows 2,5,10,20 --report $(DEMO_OUT)/report
	@echo "report: $(DEMO_OUT)/report/report.html (and report.md, figures/*.svg)"

clean:
	rm -rf .build
