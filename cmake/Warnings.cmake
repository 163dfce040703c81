# Warnings for our own targets (third-party sources compiled into the build are left alone).
function(aelab_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wno-unused-parameter)
  # GCC 12 with -march=native (the native-release preset) on an AVX-512 CPU warns "'__Y' may be used
  # uninitialized" hundreds of times inside its own avx512fintrin.h, where Eigen's packet code calls
  # the intrinsics: a known false positive of GCC 12 (gcc.gnu.org bug 105593), not our code's.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_FLAGS MATCHES "-march=native")
    target_compile_options(${target} PRIVATE -Wno-maybe-uninitialized)
  endif()
endfunction()
