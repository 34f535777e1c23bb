#include "service/cli/graphviz.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "absl/strings/str_cat.h"

namespace pm::cli {
namespace {

using Clock = std::chrono::steady_clock;

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

// A running `dot`: its process and the read ends of its output pipes.
struct DotProcess {
  pid_t pid = -1;
  Fd out, err;
};

// Starts `program -Tsvg` on `dot` (through an unlinked temporary file).
absl::Status StartDot(const std::string& program, std::string_view dot,
                      DotProcess& proc) {
  Fd input, out_write, err_write;
  if (absl::Status s = TempInput(dot, input); !s.ok()) return s;
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return Errno("pipe");
  proc.out.fd = fds[0];
  out_write.fd = fds[1];
  if (::pipe2(fds, O_CLOEXEC) != 0) return Errno("pipe");
  proc.err.fd = fds[0];
  err_write.fd = fds[1];
  absl::StatusOr<pid_t> pid =
      Spawn(program, input.fd, out_write.fd, err_write.fd);
  if (!pid.ok()) return pid.status();
  proc.pid = *pid;
  return absl::OkStatus();
}

// Kills the process and reaps it; returns `why`.
absl::Status KillDot(pid_t pid, absl::Status why) {
  ::kill(pid, SIGKILL);
  while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
  }
  return why;
}

absl::Status TooLate(const SvgRenderOptions& options) {
  return absl::DeadlineExceededError(absl::StrCat(
      "Graphviz 'dot' did not finish within ", options.timeout_ms, " ms"));
}

// Reads the process's output into `svg` and (its first 64 KiB) its errors
// into `err` until both pipes close, within `deadline` and the output
// limit. On error the process is killed.
absl::Status ReadOutput(DotProcess& proc, Clock::time_point deadline,
                        const SvgRenderOptions& options, std::string& svg,
                        std::string& err) {
  constexpr size_t kMaxStderr = 64 << 10;
  char buffer[1 << 16];
  while (proc.out.fd >= 0 || proc.err.fd >= 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - Clock::now())
                          .count();
    if (left <= 0) return KillDot(proc.pid, TooLate(options));
    pollfd polls[2];
    nfds_t count = 0;
    for (Fd* fd : {&proc.out, &proc.err}) {
      if (fd->fd >= 0) polls[count++] = pollfd{fd->fd, POLLIN, 0};
    }
    const int ready = ::poll(polls, count, static_cast<int>(left));
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) return KillDot(proc.pid, Errno("poll"));
    for (nfds_t i = 0; i < count; ++i) {
      if (polls[i].revents == 0) continue;
      const bool is_out = polls[i].fd == proc.out.fd;
      const ssize_t n = ::read(polls[i].fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        (is_out ? proc.out : proc.err).Close();
        continue;
      }
      if (is_out) {
        svg.append(buffer, static_cast<size_t>(n));
        if (svg.size() > options.max_output_bytes) {
          return KillDot(proc.pid, absl::ResourceExhaustedError(absl::StrCat(
                                       "the SVG drawing is over the limit of ",
                                       options.max_output_bytes, " bytes")));
        }
      } else if (err.size() < kMaxStderr) {
        err.append(buffer, static_cast<size_t>(n));
      }
    }
  }
  return absl::OkStatus();
}

// Both pipes closed: the program is exiting; waits for it within the
// deadline and returns its wait status.
absl::StatusOr<int> WaitForDot(pid_t pid, Clock::time_point deadline,
                               const SvgRenderOptions& options) {
  int status = 0;
  for (;;) {
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) return status;
    if (r < 0 && errno != EINTR) return Errno("waitpid");
    if (Clock::now() >= deadline) return KillDot(pid, TooLate(options));
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

}  // namespace

absl::StatusOr<std::string> RenderSvg(std::string_view dot,
                                      const SvgRenderOptions& options) {
  if (dot.size() > options.max_input_bytes) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "the DOT graph has ", dot.size(), " bytes, over the limit of ",
        options.max_input_bytes, " for rendering"));
  }
  absl::StatusOr<std::string> program = FindDot(options.dot_program);
  if (!program.ok()) return program.status();
  DotProcess proc;
  if (absl::Status s = StartDot(*program, dot, proc); !s.ok()) return s;
  const auto deadline =
      Clock::now() + std::chrono::milliseconds(options.timeout_ms);
  std::string svg, err;
  if (absl::Status s = ReadOutput(proc, deadline, options, svg, err); !s.ok()) {
    return s;
  }
  absl::StatusOr<int> status = WaitForDot(proc.pid, deadline, options);
  if (!status.ok()) return status.status();
  if (WIFSIGNALED(*status)) {
    return absl::InternalError(absl::StrCat(
        "Graphviz 'dot' was killed by signal ", WTERMSIG(*status)));
  }
  if (!WIFEXITED(*status) || WEXITSTATUS(*status) != 0 ||
      svg.find("<svg") == std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("Graphviz 'dot' failed: ", FirstErrorLine(err)));
  }
  return svg;
}

}  // namespace pm::cli
