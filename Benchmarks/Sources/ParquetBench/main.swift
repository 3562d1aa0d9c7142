import Columnar
import Parquet
import Storage

#if canImport(Glibc)
  import Glibc
#endif

/// Times reading every column of a Parquet file on one thread (best of three).
func seconds(_ body: () throws -> Void) rethrows -> Double {
  var start = timespec()
  clock_gettime(CLOCK_MONOTONIC, &start)
  try body()
  var end = timespec()
  clock_gettime(CLOCK_MONOTONIC, &end)
  return Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9
}

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
  print("usage: parquet-bench read FILE")
  exit(2)
}

switch arguments[1] {
case "read":
  let path = arguments[2]
  var best = Double.infinity
  var rows = 0
  for _ in 0..<3 {
    let elapsed = try seconds {
      let reader = try ParquetFileReader(path: path)
      rows = 0
      for group in 0..<reader.rowGroupCount { rows += try reader.readRowGroup(group).rowCount }
    }
    best = min(best, elapsed)
  }
  print("{\"engine\":\"avocet\",\"op\":\"read\",\"rows\":\(rows),\"seconds\":\(best)}")
default:
  print("unknown command \(arguments[1])")
  exit(2)
}
