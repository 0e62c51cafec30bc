#include "service/dialog_tools/dialog_diff.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "service/engine/engine.h"
#include "service/engine/level_name.h"
#include "service/dialog_tools/path_explorer.h"

namespace backchat::engine {
namespace {


// ------------------------------------------------------------- outcomes

// A question as both versions see it: options by id (the old version's
// order, then the new one's additions).
struct JointQuestion {
  int old_index = -1;
  int new_index = -1;
  std::vector<std::string> option_ids;
  std::vector<AnswerClass> classes;
};

struct Side {
  const CompiledDialog* dialog;
  SessionState state;
  Step step;
};

class JointExplorer {
 public:
  JointExplorer(const CompiledDialog& old_dialog, const CompiledDialog& new_dialog,
                size_t max_paths, DialogDiff* out)
      : old_(old_dialog), new_(new_dialog), max_paths_(max_paths), out_(out) {}

  absl::Status Run() {
    Side old_side{&old_, NewSessionState(old_), {}};
    old_side.step = NextStep(old_, old_side.state);
    Side new_side{&new_, NewSessionState(new_), {}};
    new_side.step = NextStep(new_, new_side.state);
    Walk(std::move(old_side), std::move(new_side), 1);
    if (!error_.ok()) return error_;
    std::vector<OutcomeChange> changes;
    for (auto& [key, change] : groups_) changes.push_back(std::move(change));
    std::stable_sort(changes.begin(), changes.end(), [](const auto& a, const auto& b) {
      auto rank = [](const OutcomeChange& c) { return c.less_urgent ? 0 : c.more_urgent ? 1 : 2; };
      if (rank(a) != rank(b)) return rank(a) < rank(b);
      return a.paths > b.paths;
    });
    out_->outcome_changes = std::move(changes);
    return absl::OkStatus();
  }

 private:
  const JointQuestion* Joint(const std::string& id) {
    if (auto it = joint_.find(id); it != joint_.end()) return &it->second;
    JointQuestion joint;
    joint.old_index = old_.QuestionIndex(id);
    joint.new_index = new_.QuestionIndex(id);
    std::vector<bool> exclusive;
    bool multiple = false;
    std::vector<OptionMask> masks;
    for (const CompiledDialog* dialog : {&old_, &new_}) {
      const int q = dialog == &old_ ? joint.old_index : joint.new_index;
      if (q < 0) continue;
      const CompiledQuestion& question = dialog->questions[q];
      multiple |= question.multiple_choice();
      std::vector<int> to_joint;
      for (const CompiledOption& option : question.options) {
        auto at = std::find(joint.option_ids.begin(), joint.option_ids.end(), option.id);
        if (at == joint.option_ids.end()) {
          joint.option_ids.push_back(option.id);
          exclusive.push_back(option.exclusive);
          at = joint.option_ids.end() - 1;
        }
        const int j = static_cast<int>(at - joint.option_ids.begin());
        exclusive[j] = exclusive[j] || option.exclusive;
        to_joint.push_back(j);
      }
      for (OptionMask mask : ClauseMasks(*dialog, q)) {
        OptionMask joint_mask = 0;
        for (size_t o = 0; o < to_joint.size(); ++o) {
          if ((mask >> o) & 1) joint_mask |= OptionMask{1} << to_joint[o];
        }
        masks.push_back(joint_mask);
      }
    }
    if (joint.option_ids.size() > static_cast<size_t>(kMaxOptionsPerQuestion)) {
      error_ = absl::FailedPreconditionError(
          absl::StrCat("question \"", id, "\": more than 64 options in the two versions together"));
      return nullptr;
    }
    std::string error;
    joint.classes = AnswerClassesOf(id, exclusive, multiple, masks, &error);
    if (!error.empty()) {
      error_ = absl::FailedPreconditionError(error);
      return nullptr;
    }
    return &joint_.emplace(id, std::move(joint)).first->second;
  }

  // `joint` (over joint.option_ids) as the options of `dialog`'s question
  // `q`; 0 when that version lacks one of them.
  static OptionMask ToSide(const JointQuestion& joint, OptionMask mask,
                           const CompiledQuestion& question) {
    OptionMask out = 0;
    for (size_t j = 0; j < joint.option_ids.size(); ++j) {
      if (!((mask >> j) & 1)) continue;
      const int o = question.OptionIndex(joint.option_ids[j]);
      if (o < 0) return 0;
      out |= OptionMask{1} << o;
    }
    return out;
  }

