// A test fixture that runs the real partner-match binary (PM_CLI_BINARY) in
// a temporary directory of the test's own, with a store path db_.
#ifndef PARTNER_MATCH_TESTS_SERVICE_CLI_FIXTURE_H_
#define PARTNER_MATCH_TESTS_SERVICE_CLI_FIXTURE_H_

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace pm::testing {

struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

class CliFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("cli_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = (dir_ / "store.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Runs the binary with `args` (already shell-quoted where needed), no
  // standard input; its exit status and what it printed.
  CliResult Run(const std::string& args) {
    const std::string out = (dir_ / "out.txt").string();
    const std::string err = (dir_ / "err.txt").string();
    const std::string command = std::string(PM_CLI_BINARY) + " " + args +
                                " >" + out + " 2>" + err + " </dev/null";
    const int status = std::system(command.c_str());
    CliResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = Slurp(out);
    r.err = Slurp(err);
    return r;
  }

  // The store db_, created by `init` (the bundled profiles) on first use:
  // commands other than init refuse a store path that does not exist.
  const std::string& Store() {
    if (!store_ready_) {
      const CliResult r = Run("init --db " + db_);
      EXPECT_EQ(r.exit_code, 0) << r.err;
      store_ready_ = true;
    }
    return db_;
  }

  // Writes `content` to `name` in the test's directory; returns its path.
  std::string WriteFile(const std::string& name, const std::string& content) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }

  static std::string Slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }

  std::filesystem::path dir_;
  std::string db_;
  bool store_ready_ = false;
};

}  // namespace pm::testing

#endif  // PARTNER_MATCH_TESTS_SERVICE_CLI_FIXTURE_H_
