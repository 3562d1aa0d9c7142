import Delta
import Dispatch
import Synchronization

/// The output of `avocet files`: one line per live file, as text or as its `add` action in JSON.
///
/// A table may have hundreds of thousands of files, so lines are built as bytes, a few thousand
/// files per task and a wave of tasks at a time across the cores, and written in order.
enum FileListing {
  static let filesPerTask = 4096

  static func write(_ files: [AddFile], json: Bool, to out: inout StandardOutput) {
    let wave = filesPerTask * 4
    var start = 0
    while start < files.count, !out.closed {
      let end = min(files.count, start + wave)
      let taskCount = (end - start + filesPerTask - 1) / filesPerTask
      let chunks = ChunkSlots(count: taskCount)
      let waveStart = start
      DispatchQueue.concurrentPerform(iterations: taskCount) { task in
        let from = waveStart + task * filesPerTask
        var bytes: [UInt8] = []
        bytes.reserveCapacity((min(end, from + filesPerTask) - from) * (json ? 512 : 160))
        for index in from..<min(end, from + filesPerTask) {
          if json {
            files[index].appendJSON(to: &bytes)
            bytes.append(UInt8(ascii: "\n"))
          } else {
            appendLine(files[index], to: &bytes)
          }
        }
        chunks.set(task, bytes)
      }
      for chunk in chunks.values() {
        out.write(chunk)
        if out.closed { break }
      }
      start = end
    }
  }

  /// `path  SIZE bytes  [k=v …]  [N rows]  [N deleted]`, partition values sorted by column.
  static func appendLine(_ add: AddFile, to line: inout [UInt8]) {
    line.append(contentsOf: add.path.utf8)
    line.append(contentsOf: [0x20, 0x20])
    appendDecimal(add.size, to: &line)
    line.append(contentsOf: " bytes".utf8)
    if !add.partitionValues.isEmpty {
      line.append(contentsOf: [0x20, 0x20])
      var first = true
      for (key, value) in add.partitionValues.sorted(by: { $0.key < $1.key }) {
        if !first { line.append(0x20) }
        first = false
        line.append(contentsOf: key.utf8)
        line.append(UInt8(ascii: "="))
        line.append(contentsOf: value.utf8)
      }
    }
    if let records = add.stats.flatMap({ FileStatistics.numRecords(json: $0) }) ?? add.parsedStats?.numRecords {
      line.append(contentsOf: [0x20, 0x20])
      appendDecimal(records, to: &line)
      line.append(contentsOf: " rows".utf8)
    }
    if let dv = add.deletionVector {
      line.append(contentsOf: [0x20, 0x20])
      appendDecimal(dv.cardinality, to: &line)
      line.append(contentsOf: " deleted".utf8)
    }
    line.append(UInt8(ascii: "\n"))
  }

  /// The decimal digits of `value`, without building a String.
  static func appendDecimal(_ value: Int64, to line: inout [UInt8]) {
    if value < 0 { line.append(UInt8(ascii: "-")) }
    var magnitude = value.magnitude
    var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for 20 digits
    var count = 0
    withUnsafeMutableBytes(of: &digits) { buffer in
      repeat {
        buffer[23 - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
        magnitude /= 10
        count += 1
      } while magnitude > 0
      line.append(contentsOf: buffer[(24 - count)...])
    }
  }
}

/// One byte buffer per task, written from concurrent workers (each slot by exactly one).
private final class ChunkSlots: Sendable {
  private let slots: Mutex<[[UInt8]]>

  init(count: Int) { slots = Mutex(Array(repeating: [], count: count)) }

  func set(_ index: Int, _ bytes: [UInt8]) { slots.withLock { $0[index] = bytes } }

  func values() -> [[UInt8]] { slots.withLock { $0 } }
}