  // Applies the sheet's answers to the side's questions, as long as it asks
  // questions the sheet answers. False when it cannot take one of them.
  bool Advance(Side* side) {
    while (!side->step.finished) {
      const CompiledQuestion& question = side->dialog->questions[side->step.question];
      const auto given = std::find_if(sheet_.begin(), sheet_.end(),
                                      [&](const auto& entry) { return entry.first == question.id; });
      if (given == sheet_.end()) return true;
      const OptionMask mask = ToSide(joint_.at(question.id), given->second, question);
      if (mask == 0 ||
          !ApplyAnswerAt(*side->dialog, side->step, side->step.question, mask, &side->state).ok()) {
        return false;
      }
      side->step = NextStep(*side->dialog, side->state);
    }
    return true;
  }

  void Walk(Side old_side, Side new_side, double combinations) {
    if (!error_.ok()) return;
    if (!Advance(&old_side) || !Advance(&new_side)) {
      out_->combinations_one_side_only += combinations;
      return;
    }
    if (old_side.step.finished && new_side.step.finished) {
      if (++out_->paths_compared > max_paths_) {
        error_ = absl::FailedPreconditionError(
            absl::StrCat("more than ", max_paths_, " paths; the diff stops here"));
        return;
      }
      Compare(old_side.step, new_side.step, combinations);
      return;
    }
    const Side& asking = old_side.step.finished ? new_side : old_side;
    const std::string id = asking.dialog->questions[asking.step.question].id;
    const JointQuestion* joint = Joint(id);
    if (joint == nullptr) return;
    for (const AnswerClass& answer : joint->classes) {
      sheet_.emplace_back(id, answer.representative);
      Walk(old_side, new_side, combinations * answer.size);
      sheet_.pop_back();
    }
  }

  void Compare(const Step& old_step, const Step& new_step, double combinations) {
    std::vector<std::string> changes;
    bool less = false, more = false;
    if (old_step.level != new_step.level) {
      less = new_step.level > old_step.level;  // Larger values are less urgent.
      more = !less;
      changes.push_back(absl::StrCat("level ", LevelName(old_step.level), " -> ",
                                     LevelName(new_step.level)));
    }
    std::set<std::string> old_flags, new_flags;
    for (int f : old_step.fired_flags) old_flags.insert(old_.red_flags[f].id);
    for (int f : new_step.fired_flags) new_flags.insert(new_.red_flags[f].id);
    std::vector<std::string> removed, added;
    std::set_difference(old_flags.begin(), old_flags.end(), new_flags.begin(), new_flags.end(),
                        std::back_inserter(removed));
    std::set_difference(new_flags.begin(), new_flags.end(), old_flags.begin(), old_flags.end(),
                        std::back_inserter(added));
    if (!removed.empty()) changes.push_back(absl::StrCat("red flags removed: ", absl::StrJoin(removed, ", ")));
    if (!added.empty()) changes.push_back(absl::StrCat("red flags added: ", absl::StrJoin(added, ", ")));
    auto technique = [](const CompiledDialog& d, const Step& s) -> std::string {
      return s.technique_rule < 0 ? "(none)" : d.techniques[d.technique_rules[s.technique_rule].technique].id;
    };
    auto frequency = [](const CompiledDialog& d, const Step& s) -> std::string {
      return s.frequency_rule < 0 ? "(none)" : d.frequency_rules[s.frequency_rule].id;
    };
    if (technique(old_, old_step) != technique(new_, new_step)) {
      changes.push_back(absl::StrCat("technique: ", technique(old_, old_step), " -> ",
                                     technique(new_, new_step)));
    }
    if (frequency(old_, old_step) != frequency(new_, new_step)) {
      changes.push_back(absl::StrCat("frequency: ", frequency(old_, old_step), " -> ",
                                     frequency(new_, new_step)));
    }
    if (changes.empty()) return;
    // A change of level is the kind that matters; the flags and advice that
    // differ with it show in the example's outcomes.
    if (less || more) changes.resize(1);
    auto [it, inserted] = groups_.try_emplace(absl::StrJoin(changes, "\n"));
    OutcomeChange& group = it->second;
    if (inserted) {
      group.changes = changes;
      group.less_urgent = less;
      group.more_urgent = more;
      for (const auto& [id, mask] : sheet_) {
        DiffAnswer answer{id, {}};
        const JointQuestion& joint = joint_.at(id);
        for (size_t j = 0; j < joint.option_ids.size(); ++j) {
          if ((mask >> j) & 1) answer.options.push_back(joint.option_ids[j]);
        }
        group.example.push_back(std::move(answer));
      }
      group.old_outcome = std::string(absl::StripPrefix(
          absl::StripTrailingAsciiWhitespace(PathTranscript(old_, {}, old_step)), "=> "));
      group.new_outcome = std::string(absl::StripPrefix(
          absl::StripTrailingAsciiWhitespace(PathTranscript(new_, {}, new_step)), "=> "));
    }
    ++group.paths;
    group.combinations += combinations;
  }

