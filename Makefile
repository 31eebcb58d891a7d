# The two commands of the README's quick start:
#   make run    install what is missing, build (release), start `sluice serve` on ./sluice-data
#   make test   install what is missing, build, run the whole test suite
SWIFT_BUILD_FLAGS ?= --explicit-target-dependency-import-check error
DATA_DIR ?= ./sluice-data

.PHONY: run test build deps test-deps bench clean

run: deps
	swift build -c release $(SWIFT_BUILD_FLAGS) --product sluice
	.build/release/sluice serve --data-dir $(DATA_DIR)

test: test-deps
	swift build --build-tests $(SWIFT_BUILD_FLAGS)
	# Swift Testing runs tests in one process on a thread pool as wide as the machine (two threads here). The engine
	# suites block their threads for seconds while they poll queries, which would starve the time-bounded client
	# tests, so they run in a second pass; the Nexmark oracle (1,000,000 events through the engine, then DuckDB)
	# keeps both cores busy for minutes and runs last, alone.
	SLUICE_REQUIRE_CLIENTS=1 swift test --skip-build --parallel --num-workers 2 --skip 'SQLEngineTests\.'
	SLUICE_REQUIRE_CLIENTS=1 swift test --skip-build --parallel --num-workers 2 --filter 'SQLEngineTests\.' --skip NexmarkOracleTests
	SLUICE_REQUIRE_CLIENTS=1 swift test --skip-build --filter NexmarkOracleTests

build: deps
	swift build $(SWIFT_BUILD_FLAGS)

# Benchmarks print figures (records/s, MB/s, latency percentiles); they are not tests.
bench: deps
	swift build -c release $(SWIFT_BUILD_FLAGS) --product sluice
	.build/release/sluice bench log --dir ./bench-data

deps:
	@scripts/install-deps.sh

test-deps:
	@scripts/install-deps.sh --test

clean:
	rm -rf .build
