// version.h — the engine's version, shown by `aelab --version` and in the app's About box.
#pragma once

namespace ae {
constexpr const char* kVersion = "0.1.0";
const char* build_description();  // compiler, target and SIMD flags of this build
}  // namespace ae
