/// Decodes Amazon VPC Flow Log records (versions 2 to 5, and the later ECS fields): space-separated
/// fields, `-` where a field does not apply.
///
/// The field order is version 2's default format until a header line gives another: flow log
/// files delivered to S3 start with a line of the field names (`version account-id …`), which
/// is how custom formats are known. A line whose first word is a known field name is such a
/// header; it yields no record. Columns are named after the fields with `-` written `_`
/// (`account_id`, `pkt_srcaddr`).
///
/// `version`, `srcport`, `dstport`, `protocol`, `packets`, `bytes`, `tcp-flags` and
/// `traffic-path` are `.int`; `start` and `end` (epoch seconds) are `.timestamp`, and `start` is
/// the event time; every other field is `.string`. A `-` is a null of its column's kind, so the
/// `NODATA` and `SKIPDATA` records, which have little else, decode too.
public struct VPCFlowDecoder: RecordDecoder, Sendable {
  /// Version 2's default format, the field order of lines before any header line.
  public static let defaultFields: [String] = [
    "version", "account-id", "interface-id", "srcaddr", "dstaddr", "srcport", "dstport", "protocol", "packets",
    "bytes", "start", "end", "action", "log-status",
  ]

  /// Every field name AWS documents, through the version 7 ECS fields and version 8's
  /// `reject-reason`; a line starting with one of these is a header.
  static let knownFields: Set<String> = [
    "version", "account-id", "interface-id", "srcaddr", "dstaddr", "srcport", "dstport", "protocol", "packets",
    "bytes", "start", "end", "action", "log-status",
    "vpc-id", "subnet-id", "instance-id", "tcp-flags", "type", "pkt-srcaddr", "pkt-dstaddr",
    "region", "az-id", "sublocation-type", "sublocation-id",
    "pkt-src-aws-service", "pkt-dst-aws-service", "flow-direction", "traffic-path",
    "ecs-cluster-arn", "ecs-cluster-name", "ecs-container-instance-arn", "ecs-container-instance-id",
    "ecs-container-id", "ecs-second-container-id", "ecs-service-name", "ecs-task-definition-arn", "ecs-task-arn",
    "ecs-task-id", "reject-reason",
  ]

  private var columns: Columns

  /// A decoder for lines in the order of `fields` (AWS's names, `account-id`, or a format string's
  /// `${account-id}`) until a header line says otherwise; version 2's default order when not given.
  public init(fields: [String] = VPCFlowDecoder.defaultFields) {
    columns = Columns(fields, fromHeader: false)
  }

  /// The column names records currently get.
  public var columnNames: [String] { columns.names }

  public mutating func decode(_ unit: UnsafeBufferPointer<UInt8>, into records: inout [DecodedRecord])
    throws(DecodeError)
  {
    let line = Self.withoutCarriageReturn(unit)
    guard let first = Self.firstWord(line) else { return }
    if Self.isHeader(first) {
      readHeader(line)
      return
    }
    var fields: [DecodedField] = []
    fields.reserveCapacity(columns.count)
    var eventTime: Int64?
    var position = 0
    var column = 0
    while true {
      while position < line.count, line[position] == 0x20 { position += 1 }
      guard position < line.count else { break }
      let start = position
      while position < line.count, line[position] != 0x20 { position += 1 }
      guard column < columns.count else { throw fieldCountError(line) }
      let value = try columns.value(at: column, UnsafeBufferPointer(rebasing: line[start..<position]))
      if column == columns.startIndex, case .timestamp(let micros) = value { eventTime = micros }
      fields.append(DecodedField(columns.names[column], value))
      column += 1
    }
    guard column == columns.count else { throw fieldCountError(line) }
    records.append(DecodedRecord(fields: fields, eventTime: eventTime))
  }

  /// Takes in header lines, so that lines after a resume point are read in their order; ignores
  /// records.
  public mutating func skip(_ line: UnsafeBufferPointer<UInt8>) {
    let line = Self.withoutCarriageReturn(line)
    if let first = Self.firstWord(line), Self.isHeader(first) { readHeader(line) }
  }

