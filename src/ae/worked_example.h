// worked_example.h — small networks with explicit numbers, stepped by hand.
//
// The format lecturers write (JSON; the UI's backprop lesson uses the same files):
// {
//   "name": "2-2-2 by hand",
//   "description": "optional text",
//   "layers": [                                   first layer first; W as rows (n_out rows of n_in)
//     {"activation": "sigmoid", "W": [[0.1, 0.2], [0.3, 0.4]], "b": [0.1, 0.1]},
//     {"activation": "sigmoid", "W": [[0.5, 0.6], [0.7, 0.8]], "b": [0.2, 0.2]}
//   ],
//   "input":  [0.5, 0.9],                         one sample, or "inputs": [[…], […]] for a batch
//   "target": [0.5, 0.9],                         optional (default: the input, an autoencoder);
//                                                 or "targets": [[…], […]]
//   "code_layer": 0,                              optional (default: the middle layer)
//   "tied_weights": false,                        optional; the decoder W must then be omitted
//   "loss": {"kind": "squared_error", "half": true, "units": "sum", "batch": "mean"},
//   "optimizer": {"kind": "sgd", "learning_rate": 0.5, "update_biases": true,
//                 "momentum": 0.9, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8},
//   "steps": 1                                    how many updates `aelab step` runs (default 1)
// }
// Everything runs in double, so the numbers can be checked against a hand derivation to 1e-9.
#pragma once

#include "trace.h"
#include "trainer.h"

#include <string>
#include <vector>

namespace ae {

struct WorkedExample {
  std::string name, description;
  Autoencoder<double> model;
  Matrix<double> input;   // (n_0, B)
  Matrix<double> target;  // (n_L, B)
  TrainConfig config;     // loss and optimizer (batch_size unused: the whole input is one batch)
  int steps = 1;
};

WorkedExample parse_worked_example(const std::string& json_text, const std::string& name_for_errors);
WorkedExample load_worked_example(const std::string& path);

// Runs example.steps updates, returning the trace of each.
std::vector<StepTrace<double>> run_worked_example(WorkedExample& example, int steps);

// The traces as JSON text: matrices as lists of rows, vectors as flat lists, full double precision.
std::string traces_to_json(const WorkedExample& example, const std::vector<StepTrace<double>>& traces, int indent = 2);

}  // namespace ae