  const CompiledDialog& old_;
  const CompiledDialog& new_;
  const size_t max_paths_;
  DialogDiff* out_;
  absl::Status error_;
  // By question id; a std::map, so that pointers to entries stay valid.
  std::map<std::string, JointQuestion> joint_;
  std::vector<std::pair<std::string, OptionMask>> sheet_;
  std::map<std::string, OutcomeChange> groups_;
};

// ------------------------------------------------------------- content

std::string Quote(absl::string_view text) {
  if (text.size() > 120) return absl::StrCat("\"", text.substr(0, 117), "...\"");
  return absl::StrCat("\"", text, "\"");
}

// A rule as text over ids, for comparing versions: "q in {a, b} and r in
// {c} | ...", or "always".
std::string RuleText(const CompiledDialog& dialog, const Rule& rule) {
  if (rule.any.empty()) return "always";
  std::vector<std::string> any;
  for (const Conjunction& conjunction : rule.any) {
    std::vector<std::string> all;
    for (const Clause& clause : conjunction.clauses) {
      const CompiledQuestion& q = dialog.questions[clause.question];
      std::vector<absl::string_view> ids = q.OptionIds(clause.options);
      std::sort(ids.begin(), ids.end());
      all.push_back(absl::StrCat(q.id, " in {", absl::StrJoin(ids, ", "), "}"));
    }
    std::sort(all.begin(), all.end());
    any.push_back(absl::StrJoin(all, " and "));
  }
  std::sort(any.begin(), any.end());
  return absl::StrJoin(any, " | ");
}

class ContentComparer {
 public:
  explicit ContentComparer(std::vector<ContentChange>* out) : out_(out) {}

  void Structure(const CompiledDialog& a, const CompiledDialog& b) {
    ById(a.questions, b.questions, "question", "question", [&](const CompiledQuestion& x, const CompiledQuestion& y) {
      const std::string where = absl::StrCat("question ", x.id);
      if (x.kind != y.kind) Add("question kind changed", where, "");
      Changed("question asked when (ask_if) changed", where, RuleText(a, x.ask_if), RuleText(b, y.ask_if));
      ById(x.options, y.options, "option", absl::StrCat(where, ", option"),
           [&](const CompiledOption& o, const CompiledOption& p) {
             if (o.exclusive != p.exclusive) {
               Add("option exclusiveness changed", absl::StrCat(where, ", option ", o.id), "");
             }
           });
    });
    ById(a.red_flags, b.red_flags, "red flag", "red flag", [&](const CompiledRedFlag& x, const CompiledRedFlag& y) {
      const std::string where = absl::StrCat("red flag ", x.id);
      Changed("red flag level changed", where, std::string(LevelName(x.level)),
              std::string(LevelName(y.level)));
      Changed("red flag condition (when) changed", where, RuleText(a, x.rule), RuleText(b, y.rule));
    });
    RuleList(a, b, a.technique_rules, b.technique_rules, "technique rule",
             [&](const CompiledTechniqueRule& x, const CompiledTechniqueRule& y) {
               Changed("technique rule's technique changed", absl::StrCat("technique rule ", x.id),
                       a.techniques[x.technique].id, b.techniques[y.technique].id);
             });
    RuleList(a, b, a.frequency_rules, b.frequency_rules, "frequency rule",
             [](const CompiledFrequencyRule&, const CompiledFrequencyRule&) {});
  }

