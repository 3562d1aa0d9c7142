import Columnar

/// Reading single values out of column vectors, for checkpoint rows and statistics structs.
/// (Hot scans never go through here: they work on whole vectors.)
extension ColumnVector {
  func string(at row: Int) -> String? {
    guard row < count, !isNull(row) else { return nil }
    switch storage {
    case .binary(let offsets, let bytes):
      return String(decoding: bytes[Int(offsets[row])..<Int(offsets[row + 1])], as: UTF8.self)
    case .dictionary(let indices, let dictionary):
      return dictionary.string(at: Int(indices[row]))
    default:
      return nil
    }
  }

  func bytes(at row: Int) -> [UInt8]? {
    guard row < count, !isNull(row) else { return nil }
    switch storage {
    case .binary(let offsets, let bytes): return Array(bytes[Int(offsets[row])..<Int(offsets[row + 1])])
    case .dictionary(let indices, let dictionary): return dictionary.bytes(at: Int(indices[row]))
    default: return nil
    }
  }

  func int64(at row: Int) -> Int64? {
    guard row < count, !isNull(row) else { return nil }
    switch storage {
    case .int8(let values): return Int64(values[row])
    case .int16(let values): return Int64(values[row])
    case .int32(let values): return Int64(values[row])
    case .int64(let values): return values[row]
    case .uint8(let values): return Int64(values[row])
    case .uint16(let values): return Int64(values[row])
    case .uint32(let values): return Int64(values[row])
    case .uint64(let values): return Int64(exactly: values[row])
    default: return nil
    }
  }

  func bool(at row: Int) -> Bool? {
    guard row < count, !isNull(row) else { return nil }
    if case .boolean(let bits) = storage { return bits[row] }
    return nil
  }

  /// The child vector of a struct column named `name`.
  func child(_ name: String) -> ColumnVector? {
    guard case .structure(let fields) = type, case .structure(let children) = storage,
      let index = fields.firstIndex(where: { $0.name == name })
    else { return nil }
    return children[index]
  }

  /// A `map<string,string>` value; null values are left out.
  func stringMap(at row: Int) -> [String: String]? {
    guard row < count, !isNull(row), case .map(let offsets, let keys, let values) = storage else { return nil }
    let start = Int(offsets[row])
    let end = Int(offsets[row + 1])
    var map: [String: String] = [:]
    if end > start { map.reserveCapacity(end - start) }
    for entry in start..<end {
      guard let key = keys.string(at: entry) else { continue }
      if let value = values.string(at: entry) { map[key] = value }
    }
    return map
  }

  /// An `array<string>` value; null elements are left out.
  func stringArray(at row: Int) -> [String]? {
    guard row < count, !isNull(row), case .list(let offsets, let values) = storage else { return nil }
    var result: [String] = []
    for element in Int(offsets[row])..<Int(offsets[row + 1]) {
      if let text = values.string(at: element) { result.append(text) }
    }
    return result
  }
}
