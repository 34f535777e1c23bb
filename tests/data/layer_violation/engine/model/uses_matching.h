// A model header that includes a higher layer: check_layers.sh must refuse it.
#include "engine/matching/match_index.h"
