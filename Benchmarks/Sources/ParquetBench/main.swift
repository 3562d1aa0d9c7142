import Columnar
import Parquet
import Storage

#if canImport(Glibc)
  import Glibc
#endif

/// CPU time (user + system) of the whole process so far.
func cpuSeconds() -> Double {
  var usage = rusage()
  getrusage(RUSAGE_SELF.rawValue, &usage)
  let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
  let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
  return user + system
}

/// Wall-clock seconds of `body`, with the CPU seconds it used in `cpu`.
func seconds(cpu: inout Double, _ body: () throws -> Void) rethrows -> Double {
  var start = timespec()
  clock_gettime(CLOCK_MONOTONIC, &start)
  let cpuStart = cpuSeconds()
  try body()
  var end = timespec()
  clock_gettime(CLOCK_MONOTONIC, &end)
  cpu = cpuSeconds() - cpuStart
  return Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9
}

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
  print("usage: parquet-bench read|read-parallel FILE | write INPUT OUTPUT")
  exit(2)
}

switch arguments[1] {
case "read", "read-parallel":
  // "read" decodes on one thread, like pyarrow with use_threads=False; "read-parallel" uses every core.
  let path = arguments[2]
  let parallel = arguments[1] == "read-parallel"
  var best = Double.infinity
  var bestCPU = Double.infinity
  var rows = 0
  for _ in 0..<3 {
    var cpu = 0.0
    let elapsed = try seconds(cpu: &cpu) {
      var reader = try ParquetFileReader(path: path)
      reader.decodesInParallel = parallel
      rows = 0
      for group in 0..<reader.rowGroupCount { rows += try reader.readRowGroup(group).rowCount }
    }
    best = min(best, elapsed)
    bestCPU = min(bestCPU, cpu)
  }
  print("{\"engine\":\"avocet\",\"op\":\"\(arguments[1])\",\"rows\":\(rows),\"seconds\":\(best),\"cpu\":\(bestCPU)}")
case "write":
  // Same data as pyarrow's write run: the rows of the input file, held in memory first.
  guard arguments.count >= 4 else {
    print("usage: parquet-bench write INPUT OUTPUT")
    exit(2)
  }
  let reader = try ParquetFileReader(path: arguments[2])
  let batches = try reader.readAll()
  let rows = batches.reduce(0) { $0 + $1.rowCount }
  var best = Double.infinity
  var bestCPU = Double.infinity
  for _ in 0..<3 {
    unlink(arguments[3])
    var cpu = 0.0
    let elapsed = try seconds(cpu: &cpu) {
      var writer = try ParquetFileWriter(
        file: try LocalWritableFile(path: arguments[3]), schema: reader.schema.schema, options: ParquetWriteOptions())
      for batch in batches { try writer.write(batch) }
      _ = try writer.close()
    }
    best = min(best, elapsed)
    bestCPU = min(bestCPU, cpu)
  }
  print("{\"engine\":\"avocet\",\"op\":\"write\",\"rows\":\(rows),\"seconds\":\(best),\"cpu\":\(bestCPU)}")
default:
  print("unknown command \(arguments[1])")
  exit(2)
}