  // The texts of one language in both versions (same locale).
  void Texts(const CompiledDialog& a, const CompiledDialog& b) {
    const std::string lang = absl::StrCat(" (", a.locale, ")");
    Changed("title reworded", absl::StrCat("title", lang), a.title, b.title);
    Changed("disclaimer reworded", absl::StrCat("disclaimer", lang), a.disclaimer, b.disclaimer);
    for (const CompiledQuestion& x : a.questions) {
      const int j = b.QuestionIndex(x.id);
      if (j < 0) continue;
      const CompiledQuestion& y = b.questions[j];
      Changed("question reworded", absl::StrCat("question ", x.id, lang), x.text, y.text);
      Changed("question help reworded", absl::StrCat("question ", x.id, lang), x.help, y.help);
      for (const CompiledOption& o : x.options) {
        const int p = y.OptionIndex(o.id);
        if (p < 0) continue;
        Changed("option reworded", absl::StrCat("question ", x.id, ", option ", o.id, lang), o.label,
                y.options[p].label);
      }
    }
    for (const CompiledRedFlag& x : a.red_flags) {
      for (const CompiledRedFlag& y : b.red_flags) {
        if (x.id == y.id) {
          Changed("red flag reason reworded", absl::StrCat("red flag ", x.id, lang), x.reason, y.reason);
        }
      }
    }
    for (size_t level = 1; level < a.level_texts.size() && level < b.level_texts.size(); ++level) {
      const std::string where =
          absl::StrCat("level ", LevelName(static_cast<Level>(level)), lang);
      Changed("level headline reworded", where, a.level_texts[level].headline,
              b.level_texts[level].headline);
      Changed("level next steps reworded", where, a.level_texts[level].next_steps,
              b.level_texts[level].next_steps);
    }
  }

 private:
  void Add(std::string kind, std::string where, std::string detail) {
    out_->push_back({std::move(kind), std::move(where), std::move(detail)});
  }
  void Changed(const std::string& kind, const std::string& where, const std::string& before,
               const std::string& after) {
    if (before != after) Add(kind, where, absl::StrCat(Quote(before), " -> ", Quote(after)));
  }

  // Items matched by id: removed, added, then `same(a, b)` for the others.
  // `kind` names the items ("red flag"), `where` prefixes an item's id.
  template <typename T, typename Same>
  void ById(const std::vector<T>& a, const std::vector<T>& b, const std::string& kind,
            const std::string& where, Same same) {
    for (const T& x : a) {
      auto y = std::find_if(b.begin(), b.end(), [&](const T& t) { return t.id == x.id; });
      if (y == b.end()) {
        Add(absl::StrCat(kind, " removed"), absl::StrCat(where, " ", x.id), "");
      } else {
        same(x, *y);
      }
    }
    for (const T& y : b) {
      if (std::none_of(a.begin(), a.end(), [&](const T& t) { return t.id == y.id; })) {
        Add(absl::StrCat(kind, " added"), absl::StrCat(where, " ", y.id), "");
      }
    }
  }

  // Ordered rules (the first that holds wins): by id, then the order.
  template <typename T, typename Same>
  void RuleList(const CompiledDialog& da, const CompiledDialog& db, const std::vector<T>& a,
                const std::vector<T>& b, const std::string& what, Same same) {
    ById(a, b, what, what, [&](const T& x, const T& y) {
      same(x, y);
      Changed(absl::StrCat(what, " condition (when) changed"), absl::StrCat(what, " ", x.id),
              RuleText(da, x.rule), RuleText(db, y.rule));
    });
    std::vector<std::string> order_a, order_b;
    for (const T& x : a) {
      if (std::any_of(b.begin(), b.end(), [&](const T& t) { return t.id == x.id; })) order_a.push_back(x.id);
    }
    for (const T& y : b) {
      if (std::any_of(a.begin(), a.end(), [&](const T& t) { return t.id == y.id; })) order_b.push_back(y.id);
    }
    if (order_a != order_b) {
      Add(absl::StrCat(what, "s reordered"), absl::StrCat(what, "s"),
          absl::StrCat(absl::StrJoin(order_a, ", "), " -> ", absl::StrJoin(order_b, ", ")));
    }
  }

