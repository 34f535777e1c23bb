#include "engine/graph/graph_dot.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/graphviz.hpp>
#include <cassert>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <sstream>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace pm {
namespace {

// ---- DOT text ------------------------------------------------------------

// `text` escaped for the inside of a quoted DOT escString (no quotes).
std::string Escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (u < 0x20 || u == 0x7f) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

// Lines joined by Graphviz's centred line break "\n", quoted.
std::string QuoteLines(const std::vector<std::string>& lines) {
  std::string out = "\"";
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) out += "\\n";
    out += Escape(lines[i]);
  }
  out += '"';
  return out;
}

// An attribute list: key=value pairs, values already quoted or numeric.
class Attributes {
 public:
  Attributes& Add(std::string_view key, std::string value) {
    if (!text_.empty()) text_ += ", ";
    absl::StrAppend(&text_, std::string(key), "=", value);
    return *this;
  }
  Attributes& Quoted(std::string_view key, std::string_view value) {
    return Add(key, DotQuote(value));
  }
  Attributes& Number(std::string_view key, double value) {
    return Add(key, absl::StrFormat("%.3g", value));
  }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

struct DotVertex {
  std::string attributes;
};
struct DotEdge {
  std::string attributes;
};
using DotGraph = boost::adjacency_list<boost::vecS, boost::vecS,
                                       boost::undirectedS, DotVertex, DotEdge>;

// Writes `g` with Boost's writer; `graph_lines` go first in the body
// (graph, node and edge defaults), each ending in ';'.
std::string Write(const DotGraph& g,
                  const std::vector<std::string>& graph_lines) {
  std::ostringstream out;
  boost::write_graphviz(
      out, g,
      [&g](std::ostream& os, DotGraph::vertex_descriptor v) {
        os << " [" << g[v].attributes << "]";
      },
      [&g](std::ostream& os, DotGraph::edge_descriptor e) {
        os << "[" << g[e].attributes << "]";
      },
      [&graph_lines](std::ostream& os) {
        for (const std::string& line : graph_lines) os << line << "\n";
      });
  return out.str();
}

constexpr const char* kEuFill = "#cfe2ff";
constexpr const char* kPartnerFill = "#ffe5b4";

std::string Side(const IndexedProfile& p) {
  return p.eu_member ? "EU member" : "partner country";
}

// The attributes every place's node has.
Attributes PlaceNode(const IndexedProfile& p, const std::string& suffix) {
  Attributes a;
  a.Quoted("id", p.profile.id);
  std::vector<std::string> lines = {p.profile.name,
                                    absl::StrCat("(", p.profile.country, ")")};
  if (!suffix.empty()) lines.back() += " · " + suffix;
  a.Add("label", QuoteLines(lines));
  a.Quoted("tooltip", absl::StrCat(p.profile.name, " (", p.profile.id, ", ",
                                   p.profile.country, ", ", Side(p),
                                   suffix.empty() ? "" : ", ", suffix, ")"));
  a.Quoted("fillcolor", p.eu_member ? kEuFill : kPartnerFill);
  return a;
}

// Colours for cluster borders (ColorBrewer Dark2 and Set1).
constexpr const char* kClusterColours[] = {
    "#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02",
    "#a6761d", "#e41a1c", "#377eb8", "#4daf4a", "#984ea3", "#ff7f00"};
constexpr size_t kClusterColourCount =
    sizeof(kClusterColours) / sizeof(kClusterColours[0]);

// ---- Running dot ---------------------------------------------------------

bool IsExecutableFile(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
         ::access(path.c_str(), X_OK) == 0;
}

absl::StatusOr<std::string> FindDot(const std::string& program) {
  constexpr const char* kMissing = "Graphviz 'dot' is not installed";
  if (!program.empty()) {
    if (IsExecutableFile(program)) return program;
    return absl::FailedPreconditionError(
        absl::StrCat(kMissing, " (no executable ", program, ")"));
  }
  const char* env = std::getenv("PATH");
  const std::string path = env != nullptr && *env != '\0'
                               ? std::string(env)
                               : std::string("/usr/local/bin:/usr/bin:/bin");
  size_t begin = 0;
  while (begin <= path.size()) {
    size_t end = path.find(':', begin);
    if (end == std::string::npos) end = path.size();
    const std::string dir = path.substr(begin, end - begin);
    // Relative entries (and the empty one, the working directory) are not
    // searched: a server must not run whatever lies in its working directory.
    if (!dir.empty() && dir[0] == '/' && IsExecutableFile(dir + "/dot")) {
      return dir + "/dot";
    }
    begin = end + 1;
  }
  return absl::FailedPreconditionError(absl::StrCat(
      kMissing, " (no 'dot' on PATH; install the graphviz package)"));
}

absl::Status Errno(const char* what) {
  return absl::InternalError(
      absl::StrCat("cannot render SVG: ", what, ": ", std::strerror(errno)));
}

// Closes a descriptor on scope exit.
struct Fd {
  int fd = -1;
  ~Fd() { Close(); }
  void Close() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
};

// An unlinked temporary file holding `content`, positioned at its start.
absl::Status TempInput(std::string_view content, Fd& file) {
  const char* tmpdir = std::getenv("TMPDIR");
  std::string name =
      absl::StrCat(tmpdir != nullptr && tmpdir[0] == '/' ? tmpdir : "/tmp",
                   "/partner-match-dot-XXXXXX");
  file.fd = ::mkostemp(name.data(), O_CLOEXEC);
  if (file.fd < 0) return Errno("temporary file");
  ::unlink(name.c_str());
  for (size_t done = 0; done < content.size();) {
    const ssize_t n =
        ::write(file.fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Errno("writing the temporary file");
    done += static_cast<size_t>(n);
  }
  if (::lseek(file.fd, 0, SEEK_SET) != 0)
    return Errno("seeking the temporary file");
  return absl::OkStatus();
}

// Starts `program -Tsvg` reading `input`, writing to `out` and `err`.
absl::StatusOr<pid_t> Spawn(const std::string& program, int input, int out,
                            int err) {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  if (posix_spawn_file_actions_init(&actions) != 0)
    return Errno("spawn actions");
  if (posix_spawnattr_init(&attr) != 0) {
    posix_spawn_file_actions_destroy(&actions);
    return Errno("spawn attributes");
  }
  posix_spawn_file_actions_adddup2(&actions, input, 0);
  posix_spawn_file_actions_adddup2(&actions, out, 1);
  posix_spawn_file_actions_adddup2(&actions, err, 2);
#if defined(__GLIBC__) && \
    (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);
#endif
  // Default dispositions and no blocked signals in the child, whatever the
  // server set for itself (a server often ignores SIGPIPE).
  sigset_t all, none;
  sigfillset(&all);
  sigemptyset(&none);
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr,
                           POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

  std::string arg0 = "dot", arg1 = "-Tsvg";
  char* argv[] = {arg0.data(), arg1.data(), nullptr};
  // SERVER_NAME set (and GV_FILE_PATH not) disables Graphviz's loading of
  // image and other files named by the input.
  std::string env0 = "SERVER_NAME=partner-match";
  char* envp[] = {env0.data(), nullptr};
  pid_t pid = -1;
  const int rc =
      posix_spawn(&pid, program.c_str(), &actions, &attr, argv, envp);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc == ENOENT || rc == EACCES) {
    return absl::FailedPreconditionError(
        absl::StrCat("Graphviz 'dot' is not installed (cannot run ", program,
                     ": ", std::strerror(rc), ")"));
  }
  if (rc != 0) {
    errno = rc;
    return Errno("starting Graphviz 'dot'");
  }
  return pid;
}

// The first line of dot's complaint, for a message a person can act on.
std::string FirstErrorLine(const std::string& err) {
  std::string first;
  size_t begin = 0;
  while (begin < err.size()) {
    size_t end = err.find('\n', begin);
    if (end == std::string::npos) end = err.size();
    std::string line = err.substr(begin, end - begin);
    begin = end + 1;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    if (first.empty()) first = line;
    if (line.find("rror") != std::string::npos) {
      first = line;
      break;
    }
  }
  if (first.empty()) first = "no message";
  constexpr size_t kMaxMessage = 300;
  if (first.size() > kMaxMessage) first = first.substr(0, kMaxMessage) + "…";
  return first;
}

}  // namespace

