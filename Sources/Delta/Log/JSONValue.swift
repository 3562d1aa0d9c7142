import Columnar

/// A parsed JSON document, as the Delta log holds them: one action per line, schemas, statistics.
///
/// Numbers keep their source text so that 64-bit integers and decimals convert exactly; objects
/// keep their members in order (lookups are linear, which is fastest for the handful of keys an
/// action has).
public enum JSONValue: Sendable {
  case null
  case bool(Bool)
  case number(String)
  case string(String)
  case array([JSONValue])
  case object(JSONObject)

  public var isNull: Bool {
    if case .null = self { return true }
    return false
  }

  public var stringValue: String? {
    if case .string(let text) = self { return text }
    return nil
  }

  public var boolValue: Bool? {
    switch self {
    case .bool(let value): return value
    case .string(let text): return text == "true" ? true : text == "false" ? false : nil
    default: return nil
    }
  }

  /// The value as a 64-bit integer: integral numbers (also written `1.0` or `1e3`) and numeric strings.
  public var int64Value: Int64? {
    switch self {
    case .number(let text), .string(let text):
      if let value = Int64(text) { return value }
      guard let double = Double(text), double.rounded() == double, double.magnitude < 9.2e18 else { return nil }
      return Int64(double)
    default: return nil
    }
  }

  public var doubleValue: Double? {
    switch self {
    case .number(let text), .string(let text): return Double(text)
    default: return nil
    }
  }

  public var objectValue: JSONObject? {
    if case .object(let object) = self { return object }
    return nil
  }

  public var arrayValue: [JSONValue]? {
    if case .array(let values) = self { return values }
    return nil
  }

  /// A map of strings: an object whose values are strings (other scalars are written as their JSON
  /// text, nulls are left out).
  public var stringMap: [String: String]? {
    guard case .object(let object) = self else { return nil }
    var map: [String: String] = [:]
    map.reserveCapacity(object.entries.count)
    for (key, value) in object.entries {
      switch value {
      case .null: continue
      case .string(let text): map[key] = text
      default: map[key] = value.jsonText
      }
    }
    return map
  }

  /// Compact JSON text of the value.
  public var jsonText: String {
    var out: [UInt8] = []
    append(to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  /// Appends compact JSON text of the value.
  public func append(to out: inout [UInt8]) {
    switch self {
    case .null: out.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])
    case .bool(let value): out.append(contentsOf: Array((value ? "true" : "false").utf8))
    case .number(let text): out.append(contentsOf: Array(text.utf8))
    case .string(let text): ValueRenderer.appendJSONString(text, to: &out)
    case .array(let values):
      out.append(UInt8(ascii: "["))
      for (index, value) in values.enumerated() {
        if index > 0 { out.append(UInt8(ascii: ",")) }
        value.append(to: &out)
      }
      out.append(UInt8(ascii: "]"))
    case .object(let object):
      out.append(UInt8(ascii: "{"))
      for (index, entry) in object.entries.enumerated() {
        if index > 0 { out.append(UInt8(ascii: ",")) }
        ValueRenderer.appendJSONString(entry.key, to: &out)
        out.append(UInt8(ascii: ":"))
        entry.value.append(to: &out)
      }
      out.append(UInt8(ascii: "}"))
    }
  }
}

/// The members of a JSON object, in document order.
public struct JSONObject: Sendable {
  public var entries: [(key: String, value: JSONValue)]

  public init(_ entries: [(key: String, value: JSONValue)] = []) { self.entries = entries }

  /// The value of the first member named `key`.
  public subscript(key: String) -> JSONValue? {
    for entry in entries where entry.key == key { return entry.value }
    return nil
  }

  /// The member `key` when it is present and not null.
  public func present(_ key: String) -> JSONValue? {
    guard let value = self[key], !value.isNull else { return nil }
    return value
  }
}

/// A syntax error in JSON text, with the byte offset where it was found.
public struct JSONSyntaxError: Error, Sendable, CustomStringConvertible {
  public var message: String
  public var offset: Int
  public var description: String { "\(message) at byte \(offset)" }
}
