# Verbund: thin wrappers over scripts, CMake and CTest. See README.md.
.PHONY: all deps build run test unit bench fuzz fmt clean

BUILD ?= build
JOBS ?= 2
DATA ?= ./data
LISTEN ?= 127.0.0.1:8080
CMAKE_FLAGS ?=
ifeq ($(CI),true)
CMAKE_FLAGS += -DVERBUND_WERROR=ON
endif

all: build

deps: node_modules/.installed
	@scripts/install-deps
	@scripts/check-node

# npm packages for the browser tests (versions pinned in package-lock.json, each of
# which must accept Debian 12's Node.js 18: scripts/check-node says which does not).
node_modules/.installed: package.json package-lock.json
	@scripts/install-deps
	@scripts/check-node
	npm ci --no-audit --no-fund
	@touch $@

$(BUILD)/build.ninja: CMakeLists.txt
	cmake -S . -B $(BUILD) -G Ninja $(CMAKE_FLAGS)

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

# Runs Verbund with demo content (loaded on the first start) at http://$(LISTEN)/.
run: build
	$(BUILD)/verbund serve --dev --demo-if-empty --data $(DATA) --listen $(LISTEN)

# Every test: unit tests, HTTP and SMTP tests against the real server.
test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

unit: build
	$(BUILD)/verbund_unit_tests

bench: build
	cmake --build $(BUILD) -j $(JOBS) --target verbund_search_bench
	VERBUND_BIN=$(BUILD)/verbund bench/http/run
	VERBUND_BIN=$(BUILD)/verbund bench/directory/run
	VERBUND_BIN=$(BUILD)/verbund bench/db/run
	VERBUND_BIN=$(BUILD)/verbund bench/wall/run
	VERBUND_BIN=$(BUILD)/verbund bench/events/run

# The feed parsers under libFuzzer with ASan and UBSan (clang), seeded with the test
# corpus, for FUZZ_SECONDS; findings land in build-fuzz/ as crash-* files.
FUZZ_SECONDS ?= 300
fuzz: deps
	cmake -S . -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DVERBUND_FUZZ=ON
	cmake --build build-fuzz -j $(JOBS) --target verbund_feeds_fuzz
	mkdir -p build-fuzz/corpus
	cd build-fuzz && ./verbund_feeds_fuzz -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
	  -timeout=10 -rss_limit_mb=2048 corpus ../tests/data/feeds

fmt:
	clang-format -i $$(git ls-files '*.cpp' '*.hpp')

clean:
	rm -rf $(BUILD)