std::string DotQuote(std::string_view text) {
  return absl::StrCat("\"", Escape(text), "\"");
}

std::string SimilarityGraphDot(const MatchIndex& index,
                               const SimilarityGraph& graph,
                               const std::vector<ThematicCluster>& clusters) {
  std::map<size_t, size_t> cluster_of;  // row -> cluster
  for (size_t c = 0; c < clusters.size(); ++c) {
    for (size_t r : clusters[c].members) cluster_of[r] = c;
  }
  DotGraph g;
  std::map<size_t, DotGraph::vertex_descriptor> vertex_of;
  for (size_t row : graph.rows) {
    assert(row < index.size());
    const auto it = cluster_of.find(row);
    Attributes a = PlaceNode(
        index.at(row),
        it == cluster_of.end() ? "" : absl::StrCat("C", it->second + 1));
    if (it != cluster_of.end()) {
      a.Quoted("color", kClusterColours[it->second % kClusterColourCount]);
      a.Add("penwidth", "2.5");
    }
    vertex_of[row] = boost::add_vertex(DotVertex{a.text()}, g);
  }
  for (const SimilarityEdge& e : graph.edges) {
    assert(vertex_of.count(e.a) && vertex_of.count(e.b));
    Attributes a;
    a.Quoted("label", absl::StrFormat("%.2f", e.weight));
    a.Number("penwidth", 0.5 + 3.5 * e.weight);
    a.Number("len", 2.5 - 1.5 * e.weight);
    a.Quoted("tooltip", absl::StrCat(index.at(e.a).profile.name, " — ",
                                     index.at(e.b).profile.name, ": ",
                                     absl::StrFormat("%.3f", e.weight)));
    const auto ca = cluster_of.find(e.a), cb = cluster_of.find(e.b);
    if (!clusters.empty()) {
      if (ca != cluster_of.end() && cb != cluster_of.end() &&
          ca->second == cb->second) {
        a.Quoted("color", kClusterColours[ca->second % kClusterColourCount]);
      } else {
        a.Quoted("color", "#999999");
        a.Quoted("style", "dashed");
      }
    }
    boost::add_edge(vertex_of[e.a], vertex_of[e.b], DotEdge{a.text()}, g);
  }
  return Write(g, {"graph [layout=\"neato\", overlap=\"false\", "
                   "splines=\"true\", fontname=\"Helvetica\"];",
                   "node [shape=\"box\", style=\"rounded,filled\", "
                   "fontname=\"Helvetica\", fontsize=\"10\"];",
                   "edge [fontname=\"Helvetica\", fontsize=\"8\"];"});
}

