import Storage

/// A file's bytes read front to back in 4 MiB chunks (bounded memory for any input size).
struct ByteSource {
  let path: String
  private let file: LocalFile
  private var offset = 0
  private var chunk: [UInt8] = []
  private var position = 0
  static let chunkSize = 4 << 20

  init(path: String) throws(InputError) {
    self.path = path
    do {
      file = try LocalFile(path: path)
    } catch {
      throw InputError(file: path, line: nil, "\(error)")
    }
  }

  /// The next byte, or nil at the end of the file.
  @inline(__always) mutating func next() throws(InputError) -> UInt8? {
    if position < chunk.count {
      defer { position += 1 }
      return chunk[position]
    }
    guard try refill() else { return nil }
    position = 1
    return chunk[0]
  }

  /// The next byte without consuming it.
  mutating func peek() throws(InputError) -> UInt8? {
    if position < chunk.count { return chunk[position] }
    guard try refill() else { return nil }
    position = 0
    return chunk[0]
  }

  private mutating func refill() throws(InputError) -> Bool {
    let length = min(Self.chunkSize, file.size - offset)
    guard length > 0 else { return false }
    do {
      chunk = try file.read(offset: offset, length: length)
    } catch {
      throw InputError(file: path, line: nil, "\(error)")
    }
    offset += length
    position = 0
    return true
  }

  /// The next line without its `\n` (and `\r`), or nil at the end of the file.
  mutating func nextLine(into line: inout [UInt8]) throws(InputError) -> Bool {
    line.removeAll(keepingCapacity: true)
    var sawAny = false
    while let byte = try next() {
      sawAny = true
      if byte == UInt8(ascii: "\n") {
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        return true
      }
      line.append(byte)
    }
    if line.last == UInt8(ascii: "\r") { line.removeLast() }
    return sawAny
  }
}

/// A bad input record: `file:line: message`.
public struct InputError: Error, CustomStringConvertible {
  public var file: String
  public var line: Int?
  public var message: String

  public init(file: String, line: Int?, _ message: String) {
    self.file = file
    self.line = line
    self.message = message
  }

  public var description: String {
    if let line { return "\(file):\(line): \(message)" }
    return "\(file): \(message)"
  }
}

/// One value of an input record, before it is converted to its column's type.
public enum InputCell {
  case null
  /// A JSON string or a CSV field.
  case text(String)
  /// A JSON number, as written.
  case number(String)
  case boolean(Bool)
  /// A JSON object or array, as written.
  case nested(String)
}

/// One record of an input file: its first line number and its named values.
public struct InputRecord {
  public var line: Int
  public var cells: [(name: String, cell: InputCell)]
}

/// A reader of records (JSON lines or CSV).
public protocol InputReader {
  var path: String { get }
  mutating func next() throws(InputError) -> InputRecord?
}

public enum InputFormat: String {
  case jsonl, csv

  public func decoder(path: String) throws(InputError) -> any InputReader {
    switch self {
    case .jsonl: return try JSONLinesDecoder(path: path)
    case .csv: return try CSVDecoder(path: path)
    }
  }
}
