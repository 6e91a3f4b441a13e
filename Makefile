# The two commands the README promises: `make demo` and `make test`. Both set up, then build.
BUILD ?= build
JOBS ?= $(shell nproc)

.PHONY: setup build python demo test bench clean

setup:
	scripts/setup

build: setup
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD) -j $(JOBS)

# The Python package (python/), built and installed into $(BUILD)/venv: `$(BUILD)/venv/bin/python -c "import emo"`.
python: setup
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD) -j $(JOBS) --target python emo

demo: build
	$(BUILD)/emo conv examples/dinner_plans.csv

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

bench: build
	$(BUILD)/bench_conv
	$(BUILD)/bench_text
	$(BUILD)/bench_causes
	$(BUILD)/bench_speech

clean:
	rm -rf $(BUILD)
