import Foundation
import Testing

@testable import Parquet

/// Deterministic generator (SplitMix64) so failures reproduce.
struct EncodingTestRandom: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  mutating func bytes(_ count: Int) -> [UInt8] {
    (0..<count).map { _ in UInt8.random(in: 0...255, using: &self) }
  }
}

/// The value counts every round trip covers.
let edgeCounts = [0, 1, 7, 8, 9, 127, 128, 129, 1000]

/// Runs `body` with the bytes copied into an exactly sized allocation, so any read past the
/// end hits memory the sanitizer-less build may still catch as garbage, and counts are exact.
func withExactBytes<R>(_ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
  let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 1)
  defer { buffer.deallocate() }
  buffer.copyBytes(from: bytes)
  return try body(UnsafeRawBufferPointer(rebasing: buffer[0..<bytes.count]))
}

func hexBytes(_ hex: String) -> [UInt8] {
  var out: [UInt8] = []
  out.reserveCapacity(hex.utf8.count / 2)
  var high: UInt8?
  for c in hex.utf8 {
    let v: UInt8 =
      switch c {
      case 48...57: c - 48
      case 97...102: c - 87
      default: c - 55
      }
    if let h = high {
      out.append(h << 4 | v)
      high = nil
    } else {
      high = v
    }
  }
  return out
}

/// Splits offsets/bytes output into one array per value.
func splitValues(_ offsets: [Int32], _ bytes: [UInt8]) -> [[UInt8]] {
  guard offsets.count > 1 else { return [] }
  return (0..<(offsets.count - 1)).map { Array(bytes[Int(offsets[$0])..<Int(offsets[$0 + 1])]) }
}

/// Builds offsets/bytes from arrays.
func joinValues(_ values: [[UInt8]]) -> (offsets: [Int32], bytes: [UInt8]) {
  var offsets: [Int32] = [0]
  var bytes: [UInt8] = []
  for v in values {
    bytes += v
    offsets.append(Int32(bytes.count))
  }
  return (offsets, bytes)
}

/// Asserts that `body` throws a ParquetError (never crashes or succeeds).
func expectParquetError(_ comment: Comment? = nil, _ body: () throws -> Void) {
  do {
    try body()
    Issue.record("expected a ParquetError: \(comment?.description ?? "")")
  } catch let error as ParquetError {
    #expect(error.code == .corrupt || error.code == .truncated || error.code == .unsupported, "\(error)")
  } catch {
    Issue.record("unexpected error type: \(error)")
  }
}

/// Runs `body` and swallows ParquetErrors: for fuzzing, where either outcome is fine but a
/// crash or hang is not.
func tolerateParquetError(_ body: () throws -> Void) {
  do { try body() } catch is ParquetError {} catch { Issue.record("unexpected error type: \(error)") }
}