  std::vector<ContentChange>* out_;
};

std::string FormatCount(double value) {
  // Whole numbers with thousands separators; counts can exceed int64.
  std::string digits = absl::StrFormat("%.0f", value);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

}  // namespace

absl::StatusOr<std::vector<DialogDiff>> DiffDialogs(const DialogSet& old_set,
                                                    const DialogSet& new_set, size_t max_paths) {
  std::vector<DialogDiff> diffs;
  auto find = [](const DialogSet& set, const std::string& id) -> const DialogBundle* {
    for (const auto& bundle : set.bundles) {
      if (bundle->id() == id) return bundle.get();
    }
    return nullptr;
  };
  for (const auto& old_bundle : old_set.bundles) {
    DialogDiff diff;
    diff.id = old_bundle->id();
    diff.old_version = old_bundle->version();
    const DialogBundle* new_bundle = find(new_set, old_bundle->id());
    if (new_bundle == nullptr) {
      diff.content_changes.push_back({"dialog removed", absl::StrCat("dialog ", diff.id), ""});
      diffs.push_back(std::move(diff));
      continue;
    }
    diff.new_version = new_bundle->version();
    JointExplorer explorer(old_bundle->base(), new_bundle->base(), max_paths, &diff);
    if (absl::Status explored = explorer.Run(); !explored.ok()) {
      return absl::FailedPreconditionError(
          absl::StrCat("dialog ", diff.id, ": ", explored.message()));
    }
    ContentComparer content(&diff.content_changes);
    content.Structure(old_bundle->base(), new_bundle->base());
    const auto old_languages = old_bundle->Languages();
    const auto new_languages = new_bundle->Languages();
    for (const auto& old_language : old_languages) {
      const auto match = std::find_if(new_languages.begin(), new_languages.end(),
                                      [&](const auto& l) { return l->locale == old_language->locale; });
      if (match == new_languages.end()) {
        diff.content_changes.push_back(
            {"language removed", absl::StrCat("language ", old_language->locale), ""});
        continue;
      }
      content.Texts(*old_language, **match);
    }
    for (const auto& new_language : new_languages) {
      if (std::none_of(old_languages.begin(), old_languages.end(),
                       [&](const auto& l) { return l->locale == new_language->locale; })) {
        diff.content_changes.push_back(
            {"language added", absl::StrCat("language ", new_language->locale), ""});
      }
    }
    diffs.push_back(std::move(diff));
  }
  for (const auto& new_bundle : new_set.bundles) {
    if (find(old_set, new_bundle->id()) != nullptr) continue;
    DialogDiff diff;
    diff.id = new_bundle->id();
    diff.new_version = new_bundle->version();
    diff.content_changes.push_back({"dialog added", absl::StrCat("dialog ", diff.id), ""});
    diffs.push_back(std::move(diff));
  }
  return diffs;
}

std::string DiffAsText(const std::vector<DialogDiff>& diffs) {
  std::string out;
  for (const DialogDiff& diff : diffs) {
    absl::StrAppend(&out, "dialog ", diff.id, ": ",
                    diff.old_version.empty() ? "(none)" : diff.old_version, " -> ",
                    diff.new_version.empty() ? "(none)" : diff.new_version, "\n");
    if (diff.empty()) {
      absl::StrAppend(&out, "  no change: every one of ", diff.paths_compared,
                      " answer classes has the same outcome, and every text is the same\n");
      continue;
    }
    absl::StrAppend(&out, "  outcomes: ", diff.outcome_changes.size(),
                    diff.outcome_changes.size() == 1 ? " kind" : " kinds", " of change over ",
                    diff.paths_compared, " answer classes compared");
    if (diff.combinations_one_side_only > 0) {
      absl::StrAppend(&out, "; ", FormatCount(diff.combinations_one_side_only),
                      " answer combinations only one version offers");
    }
    absl::StrAppend(&out, "\n");
    for (const OutcomeChange& change : diff.outcome_changes) {
      absl::StrAppend(&out, change.less_urgent ? "  !! LESS URGENT: " : "  * ",
                      absl::StrJoin(change.changes, "; "), "\n      ", change.paths,
                      " answer classes, ", FormatCount(change.combinations),
                      " answer combinations; for example:\n");
      for (const DiffAnswer& answer : change.example) {
        absl::StrAppend(&out, "        ", answer.question, " = ",
                        absl::StrJoin(answer.options, " + "), "\n");
      }
      absl::StrAppend(&out, "        => was: ", change.old_outcome, "\n        => now: ",
                      change.new_outcome, "\n");
    }
    if (!diff.content_changes.empty()) {
      absl::StrAppend(&out, "  content: ", diff.content_changes.size(),
                      diff.content_changes.size() == 1 ? " change\n" : " changes\n");
      for (const ContentChange& change : diff.content_changes) {
        absl::StrAppend(&out, "    ", change.kind, ": ", change.where,
                        change.detail.empty() ? "" : ": ", change.detail, "\n");
      }
    }
  }
  return out;
}

}  // namespace backchat::engine
