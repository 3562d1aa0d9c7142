public import Columnar
import Digest

/// Synthetic network flow logs, shaped like the seed blog's firewall data: deterministic for a
/// seed, streamed in batches so any number of rows fits in bounded memory.
///
/// Rows come in time order across `days` days from `start`, so partitions by day are contiguous.
public struct NetflowGenerator: Sendable {
  public static let schema = Schema([
    Field("event_time", .timestamp(.microsecond, utc: true)),
    Field("event_id", .string),
    Field("internal_ip", .string),
    Field("internal_port", .int32),
    Field("client_ip", .string),
    Field("client_port", .int32),
    Field("direction", .string),
    Field("action", .string),
    Field("total_bytes", .int64),
    Field("total_packets", .int64),
    Field("year", .int32),
    Field("month", .int32),
    Field("day", .int32),
  ])

  /// Common service ports, weighted toward web traffic.
  static let servicePorts: [Int32] = [443, 443, 443, 80, 80, 22, 25, 53, 53, 3306, 3389, 8080, 8443, 5432, 445, 123]
  static let directions = ["in", "out"]
  static let actions = ["allow", "block", "drop", "alert"]

  public let rows: Int
  private let startMicros: Int64
  private let spanMicros: Int64
  private var random: SplitMix64
  public private(set) var produced = 0

  /// `start` is days since 1970-01-01 (see `CalendarFormatting.days`).
  public init(rows: Int, seed: UInt64 = 42, startDay: Int64 = 19_723, days: Int = 1) {
    self.rows = max(0, rows)
    self.startMicros = startDay * 86_400_000_000
    self.spanMicros = Int64(max(1, days)) * 86_400_000_000
    self.random = SplitMix64(seed: seed)
  }

  /// The next batch of at most `maxRows` rows, or nil when all rows were produced.
  public mutating func next(maxRows: Int = 65_536) -> RecordBatch? {
    let count = min(maxRows, rows - produced)
    guard count > 0 else { return nil }
    var eventTime = [Int64](repeating: 0, count: count)
    var internalPort = [Int32](repeating: 0, count: count)
    var clientPort = [Int32](repeating: 0, count: count)
    var totalBytes = [Int64](repeating: 0, count: count)
    var totalPackets = [Int64](repeating: 0, count: count)
    var direction = [Int32](repeating: 0, count: count)
    var action = [Int32](repeating: 0, count: count)
    var year = [Int32](repeating: 0, count: count)
    var month = [Int32](repeating: 0, count: count)
    var day = [Int32](repeating: 0, count: count)
    var internalIP = StringColumnBuilder(capacity: count, bytesPerValue: 13)
    var clientIP = StringColumnBuilder(capacity: count, bytesPerValue: 14)
    var eventID = StringColumnBuilder(capacity: count, bytesPerValue: 64)
    var idInput: [UInt8] = []
    idInput.reserveCapacity(64)
    var lastDay: Int64 = .min
    var civil = (year: Int64(0), month: 0, day: 0)

    for index in 0..<count {
      let ordinal = Int64(produced + index)
      let step = spanMicros / Int64(max(rows, 1))
      let time = startMicros + ordinal * spanMicros / Int64(rows) + Int64(random.below(UInt64(max(step, 1))))
      eventTime[index] = time
      let dayNumber = CalendarFormatting.floorDiv(time, 86_400_000_000)
      if dayNumber != lastDay {
        civil = CalendarFormatting.civil(fromDays: dayNumber)
        lastDay = dayNumber
      }
      year[index] = Int32(civil.year)
      month[index] = Int32(civil.month)
      day[index] = Int32(civil.day)

      let internalStart = internalIP.bytes.count
      appendPrivateIP(to: &internalIP.bytes)
      internalIP.finishValue()
      let clientStart = clientIP.bytes.count
      appendPublicIP(to: &clientIP.bytes)
      clientIP.finishValue()
      internalPort[index] = Self.servicePorts[Int(random.below(UInt64(Self.servicePorts.count)))]
      clientPort[index] = Int32(1024 + random.below(65_536 - 1024))
      direction[index] = random.below(10) < 6 ? 0 : 1
      let roll = random.below(100)
      action[index] = roll < 70 ? 0 : roll < 85 ? 1 : roll < 95 ? 2 : 3
      let packets = Int64(1 + random.below(64) * random.below(156))
      totalPackets[index] = packets
      totalBytes[index] = packets * Int64(40 + random.below(1461))

      // event_id: sha256 of "internal_ip|client_ip|event_time".
      idInput.removeAll(keepingCapacity: true)
      idInput.append(contentsOf: internalIP.bytes[internalStart...])
      idInput.append(UInt8(ascii: "|"))
      idInput.append(contentsOf: clientIP.bytes[clientStart...])
      idInput.append(UInt8(ascii: "|"))
      StringColumnBuilder.appendDecimal(UInt64(bitPattern: time), to: &idInput)
      idInput.withUnsafeBytes { SHA256.appendHexDigest(of: $0, to: &eventID.bytes) }
      eventID.finishValue()
    }
    produced += count

    let columns: [ColumnVector] = [
      ColumnVector(type: .timestamp(.microsecond, utc: true), count: count, storage: .int64(eventTime)),
      eventID.vector(),
      internalIP.vector(),
      ColumnVector(type: .int32, count: count, storage: .int32(internalPort)),
      clientIP.vector(),
      ColumnVector(type: .int32, count: count, storage: .int32(clientPort)),
      Self.dictionaryVector(indices: direction, values: Self.directions),
      Self.dictionaryVector(indices: action, values: Self.actions),
      ColumnVector(type: .int64, count: count, storage: .int64(totalBytes)),
      ColumnVector(type: .int64, count: count, storage: .int64(totalPackets)),
      ColumnVector(type: .int32, count: count, storage: .int32(year)),
      ColumnVector(type: .int32, count: count, storage: .int32(month)),
      ColumnVector(type: .int32, count: count, storage: .int32(day)),
    ]
    // Lengths match by construction.
    return try? RecordBatch(schema: Self.schema, columns: columns, rowCount: count)
  }

