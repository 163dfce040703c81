// worked_example.cpp — reading worked examples and writing their step traces (see worked_example.h).
#include "worked_example.h"

#include "idx.h"  // read_file_bytes

#include <nlohmann/json.hpp>

#include <cmath>

namespace ae {

namespace {

using json = nlohmann::json;

[[noreturn]] void fail(const std::string& name, const std::string& what) { throw Error(name + ": " + what); }

double number(const json& v, const std::string& name, const std::string& what) {
  if (!v.is_number()) fail(name, what + " must be a number, got " + v.dump());
  const double d = v.get<double>();
  if (!std::isfinite(d)) fail(name, what + " must be finite");
  return d;
}

// A whole number in [lo, hi], checked before it is converted (a huge float is no int).
int whole_number(const json& v, const std::string& name, const std::string& what, int lo, int hi) {
  const double d = number(v, name, what);
  if (std::floor(d) != d || d < lo || d > hi)
    fail(name, "\"" + what + "\" must be in " + std::to_string(lo) + ".." + std::to_string(hi) + ", a whole number");
  return int(d);
}

std::vector<double> vector_of(const json& v, const std::string& name, const std::string& what) {
  if (!v.is_array() || v.empty()) fail(name, what + " must be a non-empty list of numbers");
  std::vector<double> out;
  for (size_t i = 0; i < v.size(); ++i) out.push_back(number(v[i], name, what + "[" + std::to_string(i) + "]"));
  return out;
}

// A matrix given as a list of rows.
Matrix<double> matrix_of_rows(const json& v, const std::string& name, const std::string& what) {
  if (!v.is_array() || v.empty()) fail(name, what + " must be a non-empty list of rows");
  const std::vector<double> first = vector_of(v[0], name, what + "[0]");
  Matrix<double> m(Eigen::Index(v.size()), Eigen::Index(first.size()));
  for (size_t r = 0; r < v.size(); ++r) {
    const std::vector<double> row = vector_of(v[r], name, what + "[" + std::to_string(r) + "]");
    if (row.size() != first.size())
      fail(name, what + " has rows of different lengths (row 0 has " + std::to_string(first.size()) + ", row " +
                     std::to_string(r) + " has " + std::to_string(row.size()) + ")");
    for (size_t c = 0; c < row.size(); ++c) m(Eigen::Index(r), Eigen::Index(c)) = row[c];
  }
  return m;
}

// Samples given as "key": [..] (one) or "keys": [[..], [..]] (a batch), as columns.
Matrix<double> samples(const json& j, const char* one, const char* many, const std::string& name) {
  if (j.contains(one) && j.contains(many)) fail(name, std::string("give either \"") + one + "\" or \"" + many + "\", not both");
  if (j.contains(one)) {
    const std::vector<double> v = vector_of(j[one], name, one);
    return Eigen::Map<const Matrix<double>>(v.data(), Eigen::Index(v.size()), 1);
  }
  if (j.contains(many)) return matrix_of_rows(j[many], name, many).transpose();  // each row is a sample
  return Matrix<double>();
}

json rows(const Matrix<double>& m) {
  json out = json::array();
  for (Eigen::Index r = 0; r < m.rows(); ++r) {
    json row = json::array();
    for (Eigen::Index c = 0; c < m.cols(); ++c) row.push_back(m(r, c));
    out.push_back(row);
  }
  return out;
}

json flat(const Vector<double>& v) {
  json out = json::array();
  for (Eigen::Index i = 0; i < v.size(); ++i) out.push_back(v(i));
  return out;
}

}  // namespace

WorkedExample parse_worked_example(const std::string& text, const std::string& name) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception& e) {  // parse_error, and out_of_range for a number too large for a double
    fail(name, std::string("not valid JSON (") + e.what() + ")");
  }
  if (!j.is_object()) fail(name, "the worked example must be a JSON object");
  WorkedExample ex;
  try {
    ex.name = j.value("name", name);
    ex.description = j.value("description", "");
  } catch (const json::exception&) {
    fail(name, "\"name\" and \"description\" must be strings");
  }

  if (!j.contains("layers") || !j["layers"].is_array() || j["layers"].size() < 1)
    fail(name, "\"layers\" must be a non-empty list");
  const json& layers = j["layers"];
  const int L = int(layers.size());
  if (L > 64) fail(name, "at most 64 layers");
  bool tied = false;
  if (j.contains("tied_weights")) {
    if (!j["tied_weights"].is_boolean()) fail(name, "\"tied_weights\" must be true or false");
    tied = j["tied_weights"].get<bool>();
  }
  int code_layer = (L - 1) / 2;
  if (j.contains("code_layer")) code_layer = whole_number(j["code_layer"], name, "code_layer", 0, 63);
  if (code_layer < 0 || code_layer >= std::max(1, L - 1) || (L == 1 && code_layer != 0))
    fail(name, "\"code_layer\" must be in 0.." + std::to_string(std::max(0, L - 2)));
  ex.model.code_layer = code_layer;

  for (int k = 0; k < L; ++k) {
    const std::string where = "layers[" + std::to_string(k) + "]";
    const json& l = layers[k];
    if (!l.is_object()) fail(name, where + " must be an object");
    DenseLayer<double> layer;
    try {
      layer.activation = activation_from_name(l.value("activation", std::string("sigmoid")));
    } catch (const Error& e) {
      fail(name, where + ": " + e.what());
    } catch (const json::exception&) {
      fail(name, where + ".activation must be a string");
    }
    const bool is_tied = tied && k > code_layer;
    if (is_tied) {
      if (l.contains("W")) fail(name, where + " is tied to layer " + std::to_string(L - 1 - k) + ": leave out its W");
      layer.tied_to = L - 1 - k;
      layer.W = ex.model.layers[layer.tied_to].W.transpose();
    } else {
      if (!l.contains("W")) fail(name, where + " has no \"W\"");
      layer.W = matrix_of_rows(l["W"], name, where + ".W");
    }
    if (k > 0 && layer.W.cols() != ex.model.layers[k - 1].W.rows())
      fail(name, where + ".W has " + std::to_string(layer.W.cols()) + " columns, but layer " + std::to_string(k - 1) +
                     " has " + std::to_string(ex.model.layers[k - 1].W.rows()) + " outputs");
    if (l.contains("b")) {
      const std::vector<double> b = vector_of(l["b"], name, where + ".b");
      if (Eigen::Index(b.size()) != layer.W.rows())
        fail(name, where + ".b has " + std::to_string(b.size()) + " entries, W has " + std::to_string(layer.W.rows()) + " rows");
      layer.b = Eigen::Map<const Vector<double>>(b.data(), Eigen::Index(b.size()));
    } else {
      layer.b = Vector<double>::Zero(layer.W.rows());
    }
    ex.model.layers.push_back(std::move(layer));
  }
  if (tied && L % 2 != 0) fail(name, "tied weights need an even number of layers (a mirrored network)");

  ex.input = samples(j, "input", "inputs", name);
  if (ex.input.size() == 0) fail(name, "give the input: \"input\": [..] or \"inputs\": [[..], ..]");
  if (ex.input.rows() != ex.model.input_size())
    fail(name, "the input has " + std::to_string(ex.input.rows()) + " values, the first layer's W has " +
                   std::to_string(ex.model.input_size()) + " columns");
  ex.target = samples(j, "target", "targets", name);
  if (ex.target.size() == 0) ex.target = ex.input;
  if (ex.target.rows() != ex.model.output_size() || ex.target.cols() != ex.input.cols())
    fail(name, "the target is " + std::to_string(ex.target.rows()) + "×" + std::to_string(ex.target.cols()) +
                   " (values × samples), the output is " + std::to_string(ex.model.output_size()) + "×" +
                   std::to_string(ex.input.cols()));

  try {
    if (j.contains("loss")) {
      const json& loss = j["loss"];
      if (!loss.is_object()) fail(name, "\"loss\" must be an object");
      ex.config.loss.kind = loss_from_name(loss.value("kind", std::string("squared_error")));
      ex.config.loss.half = loss.value("half", true);
      ex.config.loss.units = reduction_from_name(loss.value("units", std::string("sum")));
      ex.config.loss.batch = reduction_from_name(loss.value("batch", std::string("mean")));
    }
    if (j.contains("optimizer")) {
      const json& opt = j["optimizer"];
      if (!opt.is_object()) fail(name, "\"optimizer\" must be an object");
      ex.config.optimizer.kind = optimizer_from_name(opt.value("kind", std::string("sgd")));
      ex.config.optimizer.learning_rate = opt.value("learning_rate", 0.1);
      ex.config.optimizer.update_biases = opt.value("update_biases", true);
      ex.config.optimizer.momentum = opt.value("momentum", 0.9);
      ex.config.optimizer.beta1 = opt.value("beta1", 0.9);
      ex.config.optimizer.beta2 = opt.value("beta2", 0.999);
      ex.config.optimizer.epsilon = opt.value("epsilon", 1e-8);
    }
    if (j.contains("steps")) ex.steps = whole_number(j["steps"], name, "steps", 1, 100000);
  } catch (const json::exception& e) {
    fail(name, std::string("a loss/optimizer/steps field has the wrong type (") + e.what() + ")");
  } catch (const Error& e) {
    const std::string msg = e.what();
    if (msg.rfind(name + ":", 0) == 0) throw;
    fail(name, msg);
  }
  const auto& o = ex.config.optimizer;
  if (!(o.learning_rate > 0 && o.learning_rate <= 1e6)) fail(name, "the learning rate must be in (0, 1e6]");
  if (!(o.momentum >= 0 && o.momentum < 1) || !(o.beta1 >= 0 && o.beta1 < 1) || !(o.beta2 >= 0 && o.beta2 < 1) ||
      !(o.epsilon > 0))
    fail(name, "momentum, beta1 and beta2 must be in [0, 1) and epsilon > 0");
  if (ex.steps < 1 || ex.steps > 100000) fail(name, "\"steps\" must be in 1..100000");
  return ex;
}