  private mutating func readHeader(_ line: UnsafeBufferPointer<UInt8>) {
    let names = line.split(separator: 0x20).map { String(decoding: UnsafeBufferPointer(rebasing: $0), as: UTF8.self) }
    columns = Columns(names, fromHeader: true)
  }

  private func fieldCountError(_ line: UnsafeBufferPointer<UInt8>) -> DecodeError {
    let found = line.split(separator: 0x20).count
    let expected = columns.fromHeader ? "the header line names" : "the format has"
    return DecodeError("VPC flow log: the line has \(found) fields but \(expected) \(columns.count)")
  }

  private static func isHeader(_ word: UnsafeBufferPointer<UInt8>) -> Bool {
    // Only words that could be names are looked up: data lines mostly start with a digit or `-`.
    guard let first = word.first,
      (first >= UInt8(ascii: "a") && first <= UInt8(ascii: "z")) || first == UInt8(ascii: "$")
    else { return false }
    return knownFields.contains(Columns.fieldName(String(decoding: word, as: UTF8.self)))
  }

  private static func firstWord(_ line: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>? {
    var start = 0
    while start < line.count, line[start] == 0x20 || line[start] == 0x09 { start += 1 }
    guard start < line.count else { return nil }
    var end = start
    while end < line.count, line[end] != 0x20 { end += 1 }
    return UnsafeBufferPointer(rebasing: line[start..<end])
  }

  private static func withoutCarriageReturn(_ line: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
    guard line.last == 0x0D else { return line }
    return UnsafeBufferPointer(rebasing: line.dropLast())
  }
}

extension VPCFlowDecoder {
  /// The columns of one field order, with each field's kind worked out once.
  struct Columns: Sendable {
    enum Kind: Sendable { case int, timestamp, string }

    let fields: [String]
    let names: [String]
    let kinds: [Kind]
    let fromHeader: Bool
    /// The column of `start`, the event time.
    let startIndex: Int?

    var count: Int { names.count }

    init(_ fields: [String], fromHeader: Bool) {
      self.fields = fields.map(Self.fieldName)
      names = self.fields.map { $0.replacing("-", with: "_") }
      kinds = self.fields.map(Self.kind)
      self.fromHeader = fromHeader
      startIndex = self.fields.firstIndex(of: "start")
    }

    /// A field's AWS name: `${account-id}` and `account_id` are `account-id`.
    static func fieldName(_ text: String) -> String {
      var name = Substring(text)
      if name.hasPrefix("${"), name.hasSuffix("}") { name = name.dropFirst(2).dropLast() }
      return String(name.replacing("_", with: "-"))
    }

    private static func kind(_ field: String) -> Kind {
      switch field {
      case "version", "srcport", "dstport", "protocol", "packets", "bytes", "tcp-flags", "traffic-path": .int
      case "start", "end": .timestamp
      default: .string
      }
    }

    /// The value of column `index` written as `text`; throws when a number or time is not one.
    func value(at index: Int, _ text: UnsafeBufferPointer<UInt8>) throws(DecodeError) -> FieldValue {
      let kind = kinds[index]
      if text.count == 1, text[0] == UInt8(ascii: "-") {
        return switch kind {
        case .int: .typedNull(.int)
        case .timestamp: .typedNull(.timestamp)
        case .string: .typedNull(.string)
        }
      }
      switch kind {
      case .string:
        return .string(String(decoding: text, as: UTF8.self))
      case .int:
        guard let value = DecimalText.integer(text) else { throw invalid(index, text, "is not a number") }
        return .int(value)
      case .timestamp:
        guard let micros = TimeText.micros(epochSeconds: text) else {
          throw invalid(index, text, "is not a time in epoch seconds")
        }
        return .timestamp(micros)
      }
    }

    private func invalid(_ index: Int, _ text: UnsafeBufferPointer<UInt8>, _ problem: String) -> DecodeError {
      let shown =
        text.count > 100
        ? String(decoding: UnsafeBufferPointer(rebasing: text[0..<100]), as: UTF8.self) + "…"
        : String(decoding: text, as: UTF8.self)
      return DecodeError("VPC flow log: field \(index + 1) '\(fields[index])': '\(shown)' \(problem)")
    }
  }
}
