# Kasane: the two commands a newcomer runs are `make demo` and `make test`.
SWIFT        ?= swift
BUILD_FLAGS  ?= -c release
KASANE       := .build/release/kasane
APT_PACKAGES := libopenblas-dev pkg-config libsqlite3-dev chromium

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
test: deps
	$(SWIFT) build $(BUILD_FLAGS) --build-tests -Xswiftc -enable-testing
	$(SWIFT) test $(BUILD_FLAGS) --skip-build -Xswiftc -enable-testing

bench: build
	bash bench/run.sh

clean:
	rm -rf .build