  /// An address in 10/8, 172.16/12 or 192.168/16.
  private mutating func appendPrivateIP(to out: inout [UInt8]) {
    let bits = random.next()
    switch bits % 3 {
    case 0: StringColumnBuilder.appendQuad(10, UInt8(truncatingIfNeeded: bits >> 8), UInt8(truncatingIfNeeded: bits >> 16), UInt8(truncatingIfNeeded: bits >> 24), to: &out)
    case 1: StringColumnBuilder.appendQuad(172, 16 + UInt8(truncatingIfNeeded: bits >> 8) % 16, UInt8(truncatingIfNeeded: bits >> 16), UInt8(truncatingIfNeeded: bits >> 24), to: &out)
    default: StringColumnBuilder.appendQuad(192, 168, UInt8(truncatingIfNeeded: bits >> 16), UInt8(truncatingIfNeeded: bits >> 24), to: &out)
    }
  }

  /// A public unicast address: not private, loopback, link-local, multicast or reserved.
  private mutating func appendPublicIP(to out: inout [UInt8]) {
    while true {
      let bits = random.next()
      let a = UInt8(truncatingIfNeeded: bits)
      let b = UInt8(truncatingIfNeeded: bits >> 8)
      let reserved =
        a == 0 || a == 10 || a == 127 || a >= 224 || (a == 169 && b == 254) || (a == 172 && b >= 16 && b < 32)
        || (a == 192 && b == 168) || (a == 100 && b >= 64 && b < 128)
      if reserved { continue }
      StringColumnBuilder.appendQuad(a, b, UInt8(truncatingIfNeeded: bits >> 16), UInt8(truncatingIfNeeded: bits >> 24), to: &out)
      return
    }
  }

  private static func dictionaryVector(indices: [Int32], values: [String]) -> ColumnVector {
    var builder = StringColumnBuilder(capacity: values.count, bytesPerValue: 5)
    for value in values {
      builder.bytes.append(contentsOf: value.utf8)
      builder.finishValue()
    }
    return ColumnVector(
      type: .string, count: indices.count, storage: .dictionary(indices: indices, dictionary: builder.vector()))
  }
}

/// Builds a string vector value by value: append bytes, then `finishValue()`.
struct StringColumnBuilder {
  var bytes: [UInt8] = []
  var offsets: [Int32] = [0]

  init(capacity: Int, bytesPerValue: Int) {
    bytes.reserveCapacity(capacity * bytesPerValue)
    offsets.reserveCapacity(capacity + 1)
  }

  mutating func finishValue() { offsets.append(Int32(bytes.count)) }

  /// Appends the dotted quad of an IPv4 address (most significant byte first).
  mutating func appendIPv4(_ address: UInt32) {
    Self.appendQuad(
      UInt8(truncatingIfNeeded: address >> 24), UInt8(truncatingIfNeeded: address >> 16),
      UInt8(truncatingIfNeeded: address >> 8), UInt8(truncatingIfNeeded: address), to: &bytes)
  }

  static func appendQuad(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8, to out: inout [UInt8]) {
    appendDecimal(UInt64(a), to: &out)
    out.append(UInt8(ascii: "."))
    appendDecimal(UInt64(b), to: &out)
    out.append(UInt8(ascii: "."))
    appendDecimal(UInt64(c), to: &out)
    out.append(UInt8(ascii: "."))
    appendDecimal(UInt64(d), to: &out)
  }

  static func appendDecimal(_ value: UInt64, to out: inout [UInt8]) {
    if value >= 10 { appendDecimal(value / 10, to: &out) }
    out.append(UInt8(ascii: "0") + UInt8(value % 10))
  }

  func vector() -> ColumnVector {
    ColumnVector(type: .string, count: offsets.count - 1, storage: .binary(offsets: offsets, bytes: bytes))
  }
}
