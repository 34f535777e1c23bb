// Progress on long work: the terminal bar of the real binary under a
// pseudo-terminal (forkpty), its silence when stdout is not a terminal or
// with --quiet, and the server's log lines (ProgressLog).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <sstream>
#include <string>

#include "absl/strings/str_format.h"
#include "service/progress_log.h"
#include "tests/service/cli_fixture.h"

namespace {

using pm::testing::CliResult;

using ::testing::HasSubstr;
using ::testing::Not;

class ProgressTest : public pm::testing::CliFixture {
 protected:
  // `n` generated profiles as JSON Lines, alternating sides.
  std::string Profiles(int n) {
    static constexpr const char* kThemes[] = {
        "water efficiency", "circular economy", "urban mobility",
        "renewable energy", "cultural heritage", "digital transition"};
    std::string jsonl;
    for (int i = 0; i < n; ++i) {
      jsonl += absl::StrFormat(
          R"({"id": "place-%05d", "name": "Place %d", "kind": "city", )"
          R"("country": "%s", "text": "The city has experience in %s. It )"
          R"(is interested in %s and %s."})"
          "\n",
          i, i, i % 2 ? "CO" : "ES", kThemes[i % 6], kThemes[(i + 1) % 6],
          kThemes[(i + 3) % 6]);
    }
    return WriteFile("cohort.jsonl", jsonl);
  }

  // Runs the binary with `args` on a pseudo-terminal; all it wrote there
  // (stdout and stderr both) and its exit status.
  CliResult RunOnTerminal(const std::vector<std::string>& args) {
    int master = -1;
    const pid_t pid = forkpty(&master, nullptr, nullptr, nullptr);
    if (pid == 0) {
      std::vector<char*> argv = {const_cast<char*>(PM_CLI_BINARY)};
      for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      ::execv(PM_CLI_BINARY, argv.data());
      ::_exit(127);
    }
    CliResult r;
    char buffer[4096];
    for (;;) {
      const ssize_t n = ::read(master, buffer, sizeof buffer);
      if (n <= 0) break;  // EIO once the child has closed the terminal
      r.out.append(buffer, static_cast<size_t>(n));
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    ::close(master);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
  }
};

TEST_F(ProgressTest, ImportShowsABarOnATerminalOnly) {
  const std::string cohort = Profiles(600);
  const std::string db = (dir_ / "big.db").string();
  ASSERT_EQ(Run("init --empty --db " + db).exit_code, 0);
  CliResult tty = RunOnTerminal({"import", cohort, "--db", db});
  ASSERT_EQ(tty.exit_code, 0) << tty.out;
  EXPECT_THAT(tty.out, HasSubstr("extracting themes  [#"));
  EXPECT_THAT(tty.out, HasSubstr("[########################]  600/600"));
  EXPECT_THAT(tty.out, HasSubstr("\r\033[K"));  // redrawn in place, cleared
  EXPECT_THAT(tty.out, HasSubstr("imported 600 profiles"));

  // Opening the large store restores the index the import saved: no bar.
  EXPECT_THAT(RunOnTerminal({"list", "--kind", "region", "--db", db}).out,
              Not(HasSubstr("extracting themes")));
  // Without it the store's index is built again: a bar; none with --quiet.
  std::filesystem::remove(db + ".index");
  EXPECT_THAT(RunOnTerminal({"list", "--kind", "region", "--db", db}).out,
              HasSubstr("extracting themes  ["));
  std::filesystem::remove(db + ".index");
  CliResult quiet = RunOnTerminal({"--quiet", "plan", "--db", db});
  ASSERT_EQ(quiet.exit_code, 0) << quiet.out;
  EXPECT_THAT(quiet.out, Not(HasSubstr("extracting themes")));
  EXPECT_THAT(quiet.out, HasSubstr("Plan for 600 places"));
  // The plan's own long step, the pair scoring, has a bar of its own.
  EXPECT_THAT(RunOnTerminal({"plan", "--db", db}).out,
              HasSubstr("scoring pairs  [########################]  300/300"));

  // Not a terminal: not a byte about progress.
  const std::string other = (dir_ / "other.db").string();
  ASSERT_EQ(Run("init --empty --db " + other).exit_code, 0);
  CliResult piped = Run("import " + cohort + " --db " + other);
  ASSERT_EQ(piped.exit_code, 0) << piped.err;
  EXPECT_EQ(piped.err, "");
  EXPECT_THAT(piped.out, Not(HasSubstr("extracting")));
}

TEST(ProgressLog, LogsTheMilestonesOfLargeTasksOnly) {
  std::ostringstream log;
  pm::service::ProgressLog progress(log);
  progress.Start("extracting themes", 2000);
  for (size_t i = 1; i <= 2000; ++i) progress.Update(i);
  progress.Finish();
  const std::string text = log.str();
  EXPECT_THAT(text, HasSubstr("partner-match: extracting themes: 2,000 to do\n"));
  EXPECT_THAT(text, HasSubstr("partner-match: extracting themes: 2,000/2,000"));
  EXPECT_THAT(text, HasSubstr("(100%)"));
  EXPECT_THAT(text, HasSubstr("partner-match: extracting themes: done, 2,000 in 0:00\n"));
  // At most one line a second between the first and the last: here none.
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 3);

  std::ostringstream small;
  pm::service::ProgressLog quiet(small);
  quiet.Start("extracting themes", 10);
  for (size_t i = 1; i <= 10; ++i) quiet.Update(i);
  quiet.Finish();
  EXPECT_EQ(small.str(), "");
}

}  // namespace
