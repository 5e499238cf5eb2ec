# A thin layer over Meson: the two commands a newcomer types, and a few more.
#   make run    install what is missing, build, create a demo database, serve
#   make test   every test suite (unit, API, data, browser), then the unit and
#               API suites again under ASan+UBSan
#   make fuzz   each libFuzzer harness for FUZZ_SECONDS (default 300; make test: 30)
#   make bench  benchmarks beside their anchors (nginx), then the load test for
#               LOAD_SECONDS (default 120; make test runs it for 30)
#   make clean  remove build output (keeps var/, the data folder)

BUILD      ?= build
ASAN_BUILD ?= build-asan
DATA       ?= var
LISTEN     ?= 127.0.0.1:8080
FUZZ_SECONDS      ?= 300
FUZZ_TEST_SECONDS ?= 30
LOAD_SECONDS      ?= 120

.PHONY: all bootstrap build build-asan web run test test-fast fuzz bench clean

all: build

bootstrap:
	@scripts/bootstrap

$(BUILD)/build.ninja:
	meson setup $(BUILD) --buildtype=debugoptimized

$(ASAN_BUILD)/build.ninja:
	CC=clang-14 meson setup $(ASAN_BUILD) --buildtype=debug -Db_sanitize=address,undefined \
	  -Db_lundef=false -Dc_args='-fno-sanitize-recover=all -fno-omit-frame-pointer'

build: bootstrap $(BUILD)/build.ninja web
	ninja -C $(BUILD)

# The console: rebuilt when its sources or lock file change.
WEB_SRC := $(shell find web/src web/public web/index.html web/vite.config.* web/package.json \
             web/package-lock.json web/scripts -type f 2>/dev/null)
web: web/dist/index.html
web/dist/index.html: $(WEB_SRC)
	@if [ -f web/package.json ]; then cd web && npm run build --silent; fi

build-asan: bootstrap $(ASAN_BUILD)/build.ninja
	ninja -C $(ASAN_BUILD)

run: build
	@if [ ! -f $(DATA)/jilian.db ]; then $(BUILD)/jilian --data $(DATA) init --demo >/dev/null; fi
	@echo
	@echo "jilian is serving on http://$(LISTEN)  (API: http://$(LISTEN)/api/v1/health)"
	@if [ -f $(DATA)/demo-logins.txt ]; then cat $(DATA)/demo-logins.txt; fi
	@echo "press Ctrl-C to stop"
	@exec $(BUILD)/jilian --data $(DATA) serve --listen $(LISTEN)

test: build build-asan
	@rm -f $(BUILD)/meson-logs/testlog.json $(ASAN_BUILD)/meson-logs/testlog.json
	-meson test -C $(BUILD) --print-errorlogs --num-processes 2
	-ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  meson test -C $(ASAN_BUILD) --suite unit --suite api --print-errorlogs --num-processes 2 \
	  --timeout-multiplier 3
	-FUZZ_SECONDS=$(FUZZ_TEST_SECONDS) fuzz/run 2>&1 | tee $(BUILD)/fuzz.log | grep -E '^fuzz |passed'
	@python3 scripts/test-summary --log fuzz $(BUILD)/fuzz.log $(BUILD) $(ASAN_BUILD)

test-fast: build
	meson test -C $(BUILD) --print-errorlogs

fuzz: bootstrap
	FUZZ_SECONDS=$(FUZZ_SECONDS) fuzz/run

bench: build
	@scripts/bootstrap bench
	bench/http
	JILIAN_LOAD_SECONDS=$(LOAD_SECONDS) python3 tests/stress/test_load.py

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) build-fuzz web/dist