std::string PairingPlanDot(const MatchIndex& index, const PlanDot& plan) {
  DotGraph g;
  std::map<size_t, DotGraph::vertex_descriptor> vertex_of;
  const auto vertex = [&](size_t row, bool unmatched) {
    assert(row < index.size());
    auto it = vertex_of.find(row);
    if (it != vertex_of.end()) return it->second;
    Attributes a = PlaceNode(index.at(row), unmatched ? "unmatched" : "");
    if (unmatched) a.Quoted("style", "rounded,filled,dashed");
    return vertex_of[row] = boost::add_vertex(DotVertex{a.text()}, g);
  };
  const auto link = [&](const PlanDotPair& p, bool label,
                        const PlanDotGroup& group) {
    Attributes a;
    if (label) a.Quoted("label", absl::StrFormat("%.3f", p.score));
    a.Number("penwidth", 1 + 6 * std::clamp(p.score, 0.0, 1.0));
    if (p.same_side) {
      a.Quoted("color", "#999999");
      a.Quoted("style", "dotted");
    } else {
      a.Quoted("color", group.members.size() > 2 ? "#7570b3" : "#333333");
      if (p.fixed) a.Quoted("style", "bold");
    }
    a.Quoted("tooltip", absl::StrCat(index.at(p.a).profile.name, " — ",
                                     index.at(p.b).profile.name, ": ",
                                     absl::StrFormat("%.3f", p.score),
                                     p.fixed ? " (fixed)" : "",
                                     p.same_side ? " (same side)" : ""));
    boost::add_edge(vertex(p.a, false), vertex(p.b, false), DotEdge{a.text()},
                    g);
  };
  for (const PlanDotGroup& group : plan.groups) {
    for (size_t row : group.members) vertex(row, false);
    if (!group.pairs.empty()) {
      for (const PlanDotPair& p : group.pairs) link(p, true, group);
    } else {
      const bool pair = group.members.size() == 2;
      for (size_t i = 0; i < group.members.size(); ++i) {
        for (size_t j = i + 1; j < group.members.size(); ++j) {
          link({group.members[i], group.members[j], group.score, false,
                group.fixed},
               pair, group);
        }
      }
    }
  }
  for (size_t row : plan.unmatched) vertex(row, true);
  return Write(g, {"graph [rankdir=\"LR\", fontname=\"Helvetica\"];",
                   "node [shape=\"box\", style=\"rounded,filled\", "
                   "fontname=\"Helvetica\", fontsize=\"10\"];",
                   "edge [fontname=\"Helvetica\", fontsize=\"8\"];"});
}

