/// The columns of Zeek TSV data lines under one header, with what reading a value needs worked
/// out once per header rather than once per line.
struct ZeekColumns: Sendable {
  let names: [String]
  let types: [ZeekType]
  let typeNames: [String]
  /// `types[i].kind`, kept so that a null or a list does not build its kind again.
  let kinds: [FieldKind]
  let separator: UInt8
  let setSeparator: UInt8
  let emptyField: [UInt8]
  let unsetField: [UInt8]
  /// The column that gives the event time: `ts`, when it is a `time`.
  let timeIndex: Int?

  var count: Int { names.count }

  init(
    names: [String], typeNames: [String], separator: UInt8, setSeparator: UInt8, emptyField: [UInt8],
    unsetField: [UInt8]
  ) {
    self.names = names
    self.typeNames = typeNames
    let types = typeNames.map { ZeekType($0) }
    self.types = types
    kinds = types.map(\.kind)
    self.separator = separator
    self.setSeparator = setSeparator
    self.emptyField = emptyField
    self.unsetField = unsetField
    timeIndex = names.indices.first { names[$0] == "ts" && types[$0] == .time }
  }

  /// The value of column `index` (0-based) written as `text`; throws, naming the column, when the
  /// text is not a value of the column's type.
  @inline(__always)
  func value(at index: Int, _ text: UnsafeBufferPointer<UInt8>) throws(DecodeError) -> FieldValue {
    let type = types[index]
    if ZeekText.equals(text, unsetField) { return .typedNull(kinds[index]) }
    guard case .list(let element) = type else {
      guard let value = scalar(type, text) else { throw invalid(index, text) }
      return value
    }
    guard case .list(let elementKind) = kinds[index] else { return .typedNull(kinds[index]) }
    if ZeekText.equals(text, emptyField) { return .list(element: elementKind, []) }
    var values: [FieldValue] = []
    var start = 0
    for end in 0...text.count where end == text.count || text[end] == setSeparator {
      let item = UnsafeBufferPointer(rebasing: text[start..<end])
      guard let value = ZeekText.equals(item, unsetField) ? .typedNull(elementKind) : scalar(element, item) else {
        throw invalid(index, text, element: item)
      }
      values.append(value)
      start = end + 1
    }
    return .list(element: elementKind, values)
  }

  /// A value of a type other than a container; nil when `text` is not one.
  @inline(__always)
  private func scalar(_ type: ZeekType, _ text: UnsafeBufferPointer<UInt8>) -> FieldValue? {
    switch type {
    case .time:
      guard let micros = TimeText.micros(epochSeconds: text) else { return nil }
      return .timestamp(micros)
    case .double:
      guard let value = ZeekText.double(text) else { return nil }
      return .double(value)
    case .int:
      guard let value = ZeekText.int64(text) else { return nil }
      return .int(value)
    case .bool:
      guard text.count == 1 else { return nil }
      switch text[0] {
      case UInt8(ascii: "T"): return .bool(true)
      case UInt8(ascii: "F"): return .bool(false)
      default: return nil
      }
    case .string:
      return .string(ZeekText.equals(text, emptyField) ? "" : ZeekText.string(text))
    case .list:
      return nil
    }
  }

  private func invalid(
    _ index: Int, _ text: UnsafeBufferPointer<UInt8>, element: UnsafeBufferPointer<UInt8>? = nil
  ) -> DecodeError {
    let typeName = typeNames[index]
    let place = "Zeek TSV: field \(index + 1) '\(names[index])' (\(typeName))"
    guard let element else { return DecodeError("\(place): '\(Self.shown(text))' is not a valid \(typeName)") }
    let elementType = typeName.firstIndex(of: "[").map { typeName[typeName.index(after: $0)...].dropLast() } ?? ""
    return DecodeError(
      "\(place): element '\(Self.shown(element))' of '\(Self.shown(text))' is not a valid \(elementType)")
  }

  /// Text for a message, cut at 100 bytes.
  static func shown(_ text: UnsafeBufferPointer<UInt8>) -> String {
    guard text.count > 100 else { return String(decoding: text, as: UTF8.self) }
    return String(decoding: UnsafeBufferPointer(rebasing: text[0..<100]), as: UTF8.self) + "…"
  }
}
