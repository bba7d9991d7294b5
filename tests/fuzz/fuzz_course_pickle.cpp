// libFuzzer target for pickled Course state: an embedded Python interpreter runs
// course_pickle_state.run (beside this file) on each input, against the mentorcore._core built
// in this tree with the fuzzer's coverage and ASan/UBSan, so the bindings' conversions (where a
// hand-made state or a NumPy array once crashed the process) are what is fuzzed. Any exception
// other than mentorcore.Error, a crash or a sanitizer report is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include <pybind11/embed.h>

namespace py = pybind11;

// Python keeps objects alive until exit and caches between inputs: not leaks worth reporting.
extern "C" const char* __asan_default_options() {  // NOLINT(readability-identifier-naming)
  return "detect_leaks=0";
}

namespace {

py::object& course_pickle_run() {
  static py::object* run = nullptr;
  if (run == nullptr) {
    // Never finalised: libFuzzer ends the process with exit(), and tearing Python down then
    // only risks reports from extension modules that do not expect it.
    new py::scoped_interpreter();  // NOLINT(cppcoreguidelines-owning-memory)
    const py::module_ sys = py::module_::import("sys");
    py::list path = sys.attr("path");
    path.insert(0, MENTORCORE_FUZZ_DIR);
    path.insert(0, MENTORCORE_PYTHON_SOURCE);
    path.append(MENTORCORE_SITE_PACKAGES);
    // mentorcore._core is the module built beside this target, loaded before the package
    // imports it.
    const py::module_ util = py::module_::import("importlib.util");
    const py::object spec =
        util.attr("spec_from_file_location")("mentorcore._core", MENTORCORE_CORE_MODULE);
    const py::object core = util.attr("module_from_spec")(spec);
    sys.attr("modules")["mentorcore._core"] = core;
    spec.attr("loader").attr("exec_module")(core);
    run = new py::object(py::module_::import("course_pickle_state").attr("run"));  // NOLINT
  }
  return *run;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  try {
    (void)course_pickle_run();
  } catch (const py::error_already_set& e) {
    std::fprintf(stderr, "fuzz_course_pickle: cannot start Python: %s\n", e.what());
    std::abort();
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    course_pickle_run()(py::bytes(reinterpret_cast<const char*>(data), size));
  } catch (const py::error_already_set& e) {
    std::fprintf(stderr, "fuzz_course_pickle: %s\n", e.what());
    std::abort();
  }
  return 0;
}
