#include "service/engine/source_locator.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace backchat::engine {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::TextFormat;

SourceLocator::SourceLocator(std::string path,
                             const TextFormat::ParseInfoTree* tree,
                             const Descriptor* root)
    : path_(std::move(path)), tree_(tree), root_(root) {}

std::string SourceLocator::At(std::initializer_list<FieldStep> steps) const {
  const TextFormat::ParseInfoTree* tree = tree_;
  const Descriptor* type = root_;
  int line = -1;
  int column = -1;
  for (const FieldStep& step : steps) {
    if (tree == nullptr || type == nullptr) break;
    const FieldDescriptor* field = type->FindFieldByName(std::string(step.field));
    if (field == nullptr) break;
    // Protobuf aborts on a repeated field asked for without an index: a
    // step without one means its first element.
    const int index = field->is_repeated() ? std::max(step.index, 0) : -1;
    const TextFormat::ParseLocation location = tree->GetLocation(field, index);
    if (location.line < 0) break;
    line = location.line;
    column = location.column;
    if (field->message_type() == nullptr) break;
    tree = tree->GetTreeForNested(field, index);
    type = field->message_type();
  }
  if (line < 0) return path_;
  return absl::StrCat(path_, ":", line + 1, ":", column + 1);
}

}  // namespace backchat::engine
