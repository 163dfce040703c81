// pca.cpp — pca.h's templates, compiled once here for float and double (explicit instantiation; the
// list is in pca.h). The decompositions behind them are in decompositions.cpp.
#include "pca.h"

namespace ae {

AE_PCA_INSTANCES(, float)
AE_PCA_INSTANCES(, double)

}  // namespace ae
