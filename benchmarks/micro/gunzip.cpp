// Inflating a gzip event log (src/gzip.hpp, which the log reader inflates through): the backend
// the reader uses (ISA-L's igzip where the build has it) and zlib, beside a scan of the text they
// write. The input is the log's first 64 MiB, compressed once by the library's own gzip.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <benchmark/benchmark.h>

#include "gzip.hpp"
#include "inputs.hpp"
#include "scan.hpp"

namespace mentorcore::micro {

static void gunzip_log(benchmark::State& state, detail::gunzip_backend backend) {
  const micro_inputs& in = inputs();
  static std::array<char, std::size_t{256} << 10> out{};  // the reader's chunk size
  for (auto _ : state) {
    detail::gunzip_stream stream("micro.gz", backend);
    std::string_view packed = in.packed_text;
    std::size_t total = 0;
    while (const std::size_t made = stream.read(packed, true, out)) {
      benchmark::DoNotOptimize(out.data());
      total += made;
    }
    if (total != in.inflated_bytes)
      state.SkipWithError("the inflated size differs from the text's");
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(in.inflated_bytes));
}

static void micro_gunzip(benchmark::State& state) {
  gunzip_log(state, detail::gunzip_backends().front());
}
BENCHMARK(micro_gunzip)->Unit(benchmark::kMillisecond)->UseRealTime();

// zlib, what the reader used before ISA-L (and uses in a build without it). No scan of its own:
// micro_gunzip_scan is its limit too.
static void micro_gunzip_zlib(benchmark::State& state) {
  gunzip_log(state, detail::gunzip_backend::zlib);
}
BENCHMARK(micro_gunzip_zlib)->Unit(benchmark::kMillisecond)->UseRealTime();

static void micro_gunzip_scan(benchmark::State& state) {
  const micro_inputs& in = inputs();
  const std::string_view text = std::string_view(in.text).substr(0, in.inflated_bytes);
  for (auto _ : state) benchmark::DoNotOptimize(scan_bytes(text));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(text.size()));
}
BENCHMARK(micro_gunzip_scan)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace mentorcore::micro
