/// The fast path for commit lines: decodes `add` and `remove` actions straight from the bytes,
/// without building a JSON tree, and skips `commitInfo` (unless asked for) and unknown actions
/// and fields without allocating. Other actions, which are rare, go through ``JSONParser`` and
/// ``JSONActionDecoder``.
///
/// The scanner validates only what it reads; a malformed line throws ``JSONSyntaxError``.
struct ActionScanner {
  private let bytes: UnsafeBufferPointer<UInt8>
  private var position = 0

  init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

  /// The action of one line, nil for unknown actions (and for `commitInfo` when `wantCommitInfo`
  /// is false).
  static func action(_ line: UnsafeBufferPointer<UInt8>, wantCommitInfo: Bool, location: @autoclosure () -> String)
    throws -> Action?
  {
    var scanner = ActionScanner(line)
    return try scanner.topLevel(wantCommitInfo: wantCommitInfo, location: location)
  }

  private func error(_ message: String) -> JSONSyntaxError { JSONSyntaxError(message: message, offset: position) }

  private mutating func skipWhitespace() {
    while position < bytes.count {
      switch bytes[position] {
      case 0x20, 0x09, 0x0A, 0x0D: position += 1
      default: return
      }
    }
  }

  private mutating func expect(_ byte: UInt8) throws(JSONSyntaxError) {
    skipWhitespace()
    guard position < bytes.count, bytes[position] == byte else {
      throw error("expected '\(Character(Unicode.Scalar(byte)))'")
    }
    position += 1
  }

  /// After a member: true when another follows (a comma was read), false at the closing brace.
  private mutating func nextMember() throws(JSONSyntaxError) -> Bool {
    skipWhitespace()
    guard position < bytes.count else { throw error("unterminated object") }
    if bytes[position] == UInt8(ascii: ",") {
      position += 1
      return true
    }
    guard bytes[position] == UInt8(ascii: "}") else { throw error("expected ',' or '}'") }
    position += 1
    return false
  }

