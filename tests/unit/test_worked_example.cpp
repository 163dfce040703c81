// A worked example checked against numbers derived by hand (to 1e-9, in double), and the
// worked-example file format's error messages.
#include "ae/ae.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <string>

using namespace ae;

namespace {
std::string lesson_path() { return std::string(AELAB_SOURCE_DIR) + "/assets/worked-examples/backprop-2-2-2.json"; }
}  // namespace

TEST_SUITE("worked_example") {
  TEST_CASE("the 2-2-2 autoencoder of lesson 1, one SGD step, matches the hand derivation") {
    // The network (assets/worked-examples/backprop-2-2-2.json): x = (0.6, 0.2)ᵀ, target t = x,
    //   W¹ = [0.4 −0.3; 0.2 0.5], b¹ = (0.1, −0.1)ᵀ,  W² = [0.7 −0.2; 0.3 0.6], b² = (0, 0.1)ᵀ,
    //   σ = sigmoid in both layers, C = ½ Σᵢ (tᵢ − yᵢ)², η = 0.5, biases updated.
    //
    // Forward.
    //   z¹ = W¹x + b¹ = (0.4·0.6 − 0.3·0.2 + 0.1,  0.2·0.6 + 0.5·0.2 − 0.1) = (0.28, 0.12)      exact
    //   a¹ = σ(z¹)    = (1/(1+e^−0.28), 1/(1+e^−0.12)) = (0.569546223939229, 0.529964051764572)
    //   z² = W²a¹ + b² = (0.7·0.569546… − 0.2·0.529964…,  0.3·0.569546… + 0.6·0.529964… + 0.1)
    //                  = (0.292689546404546, 0.588842298240512)
    //   y = a² = σ(z²) = (0.572654450550302, 0.643099471087468)
    //   C = ½[(0.6 − 0.572654…)² + (0.2 − 0.643099…)²] = ½[0.000747797… + 0.196337…] = 0.0985424601763499
    // Backward (∂C/∂y = y − t for the ½ convention; σ'(z) = a(1 − a)).
    //   δ² = (y − t) ⊙ a²(1 − a²) = (−0.027345549…·0.244720…, 0.443099471…·0.229522…)
    //      = (−0.00669203925320383, 0.101701316685687)
    //   δ¹ = a¹(1 − a¹) ⊙ (W²)ᵀδ²:  (W²)ᵀδ² = (0.7·δ²₁ + 0.3·δ²₂, −0.2·δ²₁ + 0.6·δ²₂)
    //                                        = (0.0258660… , 0.0623592…)
    //      a¹(1 − a¹) = (0.244663…, 0.249100…)  ⇒  δ¹ = (0.00633158001214480, 0.0155338106090396)
    //   ∇_W² C = δ²(a¹)ᵀ = [−0.00381142568711534 −0.00354654023719546; 0.0579236008879805 0.0538980418605383]
    //   ∇_W¹ C = δ¹xᵀ    = [0.00379894800728688 0.00126631600242896; 0.00932028636542377 0.00310676212180792]
    //   ∇_b C = δ
    // Update (θ ← θ − η∇θ, η = 0.5).
    //   W² ← [0.701905712843558 −0.198226729881402; 0.271038199556010 0.573050979069731]
    //   W¹ ← [0.398100525996357 −0.300633158001215; 0.195339856817288 0.498446618939096]
    //   b² ← (0.00334601962660191, 0.0491493416571567),  b¹ ← (0.0968342099939276, −0.107766905304520)
    //   and the loss falls: C = 0.0985424601763499 → 0.0901095068893350.
    // (The digits were computed with a separate 20-line Python transcription of the formulas
    // above, not with this engine.)
    WorkedExample ex = load_worked_example(lesson_path());
    const auto traces = run_worked_example(ex, 1);
    REQUIRE(traces.size() == 1);
    const StepTrace<double>& t = traces[0];
    const double tol = 1e-9;
    auto near = [&](double got, double want) {
      CAPTURE(got);
      CAPTURE(want);
      CHECK(std::abs(got - want) <= tol);
    };
    REQUIRE(t.layers.size() == 2);
    near(t.layers[0].z(0, 0), 0.28);
    near(t.layers[0].z(1, 0), 0.12);
    near(t.layers[0].a(0, 0), 0.569546223939229);
    near(t.layers[0].a(1, 0), 0.5299640517645717);
    near(t.layers[1].z(0, 0), 0.292689546404546);
    near(t.layers[1].z(1, 0), 0.5888422982405117);
    near(t.layers[1].a(0, 0), 0.5726544505503022);
    near(t.layers[1].a(1, 0), 0.6430994710874681);
    near(t.loss, 0.09854246017634992);
    near(t.layers[1].delta(0, 0), -0.006692039253203828);
    near(t.layers[1].delta(1, 0), 0.10170131668568665);
    near(t.layers[0].delta(0, 0), 0.006331580012144803);
    near(t.layers[0].delta(1, 0), 0.015533810609039621);
    near(t.layers[1].dW(0, 0), -0.0038114256871153384);
    near(t.layers[1].dW(0, 1), -0.0035465402371954594);
    near(t.layers[1].dW(1, 0), 0.057923600887980535);
    near(t.layers[1].dW(1, 1), 0.05389804186053834);
    near(t.layers[0].dW(0, 0), 0.003798948007286882);
    near(t.layers[0].dW(0, 1), 0.0012663160024289606);
    near(t.layers[0].dW(1, 0), 0.009320286365423772);
    near(t.layers[0].dW(1, 1), 0.0031067621218079243);
    near(t.layers[1].W_after(0, 0), 0.7019057128435576);
    near(t.layers[1].W_after(0, 1), -0.19822672988140227);
    near(t.layers[1].W_after(1, 0), 0.2710381995560097);
    near(t.layers[1].W_after(1, 1), 0.5730509790697308);
    near(t.layers[0].W_after(0, 0), 0.3981005259963566);
    near(t.layers[0].W_after(0, 1), -0.3006331580012145);
    near(t.layers[0].W_after(1, 0), 0.19533985681728813);
    near(t.layers[0].W_after(1, 1), 0.49844661893909603);
    near(t.layers[1].b_after(0), 0.003346019626601914);
    near(t.layers[1].b_after(1), 0.04914934165715668);
    near(t.layers[0].b_after(0), 0.0968342099939276);
    near(t.layers[0].b_after(1), -0.10776690530451982);
    // The trace's "before" is the file's weights; its "after" is the model's state now.
    near(t.layers[0].W_before(0, 1), -0.3);
    CHECK((ex.model.layers[1].W.array() == t.layers[1].W_after.array()).all());
    // A second step starts from the updated weights and lowers the loss as derived.
    const auto next = run_worked_example(ex, 1);
    near(next[0].loss, 0.09010950688933503);
  }

  TEST_CASE("the trace JSON carries every number at full precision") {
    WorkedExample ex = load_worked_example(lesson_path());
    const auto traces = run_worked_example(ex, 2);
    const nlohmann::json json = nlohmann::json::parse(traces_to_json(ex, traces, -1));
    REQUIRE(json["steps"].size() == 2);
    CHECK(json["steps"][1]["step"].get<int>() == 2);
    // Every number survives the trip through text exactly (17 significant digits).
    for (int s = 0; s < 2; ++s) {
      CHECK(json["steps"][s]["loss"].get<double>() == traces[s].loss);
      for (int l = 0; l < 2; ++l) {
        const auto& layer = json["steps"][s]["layers"][l];
        const auto& t = traces[s].layers[l];
        for (int i = 0; i < 2; ++i) {
          CHECK(layer["delta"][i][0].get<double>() == t.delta(i, 0));
          CHECK(layer["db"][i].get<double>() == t.db(i));
          for (int j = 0; j < 2; ++j) {
            CHECK(layer["W_before"][i][j].get<double>() == t.W_before(i, j));  // rows: W[i][j] = W(i, j)
            CHECK(layer["dW"][i][j].get<double>() == t.dW(i, j));
            CHECK(layer["W_after"][i][j].get<double>() == t.W_after(i, j));
          }
        }
      }
    }
    CHECK(json["steps"][0]["layers"][1]["delta"][0][0].get<double>() == doctest::Approx(-0.006692039253203828).epsilon(1e-14));
  }

  TEST_CASE("frozen biases and the ½ / batch conventions change the numbers as the formulas say") {
    WorkedExample ex = load_worked_example(lesson_path());
    ex.config.optimizer.update_biases = false;
    auto traces = run_worked_example(ex, 1);
    CHECK((traces[0].layers[0].b_after.array() == traces[0].layers[0].b_before.array()).all());
    // Without the ½, C and every gradient double.
    WorkedExample full = load_worked_example(lesson_path());
    full.config.loss.half = false;
    auto t2 = run_worked_example(full, 1);
    CHECK(t2[0].loss == doctest::Approx(2 * 0.09854246017634992).epsilon(1e-12));
    CHECK(t2[0].layers[0].dW(1, 0) == doctest::Approx(2 * 0.009320286365423772).epsilon(1e-12));
    // A batch of the same sample twice: mean over the batch gives the same gradient, sum twice it.
    WorkedExample twice = load_worked_example(lesson_path());
    twice.input = Matrix<double>(2, 2);
    twice.input << 0.6, 0.6, 0.2, 0.2;
    twice.target = twice.input;
    auto t3 = run_worked_example(twice, 1);
    CHECK(t3[0].layers[1].dW(1, 1) == doctest::Approx(0.05389804186053834).epsilon(1e-12));
    WorkedExample summed = load_worked_example(lesson_path());
    summed.input = twice.input;
    summed.target = twice.input;
    summed.config.loss.batch = Reduction::sum;
    auto t4 = run_worked_example(summed, 1);
    CHECK(t4[0].layers[1].dW(1, 1) == doctest::Approx(2 * 0.05389804186053834).epsilon(1e-12));
  }

  TEST_CASE("tied weights: the decoder uses W¹ᵀ and the shared matrix gets both gradients") {
    const std::string text = R"({
      "layers": [{"activation": "sigmoid", "W": [[0.4, -0.3], [0.2, 0.5]], "b": [0.1, -0.1]},
                 {"activation": "sigmoid", "b": [0.0, 0.1]}],
      "input": [0.6, 0.2], "tied_weights": true, "optimizer": {"learning_rate": 0.5}})";
    WorkedExample ex = parse_worked_example(text, "tied");
    CHECK(ex.model.layers[1].W(0, 1) == 0.2);  // (W¹)ᵀ
    const auto t = run_worked_example(ex, 1)[0];
    // ∂C/∂W¹ = δ¹xᵀ + (δ²(a¹)ᵀ)ᵀ
    const Matrix<double> expected = t.layers[0].delta * t.input.transpose() + (t.layers[1].delta * t.layers[0].a.transpose()).transpose();
    CHECK((t.layers[0].dW - expected).cwiseAbs().maxCoeff() < 1e-15);
    CHECK((ex.model.layers[1].W - ex.model.layers[0].W.transpose()).cwiseAbs().maxCoeff() == 0.0);
  }

  TEST_CASE("malformed worked examples are refused with a message that says what is wrong") {
    struct Case {
      std::string json;
      const char* message;
    };
    const Case cases[] = {
        {"{", "not valid JSON"},
        {"[1, 2]", "must be a JSON object"},
        {R"({"input": [1]})", "\"layers\" must be a non-empty list"},
        {R"({"layers": [{"W": [[1, 2]]}], "input": [1, 2, 3]})", "the input has 3 values"},
        {R"({"layers": [{"W": [[1, 2], [3]]}], "input": [1, 2]})", "rows of different lengths"},
        {R"({"layers": [{"W": [[1, "a"]]}], "input": [1, 2]})", "must be a number"},
        {R"({"layers": [{"W": [[1, 2]], "activation": "swish"}], "input": [1, 2]})", "unknown activation"},
        {R"({"layers": [{"W": [[1, 2]], "b": [1, 2]}], "input": [1, 2]})", ".b has 2 entries"},
        {R"({"layers": [{"W": [[1, 2]]}, {"W": [[1, 2]]}], "input": [1, 2]})", "has 2 columns, but layer 0 has 1 outputs"},
        {R"({"layers": [{"W": [[1, 2]]}], "input": [1, 2], "target": [1, 2]})", "the target is 2×1"},
        {R"({"layers": [{"W": [[1, 2], [3, 4]]}], "input": [1, 2], "optimizer": {"learning_rate": -1}})", "learning rate"},
        {R"({"layers": [{"W": [[1, 2], [3, 4]]}], "input": [1, 2], "loss": {"kind": "hinge"}})", "unknown loss"},
        {R"({"layers": [{"W": [[1, 2], [3, 4]]}], "input": [1, 2], "steps": 0})", "\"steps\" must be in"},
        // Found by fuzz_worked_example: numbers beyond a double, or beyond an int, used to escape as
        // nlohmann's out_of_range (std::terminate) or be converted with undefined behaviour.
        {R"({"layers": [{"W": [[1, 2], [3, 4]]}], "input": [1, -0.1E4057]})", "not valid JSON"},
        {R"({"layers": [{"W": [[1, 2], [3, 4]]}], "input": [1, 2], "steps": 1e300})", "\"steps\" must be in"},
        {R"({"layers": [{"W": [[1, 2], [3, 4]]}], "input": [1, 2], "steps": 2.5})", "\"steps\" must be in"},
        {R"({"layers": [{"W": [[1, 2]]}, {"W": [[1], [2]]}], "input": [1, 2], "code_layer": -3.3e19})", "\"code_layer\" must be in"},
    };
    for (const Case& c : cases) {
      CAPTURE(c.json);
      CHECK_THROWS_WITH_AS(parse_worked_example(c.json, "example.json"), doctest::Contains(c.message), Error);
    }
    CHECK_THROWS_WITH_AS(load_worked_example("/nonexistent/lesson.json"), doctest::Contains("file not found"), Error);
  }
}
