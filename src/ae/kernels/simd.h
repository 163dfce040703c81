// simd.h — a 4-lane float vector for the kernels: wasm_simd128.h in WebAssembly, GCC/Clang vector
// extensions natively (SSE2 on any x86-64), so one kernel source builds and is tested on both.
// Internal to src/ae/kernels.
#pragma once

#include <cstdint>
#include <cstring>

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#endif

namespace ae::kernels::simd {

#if defined(__wasm_simd128__)
using f4 = v128_t;
inline f4 load(const float* p) { return wasm_v128_load(p); }
inline void store(float* p, f4 v) { wasm_v128_store(p, v); }
inline f4 splat(float x) { return wasm_f32x4_splat(x); }
inline f4 load_splat(const float* p) { return wasm_v128_load32_splat(p); }
inline f4 add(f4 a, f4 b) { return wasm_f32x4_add(a, b); }
inline f4 sub(f4 a, f4 b) { return wasm_f32x4_sub(a, b); }
inline f4 mul(f4 a, f4 b) { return wasm_f32x4_mul(a, b); }
inline f4 div(f4 a, f4 b) { return wasm_f32x4_div(a, b); }
// pmin/pmax: one instruction each (minps/maxps), no NaN fix-ups like f32x4.min/max.
inline f4 min(f4 a, f4 b) { return wasm_f32x4_pmin(a, b); }
inline f4 max(f4 a, f4 b) { return wasm_f32x4_pmax(a, b); }
inline f4 abs(f4 a) { return wasm_f32x4_abs(a); }
inline f4 sqrt(f4 a) { return wasm_f32x4_sqrt(a); }
inline f4 floor(f4 a) { return wasm_f32x4_floor(a); }
inline f4 gt(f4 a, f4 b) { return wasm_f32x4_gt(a, b); }                 // all-ones mask where a > b
inline f4 lt(f4 a, f4 b) { return wasm_f32x4_lt(a, b); }
inline f4 select(f4 mask, f4 a, f4 b) { return wasm_v128_bitselect(a, b, mask); }  // mask ? a : b
inline f4 bit_and(f4 a, f4 b) { return wasm_v128_and(a, b); }
inline f4 bit_or(f4 a, f4 b) { return wasm_v128_or(a, b); }
inline f4 int_bits(int32_t x) { return wasm_i32x4_splat(x); }
inline f4 to_int(f4 a) { return wasm_i32x4_trunc_sat_f32x4(a); }       // float → int32 lanes
inline f4 int_to_float(f4 a) { return wasm_f32x4_convert_i32x4(a); }
inline f4 int_add(f4 a, f4 b) { return wasm_i32x4_add(a, b); }
inline f4 int_sub(f4 a, f4 b) { return wasm_i32x4_sub(a, b); }
inline f4 int_shl(f4 a, int s) { return wasm_i32x4_shl(a, s); }
inline f4 int_shr(f4 a, int s) { return wasm_u32x4_shr(a, s); }
#else
typedef float f4 __attribute__((vector_size(16)));
typedef int32_t i4 __attribute__((vector_size(16)));
typedef uint32_t u4 __attribute__((vector_size(16)));
inline f4 load(const float* p) { f4 v; std::memcpy(&v, p, 16); return v; }
inline void store(float* p, f4 v) { std::memcpy(p, &v, 16); }
inline f4 splat(float x) { return f4{x, x, x, x}; }
inline f4 load_splat(const float* p) { return splat(*p); }
inline f4 add(f4 a, f4 b) { return a + b; }
inline f4 sub(f4 a, f4 b) { return a - b; }
inline f4 mul(f4 a, f4 b) { return a * b; }
inline f4 div(f4 a, f4 b) { return a / b; }
inline f4 gt(f4 a, f4 b) { return (f4)(a > b); }
inline f4 lt(f4 a, f4 b) { return (f4)(a < b); }
inline f4 select(f4 mask, f4 a, f4 b) { return (f4)(((i4)mask & (i4)a) | (~(i4)mask & (i4)b)); }
inline f4 min(f4 a, f4 b) { return select(lt(b, a), b, a); }
inline f4 max(f4 a, f4 b) { return select(lt(a, b), b, a); }
inline f4 abs(f4 a) { return (f4)((i4)a & 0x7fffffff); }
inline f4 sqrt(f4 a) { return f4{__builtin_sqrtf(a[0]), __builtin_sqrtf(a[1]), __builtin_sqrtf(a[2]), __builtin_sqrtf(a[3])}; }
inline f4 floor(f4 a) { return f4{__builtin_floorf(a[0]), __builtin_floorf(a[1]), __builtin_floorf(a[2]), __builtin_floorf(a[3])}; }
inline f4 bit_and(f4 a, f4 b) { return (f4)((i4)a & (i4)b); }
inline f4 bit_or(f4 a, f4 b) { return (f4)((i4)a | (i4)b); }
inline f4 int_bits(int32_t x) { return (f4)(i4{x, x, x, x}); }
inline f4 to_int(f4 a) { return (f4)__builtin_convertvector(a, i4); }
inline f4 int_to_float(f4 a) { return __builtin_convertvector((i4)a, f4); }
inline f4 int_add(f4 a, f4 b) { return (f4)((i4)a + (i4)b); }
inline f4 int_sub(f4 a, f4 b) { return (f4)((i4)a - (i4)b); }
inline f4 int_shl(f4 a, int s) { return (f4)((i4)a << s); }
inline f4 int_shr(f4 a, int s) { return (f4)((u4)a >> s); }
#endif

// e^x, Cephes' expf: x = n ln2 + r, |r| ≤ ½ ln2, e^r by a degree-6 polynomial, 2ⁿ from the bits.
// Inputs are clamped to [−87.3, 88.37] (e^x then stays a normal float or 0/huge, never Inf/NaN
// unless x is NaN).
inline f4 exp(f4 x) {
  x = min(max(x, splat(-87.3365447504f)), splat(88.3762626647949f));
  f4 fx = floor(add(mul(x, splat(1.44269504088896341f)), splat(0.5f)));
  x = sub(x, mul(fx, splat(0.693359375f)));
  x = sub(x, mul(fx, splat(-2.12194440e-4f)));
  f4 y = splat(1.9875691500e-4f);
  y = add(mul(y, x), splat(1.3981999507e-3f));
  y = add(mul(y, x), splat(8.3334519073e-3f));
  y = add(mul(y, x), splat(4.1665795894e-2f));
  y = add(mul(y, x), splat(1.6666665459e-1f));
  y = add(mul(y, x), splat(5.0000001201e-1f));
  y = add(add(mul(y, mul(x, x)), x), splat(1.0f));
  const f4 pow2n = int_shl(int_add(to_int(fx), int_bits(127)), 23);
  return mul(y, pow2n);
}

// log x for x > 0 (normal floats), Cephes' logf: x = m 2ᵉ, m in [√½, √2), log(1 + (m − 1)) by a
// degree-9 polynomial.
inline f4 log(f4 x) {
  x = max(x, int_bits(0x00800000));  // smallest normal
  f4 e = int_sub(int_shr(x, 23), int_bits(126));
  x = bit_or(bit_and(x, int_bits(~0x7f800000)), int_bits(0x3f000000));  // m in [0.5, 1)
  f4 ef = int_to_float(e);
  const f4 small = lt(x, splat(0.707106781186547524f));
  ef = sub(ef, bit_and(small, splat(1.0f)));
  x = add(sub(x, splat(1.0f)), bit_and(small, x));
  const f4 z = mul(x, x);
  f4 y = splat(7.0376836292e-2f);
  y = add(mul(y, x), splat(-1.1514610310e-1f));
  y = add(mul(y, x), splat(1.1676998740e-1f));
  y = add(mul(y, x), splat(-1.2420140846e-1f));
  y = add(mul(y, x), splat(1.4249322787e-1f));
  y = add(mul(y, x), splat(-1.6668057665e-1f));
  y = add(mul(y, x), splat(2.0000714765e-1f));
  y = add(mul(y, x), splat(-2.4999993993e-1f));
  y = add(mul(y, x), splat(3.3333331174e-1f));
  y = mul(mul(y, x), z);
  y = add(y, mul(ef, splat(-2.12194440e-4f)));
  y = sub(y, mul(z, splat(0.5f)));
  x = add(x, y);
  return add(x, mul(ef, splat(0.693359375f)));
}

}  // namespace ae::kernels::simd
