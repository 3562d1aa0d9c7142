import Synchronization

/// A shared byte budget that operators charge for their hash tables and buffers.
///
/// Charging is approximate (operators charge when a structure grows, by the bytes it allocates)
/// and thread-safe, so partitions of one query running in parallel share one budget.
public final class MemoryBudget: Sendable {
  /// The limit in bytes.
  public let limit: Int
  private let used = Atomic<Int>(0)
  private let peak = Atomic<Int>(0)

  public init(limit: Int) {
    self.limit = limit
  }

  /// A budget that never runs out.
  public static func unlimited() -> MemoryBudget { MemoryBudget(limit: .max) }

  /// Bytes charged and not yet released.
  public var usedBytes: Int { used.load(ordering: .relaxed) }
  /// The largest value `usedBytes` reached.
  public var peakBytes: Int { peak.load(ordering: .relaxed) }

  /// Charges `bytes` to the budget on behalf of `operatorName`, throwing when the limit is passed.
  public func charge(_ bytes: Int, by operatorName: String) throws(ExecError) {
    guard bytes > 0 else { return }
    let (_, now) = used.add(bytes, ordering: .relaxed)
    if now > limit {
      used.subtract(bytes, ordering: .relaxed)
      throw ExecError(
        .memoryLimit,
        "query needs more than the \(Self.describe(limit)) memory limit in \(operatorName)")
    }
    var seen = peak.load(ordering: .relaxed)
    while now > seen {
      let (exchanged, original) = peak.compareExchange(expected: seen, desired: now, ordering: .relaxed)
      if exchanged { break }
      seen = original
    }
  }

  /// Gives back `bytes` charged earlier.
  public func release(_ bytes: Int) {
    guard bytes > 0 else { return }
    used.subtract(bytes, ordering: .relaxed)
  }

  /// "2 GiB", "512 MiB", "1000 bytes".
  static func describe(_ bytes: Int) -> String {
    let units: [(Int, String)] = [(1 << 40, "TiB"), (1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")]
    for (size, name) in units where bytes >= size {
      if bytes % size == 0 { return "\(bytes / size) \(name)" }
      let tenths = bytes * 10 / size
      return "\(tenths / 10).\(tenths % 10) \(name)"
    }
    return "\(bytes) bytes"
  }
}
