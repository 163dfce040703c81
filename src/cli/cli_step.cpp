// aelab step — run a worked example (explicit weights, inputs, targets) for N gradient steps and
// print the full trace of each as JSON: the numbers a lecturer puts on a slide.
#include "cli.h"

#include <cstdio>

namespace cli {

namespace {

struct StepOptions {
  std::string example_path;
  int steps = 0;  // 0: the file's "steps"
  bool compact = false;
};

int run_step(const StepOptions& o) {
  ae::WorkedExample ex = ae::load_worked_example(o.example_path);
  const int steps = o.steps > 0 ? o.steps : ex.steps;
  const auto traces = ae::run_worked_example(ex, steps);
  std::printf("%s\n", ae::traces_to_json(ex, traces, o.compact ? -1 : 2).c_str());
  return 0;
}

}  // namespace

void add_step_command(CLI::App& app) {
  auto o = std::make_shared<StepOptions>();
  CLI::App* cmd = app.add_subcommand(
      "step", "run a worked example (JSON: layers with W and b, input, target, loss, learning rate) and print the "
              "trace of every step as JSON; see assets/worked-examples/backprop-2-2-2.json");
  cmd->add_option("example", o->example_path, "worked-example JSON file")->required();
  cmd->add_option("--steps", o->steps, "number of gradient steps (default: the file's \"steps\", or 1)")
      ->check(CLI::Range(1, 100000));
  cmd->add_flag("--compact", o->compact, "one line of JSON instead of indented");
  cmd->callback([o]() { exit_status() = run_step(*o); });
}

}  // namespace cli