WorkedExample load_worked_example(const std::string& path) {
  const std::vector<uint8_t> bytes = read_file_bytes(path, uint64_t(16) << 20);
  return parse_worked_example(std::string(bytes.begin(), bytes.end()), path);
}

std::vector<StepTrace<double>> run_worked_example(WorkedExample& ex, int steps) {
  std::vector<StepTrace<double>> traces;
  OptimizerState<double> state;
  optimizer_reset(state, ex.model);
  Workspace<double> ws;
  for (int s = 0; s < steps; ++s) {
    StepTrace<double> trace;
    const StepStatus status = train_step(ex.model, ex.config, state, ex.input, ex.target, ws, &trace);
    traces.push_back(std::move(trace));
    if (status != StepStatus::ok)
      throw Error(ex.name + ": step " + std::to_string(s + 1) + " produced NaN or infinite values");
  }
  return traces;
}

std::string traces_to_json(const WorkedExample& ex, const std::vector<StepTrace<double>>& traces, int indent) {
  json out;
  out["example"] = ex.name;
  out["loss"] = {{"kind", loss_name(ex.config.loss.kind)},
                 {"half", ex.config.loss.half},
                 {"units", reduction_name(ex.config.loss.units)},
                 {"batch", reduction_name(ex.config.loss.batch)}};
  out["optimizer"] = {{"kind", optimizer_name(ex.config.optimizer.kind)},
                      {"learning_rate", ex.config.optimizer.learning_rate},
                      {"update_biases", ex.config.optimizer.update_biases}};
  out["conventions"] = "matrices are lists of rows; z, a and delta are (units × samples); W is (n_out × n_in)";
  json steps = json::array();
  for (const auto& t : traces) {
    json s;
    s["step"] = t.step;
    s["input"] = rows(t.input);
    s["target"] = rows(t.target);
    s["loss"] = t.loss;
    json layers = json::array();
    for (size_t l = 0; l < t.layers.size(); ++l) {
      const auto& lt = t.layers[l];
      json layer;
      layer["layer"] = l;
      layer["activation"] = activation_name(lt.activation);
      if (lt.tied_to >= 0) layer["tied_to"] = lt.tied_to;
      layer["W_before"] = rows(lt.W_before);
      layer["b_before"] = flat(lt.b_before);
      layer["z"] = rows(lt.z);
      layer["a"] = rows(lt.a);
      layer["delta"] = rows(lt.delta);
      layer["dW"] = rows(lt.dW);
      layer["db"] = flat(lt.db);
      layer["W_after"] = rows(lt.W_after);
      layer["b_after"] = flat(lt.b_after);
      layers.push_back(layer);
    }
    s["layers"] = layers;
    steps.push_back(s);
  }
  out["steps"] = steps;
  return out.dump(indent);
}

}  // namespace ae
