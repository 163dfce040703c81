// fuzz_worked_example.cpp — worked examples (`aelab step FILE`, the step-through lesson's file).
// An accepted example is stepped once and its trace written as JSON, as `aelab step` does.
#include "fuzz_common.h"

#include "ae/worked_example.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    ae::WorkedExample example = ae::parse_worked_example(fuzz::text_of(data, size), "fuzz.json");
    const auto traces = ae::run_worked_example(example, 1);
    fuzz::require(traces.size() == 1, "one trace per step");
    fuzz::require(!ae::traces_to_json(example, traces).empty(), "the trace as JSON");
  } catch (const ae::Error&) {
  }
  return 0;
}