  /// Reads `{` and reports whether the object is empty (then the `}` is consumed too).
  private mutating func openObject() throws(JSONSyntaxError) -> Bool {
    try expect(UInt8(ascii: "{"))
    skipWhitespace()
    if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
      position += 1
      return true
    }
    return false
  }

  /// A member name as raw bytes (escape-free names, which is all Delta writes), then the colon.
  private mutating func key() throws(JSONSyntaxError) -> Range<Int> {
    try expect(UInt8(ascii: "\""))
    let start = position
    while position < bytes.count, bytes[position] != UInt8(ascii: "\"") {
      if bytes[position] == UInt8(ascii: "\\") { throw error("escaped member names are not expected here") }
      position += 1
    }
    guard position < bytes.count else { throw error("unterminated member name") }
    let range = start..<position
    position += 1
    try expect(UInt8(ascii: ":"))
    skipWhitespace()
    return range
  }

  private func keyIs(_ range: Range<Int>, _ name: StaticString) -> Bool {
    let count = name.utf8CodeUnitCount
    guard range.count == count else { return false }
    let pointer = name.utf8Start
    var index = 0
    while index < count {
      if bytes[range.lowerBound + index] != pointer[index] { return false }
      index += 1
    }
    return true
  }

  private var isNullHere: Bool {
    position + 4 <= bytes.count && bytes[position] == UInt8(ascii: "n") && bytes[position + 1] == UInt8(ascii: "u")
      && bytes[position + 2] == UInt8(ascii: "l") && bytes[position + 3] == UInt8(ascii: "l")
  }

  /// Consumes `null` when it is next.
  private mutating func takeNull() -> Bool {
    guard isNullHere else { return false }
    position += 4
    return true
  }

  // MARK: Values

  private mutating func string() throws(JSONSyntaxError) -> String {
    skipWhitespace()
    guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw error("expected a string") }
    let start = position
    position += 1
    while position < bytes.count {
      let byte = bytes[position]
      if byte == UInt8(ascii: "\"") {
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[(start + 1)..<position]), as: UTF8.self)
        position += 1
        return text
      }
      if byte == UInt8(ascii: "\\") {
        // Escapes (statistics are JSON inside a string): unescape from the start.
        position = start
        return try JSONParser.stringLiteral(bytes, at: &position)
      }
      position += 1
    }
    throw error("unterminated string")
  }

  private mutating func optionalString() throws(JSONSyntaxError) -> String? {
    if takeNull() { return nil }
    return try string()
  }

  private mutating func int64() throws(JSONSyntaxError) -> Int64? {
    if takeNull() { return nil }
    var negative = false
    if position < bytes.count, bytes[position] == UInt8(ascii: "-") {
      negative = true
      position += 1
    }
    let start = position
    var value: Int64 = 0
    var overflow = false
    while position < bytes.count, bytes[position] >= 0x30, bytes[position] <= 0x39 {
      let (m, o1) = value.multipliedReportingOverflow(by: 10)
      let (a, o2) = m.addingReportingOverflow(Int64(bytes[position] - 0x30))
      overflow = overflow || o1 || o2
      value = a
      position += 1
    }
    guard position > start else {
      // A string or other value: take the general route.
      position = negative ? start - 1 : start
      return try parseGeneric().int64Value
    }
    if position < bytes.count,
      bytes[position] == UInt8(ascii: ".") || bytes[position] | 0x20 == UInt8(ascii: "e") || overflow
    {
      position = negative ? start - 1 : start
      return try parseGeneric().int64Value
    }
    return negative ? -value : value
  }

  private mutating func bool() throws(JSONSyntaxError) -> Bool? {
    if takeNull() { return nil }
    if position + 4 <= bytes.count, bytes[position] == UInt8(ascii: "t"), bytes[position + 1] == UInt8(ascii: "r"),
      bytes[position + 2] == UInt8(ascii: "u"), bytes[position + 3] == UInt8(ascii: "e")
    {
      position += 4
      return true
    }
    if position + 5 <= bytes.count, bytes[position] == UInt8(ascii: "f"), bytes[position + 1] == UInt8(ascii: "a"),
      bytes[position + 2] == UInt8(ascii: "l"), bytes[position + 3] == UInt8(ascii: "s"),
      bytes[position + 4] == UInt8(ascii: "e")
    {
      position += 5
      return false
    }
    return try parseGeneric().boolValue
  }

  /// A map of strings (`partitionValues`, `tags`); null values are left out.
  private mutating func stringMap() throws(JSONSyntaxError) -> [String: String]? {
    if takeNull() { return nil }
    if try openObject() { return [:] }
    var map: [String: String] = [:]
    repeat {
      skipWhitespace()
      // Keys may need unescaping (partition column names are free-form).
      let name = try string()
      try expect(UInt8(ascii: ":"))
      skipWhitespace()
      if takeNull() {
        // A null partition value: absent.
      } else if position < bytes.count, bytes[position] == UInt8(ascii: "\"") {
        map[name] = try string()
      } else {
        let value = try parseGeneric()
        if !value.isNull { map[name] = value.jsonText }
      }
    } while try nextMember()
    return map
  }

  /// The generic parser from the current position over the next value.
  private mutating func parseGeneric() throws(JSONSyntaxError) -> JSONValue {
    skipWhitespace()
    let end = try valueEnd(from: position)
    let value = try JSONParser.parse(UnsafeBufferPointer(rebasing: bytes[position..<end]))
    position = end
    return value
  }

  /// Skips the next value without building it.
  private mutating func skipValue() throws(JSONSyntaxError) {
    skipWhitespace()
    position = try valueEnd(from: position)
  }

  /// The offset just past the value starting at `start`.
  private func valueEnd(from start: Int) throws(JSONSyntaxError) -> Int {
    var index = start
    guard index < bytes.count else { throw JSONSyntaxError(message: "expected a value", offset: index) }
    switch bytes[index] {
    case UInt8(ascii: "\""):
      index += 1
      while index < bytes.count {
        let byte = bytes[index]
        if byte == UInt8(ascii: "\\") {
          index += 2
          continue
        }
        if byte == UInt8(ascii: "\"") { return index + 1 }
        index += 1
      }
      throw JSONSyntaxError(message: "unterminated string", offset: start)
    case UInt8(ascii: "{"), UInt8(ascii: "["):
      var depth = 0
      while index < bytes.count {
        let byte = bytes[index]
        if byte == UInt8(ascii: "\"") {
          index = try valueEnd(from: index)
          continue
        }
        if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") { depth += 1 }
        if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
          depth -= 1
          if depth == 0 { return index + 1 }
        }
        index += 1
      }
      throw JSONSyntaxError(message: "unterminated object or array", offset: start)
    default:
      while index < bytes.count {
        switch bytes[index] {
        case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x09, 0x0A, 0x0D: return index
        default: index += 1
        }
      }
      return index
    }
  }

  /// The integer member `name` of the top-level object in `json` (without building the object):
  /// how `numRecords` is read from statistics.
  static func topLevelInteger(_ json: String, _ name: StaticString) -> Int64? {
    var text = json
    return text.withUTF8 { buffer -> Int64? in
      var scanner = ActionScanner(buffer)
      do {
        if try scanner.openObject() { return nil }
        repeat {
          let key = try scanner.key()
          if scanner.keyIs(key, name) { return try scanner.int64() }
          try scanner.skipValue()
        } while try scanner.nextMember()
      } catch {
        return nil
      }
      return nil
    }
  }

  // MARK: Actions

  private mutating func topLevel(wantCommitInfo: Bool, location: () -> String) throws -> Action? {
    if try openObject() { return nil }
    var result: Action?
    repeat {
      let name = try key()
      if takeNull() { continue }
      if result != nil {
        try skipValue()
        continue
      }
      if keyIs(name, "add") {
        result = .add(try add(location: location))
      } else if keyIs(name, "remove") {
        result = .remove(try remove(location: location))
      } else if keyIs(name, "commitInfo") {
        if wantCommitInfo {
          result = .commitInfo(JSONActionDecoder.commitInfo(try parseGeneric()))
        } else {
          try skipValue()
        }
      } else if keyIs(name, "metaData") || keyIs(name, "protocol") || keyIs(name, "txn")
        || keyIs(name, "domainMetadata")
        || keyIs(name, "cdc") || keyIs(name, "checkpointMetadata") || keyIs(name, "sidecar")
      {
        let actionName = String(decoding: UnsafeBufferPointer(rebasing: bytes[name]), as: UTF8.self)
        let value = try parseGeneric()
        result = try JSONActionDecoder.action(from: .object(JSONObject([(actionName, value)])), location: location())
      } else {
        try skipValue()
      }
    } while try nextMember()
    return result
  }

  private mutating func add(location: () -> String) throws -> AddFile {
    if try openObject() { throw DeltaError(.corruptLog, "\(location()): 'add' action has no string 'path'") }
    var path: String?
    var add = AddFile(path: "", size: 0, modificationTime: 0)
    repeat {
      let name = try key()
      if keyIs(name, "path") {
        path = try optionalString()
      } else if keyIs(name, "partitionValues") {
        add.partitionValues = try stringMap() ?? [:]
      } else if keyIs(name, "size") {
        add.size = try int64() ?? 0
      } else if keyIs(name, "modificationTime") {
        add.modificationTime = try int64() ?? 0
      } else if keyIs(name, "dataChange") {
        add.dataChange = try bool() ?? true
      } else if keyIs(name, "stats") {
        add.stats = try optionalString()
      } else if keyIs(name, "tags") {
        add.tags = try stringMap()
      } else if keyIs(name, "deletionVector") {
        if !takeNull() {
          add.deletionVector = try JSONActionDecoder.deletionVector(try parseGeneric(), location: location())
        }
      } else if keyIs(name, "baseRowId") {
        add.baseRowId = try int64()
      } else if keyIs(name, "defaultRowCommitVersion") {
        add.defaultRowCommitVersion = try int64()
      } else if keyIs(name, "clusteringProvider") {
        add.clusteringProvider = try optionalString()
      } else {
        try skipValue()
      }
    } while try nextMember()
    guard let path else { throw DeltaError(.corruptLog, "\(location()): 'add' action has no string 'path'") }
    add.path = path
    return add
  }

  private mutating func remove(location: () -> String) throws -> RemoveFile {
    if try openObject() { throw DeltaError(.corruptLog, "\(location()): 'remove' action has no string 'path'") }
    var path: String?
    var remove = RemoveFile(path: "")
    repeat {
      let name = try key()
      if keyIs(name, "path") {
        path = try optionalString()
      } else if keyIs(name, "deletionTimestamp") {
        remove.deletionTimestamp = try int64()
      } else if keyIs(name, "dataChange") {
        remove.dataChange = try bool() ?? true
      } else if keyIs(name, "extendedFileMetadata") {
        remove.extendedFileMetadata = try bool()
      } else if keyIs(name, "partitionValues") {
        remove.partitionValues = try stringMap()
      } else if keyIs(name, "size") {
        remove.size = try int64()
      } else if keyIs(name, "stats") {
        remove.stats = try optionalString()
      } else if keyIs(name, "tags") {
        remove.tags = try stringMap()
      } else if keyIs(name, "deletionVector") {
        if !takeNull() {
          remove.deletionVector = try JSONActionDecoder.deletionVector(try parseGeneric(), location: location())
        }
      } else if keyIs(name, "baseRowId") {
        remove.baseRowId = try int64()
      } else if keyIs(name, "defaultRowCommitVersion") {
        remove.defaultRowCommitVersion = try int64()
      } else {
        try skipValue()
      }
    } while try nextMember()
    guard let path else { throw DeltaError(.corruptLog, "\(location()): 'remove' action has no string 'path'") }
    remove.path = path
    return remove
  }
}
