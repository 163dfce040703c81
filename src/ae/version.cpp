#include "version.h"

namespace ae {

const char* build_description() {
#if defined(__EMSCRIPTEN__)
#if defined(__wasm_simd128__)
  return "WebAssembly (Emscripten), SIMD128";
#else
  return "WebAssembly (Emscripten), scalar";
#endif
#elif defined(__AVX512F__)
  return "native x86-64, AVX-512";
#elif defined(__AVX2__)
  return "native x86-64, AVX2";
#elif defined(__SSE2__)
  return "native x86-64, SSE2";
#else
  return "native";
#endif
}

}  // namespace ae
