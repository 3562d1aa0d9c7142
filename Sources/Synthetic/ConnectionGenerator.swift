public import Columnar

/// One connection record of the data-skipping experiment.
public struct Connection: Sendable, Hashable {
  public var srcIP: String
  public var srcPort: Int32
  public var dstIP: String
  public var dstPort: Int32

  public init(srcIP: String, srcPort: Int32, dstIP: String, dstPort: Int32) {
    self.srcIP = srcIP
    self.srcPort = srcPort
    self.dstIP = dstIP
    self.dstPort = dstPort
  }
}

/// Random connection records as in the Databricks data-skipping blog ("Processing Petabytes of
/// Data in Seconds with Databricks Delta"): source and destination IPv4 addresses (as strings)
/// and ports, each uniformly random. Deterministic for a seed.
public struct ConnectionGenerator: Sendable {
  public static let schema = Schema([
    Field("src_ip", .string), Field("src_port", .int32), Field("dst_ip", .string), Field("dst_port", .int32),
  ])

  private var random: SplitMix64

  public init(seed: UInt64 = 7) { random = SplitMix64(seed: seed) }

  public mutating func next() -> Connection {
    Connection(srcIP: randomIP(), srcPort: randomPort(), dstIP: randomIP(), dstPort: randomPort())
  }

  /// A uniformly random IPv4 address in dotted-quad form.
  public mutating func randomIP() -> String {
    var builder = StringColumnBuilder(capacity: 1, bytesPerValue: 15)
    builder.appendIPv4(UInt32(truncatingIfNeeded: random.next()))
    return String(decoding: builder.bytes, as: UTF8.self)
  }

  /// A uniformly random port, 0...65535.
  public mutating func randomPort() -> Int32 { Int32(random.below(65_536)) }

  /// The rows as a batch of ``schema``.
  public static func batch(_ rows: some Collection<Connection>) -> RecordBatch {
    var src = StringColumnBuilder(capacity: rows.count, bytesPerValue: 14)
    var dst = StringColumnBuilder(capacity: rows.count, bytesPerValue: 14)
    var srcPorts: [Int32] = []
    var dstPorts: [Int32] = []
    srcPorts.reserveCapacity(rows.count)
    dstPorts.reserveCapacity(rows.count)
    for row in rows {
      src.bytes.append(contentsOf: row.srcIP.utf8)
      src.finishValue()
      dst.bytes.append(contentsOf: row.dstIP.utf8)
      dst.finishValue()
      srcPorts.append(row.srcPort)
      dstPorts.append(row.dstPort)
    }
    let columns = [
      src.vector(), ColumnVector(type: .int32, count: rows.count, storage: .int32(srcPorts)),
      dst.vector(), ColumnVector(type: .int32, count: rows.count, storage: .int32(dstPorts)),
    ]
    // Four columns of equal length by construction.
    return try! RecordBatch(schema: schema, columns: columns, rowCount: rows.count)
  }
}
