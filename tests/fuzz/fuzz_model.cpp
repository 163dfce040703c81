// fuzz_model.cpp — model files (`aelab eval`, `aelab train --load`, and the page's "open model").
// The reader promises more than "no crash": a file it accepts is a model the engine can run. So an
// accepted model is run forward on a sample, and written back out and read again (same bytes).
#include "fuzz_common.h"

#include "ae/model_io.h"

#include <cmath>

namespace {

template <typename T>
void check(const std::string& bytes) {
  try {
    const ae::SavedModel<T> m = ae::deserialize_any_model<T>(bytes, "fuzz.aelab");
    switch (m.info.kind) {
      case ae::ModelKind::autoencoder: {
        const ae::Autoencoder<T>& model = m.autoencoder;
        ae::Matrix<T> x = ae::Matrix<T>::Constant(model.input_size(), 2, T(0.5));
        ae::Workspace<T> ws;
        const ae::Matrix<T>& y = ae::forward(model, x, ws);
        fuzz::require(y.rows() == model.output_size() && y.cols() == 2, "output shape");
        fuzz::require(ae::serialize_model(model, m.info).size() > 0, "writes back");
        break;
      }
      case ae::ModelKind::vae: {
        const ae::Vae<T>& vae = m.vae;
        ae::Matrix<T> x = ae::Matrix<T>::Constant(vae.input_size(), 2, T(0.5));
        const ae::Matrix<T> mean = ae::vae_encode_mean(vae, x);
        const ae::Matrix<T> y = ae::vae_decode(vae, mean);
        fuzz::require(y.cols() == 2, "decoded batch");
        fuzz::require(ae::serialize_model(vae, m.info).size() > 0, "writes back");
        break;
      }
      case ae::ModelKind::classifier: {
        const ae::Classifier<T>& c = m.classifier;
        ae::Matrix<T> x = ae::Matrix<T>::Constant(c.net.input_size(), 2, T(0.5));
        const std::vector<int> p = ae::classifier_predict(c, x);
        fuzz::require(p.size() == 2, "one prediction per sample");
        for (int k : p) fuzz::require(k >= 0 && k < c.num_classes(), "a prediction is a class");
        fuzz::require(ae::serialize_model(c, m.info).size() > 0, "writes back");
        break;
      }
    }
  } catch (const ae::Error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes = fuzz::text_of(data, size);
  check<float>(bytes);
  check<double>(bytes);
  return 0;
}