absl::StatusOr<std::string> RenderSvg(std::string_view dot,
                                      const SvgRenderOptions& options) {
  if (dot.size() > options.max_input_bytes) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "the DOT graph has ", dot.size(), " bytes, over the limit of ",
        options.max_input_bytes, " for rendering"));
  }
  absl::StatusOr<std::string> program = FindDot(options.dot_program);
  if (!program.ok()) return program.status();

  Fd input, out_read, out_write, err_read, err_write;
  if (absl::Status s = TempInput(dot, input); !s.ok()) return s;
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return Errno("pipe");
  out_read.fd = fds[0];
  out_write.fd = fds[1];
  if (::pipe2(fds, O_CLOEXEC) != 0) return Errno("pipe");
  err_read.fd = fds[0];
  err_write.fd = fds[1];
  absl::StatusOr<pid_t> pid =
      Spawn(*program, input.fd, out_write.fd, err_write.fd);
  if (!pid.ok()) return pid.status();
  input.Close();
  out_write.Close();
  err_write.Close();

  using Clock = std::chrono::steady_clock;
  const auto deadline =
      Clock::now() + std::chrono::milliseconds(options.timeout_ms);
  const auto kill_child = [&](absl::Status why) {
    ::kill(*pid, SIGKILL);
    while (::waitpid(*pid, nullptr, 0) < 0 && errno == EINTR) {
    }
    return why;
  };
  constexpr size_t kMaxStderr = 64 << 10;
  std::string svg, err;
  char buffer[1 << 16];
  while (out_read.fd >= 0 || err_read.fd >= 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - Clock::now())
                          .count();
    if (left <= 0) {
      return kill_child(absl::DeadlineExceededError(absl::StrCat(
          "Graphviz 'dot' did not finish within ", options.timeout_ms, " ms")));
    }
    pollfd polls[2];
    nfds_t count = 0;
    for (Fd* fd : {&out_read, &err_read}) {
      if (fd->fd >= 0) polls[count++] = pollfd{fd->fd, POLLIN, 0};
    }
    const int ready = ::poll(polls, count, static_cast<int>(left));
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) return kill_child(Errno("poll"));
    for (nfds_t i = 0; i < count; ++i) {
      if (polls[i].revents == 0) continue;
      const bool is_out = polls[i].fd == out_read.fd;
      const ssize_t n = ::read(polls[i].fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        (is_out ? out_read : err_read).Close();
        continue;
      }
      if (is_out) {
        svg.append(buffer, static_cast<size_t>(n));
        if (svg.size() > options.max_output_bytes) {
          return kill_child(absl::ResourceExhaustedError(
              absl::StrCat("the SVG drawing is over the limit of ",
                           options.max_output_bytes, " bytes")));
        }
      } else if (err.size() < kMaxStderr) {
        err.append(buffer, static_cast<size_t>(n));
      }
    }
  }
  // Both pipes closed: the program is exiting; wait for it within the
  // deadline.
  int status = 0;
  for (;;) {
    const pid_t r = ::waitpid(*pid, &status, WNOHANG);
    if (r == *pid) break;
    if (r < 0 && errno != EINTR) return Errno("waitpid");
    if (Clock::now() >= deadline) {
      return kill_child(absl::DeadlineExceededError(absl::StrCat(
          "Graphviz 'dot' did not finish within ", options.timeout_ms, " ms")));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  if (WIFSIGNALED(status)) {
    return absl::InternalError(
        absl::StrCat("Graphviz 'dot' was killed by signal ", WTERMSIG(status)));
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
      svg.find("<svg") == std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("Graphviz 'dot' failed: ", FirstErrorLine(err)));
  }
  return svg;
}

}  // namespace pm
