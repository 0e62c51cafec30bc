// A picture of a dialog, in Graphviz DOT.
#ifndef BACKCHAT_SERVICE_DIALOG_TOOLS_DIALOG_GRAPH_H_
#define BACKCHAT_SERVICE_DIALOG_TOOLS_DIALOG_GRAPH_H_

#include <string>

#include "service/engine/compiled_dialog.h"

namespace backchat::engine {

// Questions as boxes, outcomes as ovals coloured by level (EMERGENCY red,
// URGENT orange, SEE_DOCTOR yellow, SELF_CARE green), and an edge for every
// step some conversation takes, labelled with the answers that take it.
// Built from the exploration of every path, so it shows what the dialog
// does, skips included, not only what the file lists.
std::string DialogGraphDot(const CompiledDialog& dialog);

}  // namespace backchat::engine

#endif  // BACKCHAT_SERVICE_DIALOG_TOOLS_DIALOG_GRAPH_H_
