#include "benchmarks/eval_set.h"

#include <algorithm>
#include <fstream>
#include <numeric>
#include <sstream>

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "engine/geo/gazetteer.h"
#include "engine/io/profile_format.h"

namespace pm {
namespace {

absl::StatusOr<std::string> Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

absl::StatusOr<google::protobuf::Struct> ParseObject(std::string_view json,
                                                     const std::string& where) {
  google::protobuf::Struct root;
  if (!google::protobuf::util::JsonStringToMessage(std::string(json), &root)
           .ok()) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": not a JSON object"));
  }
  return root;
}

int Find(std::vector<int>& parent, int x) {
  while (parent[x] != x) x = parent[x] = parent[parent[x]];
  return x;
}

}  // namespace

absl::StatusOr<EvalSet> EvalSet::Load(const std::string& dir,
                                      const std::string& topics_file,
                                      const Taxonomy& taxonomy) {
  EvalSet set;
  const std::string profiles_file = dir + "/dev_profiles.jsonl";
  auto text = Slurp(profiles_file);
  if (!text.ok()) return text.status();
  auto profiles = ParseProfilesJsonl(*text, profiles_file, Gazetteer::Bundled());
  if (!profiles.ok()) return profiles.status();
  set.profiles = *std::move(profiles);

  const std::string pairings_file = dir + "/dev_pairings.json";
  auto pairings_text = Slurp(pairings_file);
  if (!pairings_text.ok()) return pairings_text.status();
  auto root = ParseObject(*pairings_text, pairings_file);
  if (!root.ok()) return root.status();
  auto it = root->fields().find("pairings");
  if (it == root->fields().end()) {
    return absl::InvalidArgumentError(
        absl::StrCat(pairings_file, ": no 'pairings' list"));
  }
  for (const auto& p : it->second.list_value().values()) {
    Pairing pairing;
    const auto& fields = p.struct_value().fields();
    auto members = fields.find("members");
    if (members == fields.end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          pairings_file, ": pairing ", set.pairings.size(), " has no members"));
    }
    for (const auto& m : members->second.list_value().values()) {
      pairing.members.push_back(m.string_value());
    }
    set.pairings.push_back(std::move(pairing));
  }

  auto topics_text = Slurp(topics_file);
  if (!topics_text.ok()) return topics_text.status();
  int line_number = 0;
  for (absl::string_view piece : absl::StrSplit(*topics_text, '\n')) {
    const std::string line(piece);
    ++line_number;
    if (line.empty()) continue;
    const std::string where = absl::StrCat(topics_file, ":", line_number);
    auto object = ParseObject(line, where);
    if (!object.ok()) return object.status();
    const auto& fields = object->fields();
    auto index = fields.find("pairing");
    auto topics = fields.find("topics");
    if (index == fields.end() || topics == fields.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": needs 'pairing' and 'topics'"));
    }
    const auto i = static_cast<size_t>(index->second.number_value());
    if (i >= set.pairings.size()) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": no pairing ", i));
    }
    for (const auto& t : topics->second.list_value().values()) {
      const int theme = taxonomy.IndexOf(t.string_value());
      if (theme < 0) {
        return absl::InvalidArgumentError(absl::StrCat(
            where, ": unknown theme '", t.string_value().substr(0, 40), "'"));
      }
      set.pairings[i].topics.push_back(theme);
    }
  }

  // Connected components of the pairing graph.
  std::map<std::string, int> node;
  for (const Pairing& p : set.pairings) {
    for (const std::string& m : p.members) node.emplace(m, 0);
  }
  int next = 0;
  for (auto& [id, n] : node) n = next++;
  std::vector<int> parent(static_cast<size_t>(next));
  std::iota(parent.begin(), parent.end(), 0);
  for (const Pairing& p : set.pairings) {
    for (const std::string& m : p.members) {
      parent[Find(parent, node[m])] = Find(parent, node[p.members.front()]);
    }
  }
  std::map<int, int> component_of_root;
  for (const auto& [id, n] : node) {
    const int root_node = Find(parent, n);
    auto [c, inserted] = component_of_root.emplace(
        root_node, static_cast<int>(component_of_root.size()));
    set.component[id] = c->second;
  }
  set.components = static_cast<int>(component_of_root.size());
  return set;
}

std::vector<Query> EvalSet::Queries(const MatchIndex& index) const {
  std::map<std::string, std::set<std::string>> partners;
  for (const Pairing& p : pairings) {
    for (const auto& a : p.members) {
      for (const auto& b : p.members) {
        if (a != b) partners[a].insert(b);
      }
    }
  }
  std::vector<Query> queries;
  for (size_t a = 0; a < index.size(); ++a) {
    const std::string& id = index.at(a).profile.id;
    auto it = partners.find(id);
    if (it == partners.end()) continue;
    Query q;
    q.id = id;
    q.row = a;
    for (const std::string& b : it->second) {
      auto row = index.Find(b);
      if (row && index.at(*row).eu_member != index.at(a).eu_member) {
        q.real.insert(b);
      }
    }
    if (q.real.empty()) continue;
    q.component = component.at(id);
    q.fold = fold_of_component.empty() ? 0 : fold_of_component[q.component];
    queries.push_back(std::move(q));
  }
  return queries;
}

void EvalSet::AssignFolds(const MatchIndex& index, int k) {
  folds = k;
  fold_of_component.assign(static_cast<size_t>(components), 0);
  std::vector<int> size(static_cast<size_t>(components), 0);
  for (const Query& q : Queries(index)) ++size[q.component];
  std::vector<int> order(static_cast<size_t>(components));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int x, int y) { return size[x] > size[y]; });
  std::vector<int> load(static_cast<size_t>(k), 0);
  for (int c : order) {
    const int f = static_cast<int>(
        std::min_element(load.begin(), load.end()) - load.begin());
    fold_of_component[c] = f;
    load[f] += size[c];
  }
}

std::set<int> EvalSet::Topics(const std::string& a,
                              const std::string& b) const {
  std::set<int> out;
  for (const Pairing& p : pairings) {
    const auto has = [&](const std::string& id) {
      return std::find(p.members.begin(), p.members.end(), id) !=
             p.members.end();
    };
    if (has(a) && has(b)) out.insert(p.topics.begin(), p.topics.end());
  }
  return out;
}

}  // namespace pm
