/// How a source cuts its bytes into the units a decoder reads.
public enum Framing: Sendable {
  /// One unit per line, without its `\n` (and `\r`).
  case lines
  /// The whole input (a file, an HTTP body, a message) is one unit.
  case document
}

/// Turns units of raw input (lines or documents) into records. A decoder keeps state between
/// units when the format needs it (a Zeek header, a CSV or VPC flow log header line).
///
/// A unit that cannot be decoded throws ``DecodeError`` and yields no record: the caller sends
/// its raw text to dead letters. A unit may yield several records (an osquery batch result, a
/// CloudTrail file) or none (a header or comment line, a blank line).
public protocol RecordDecoder {
  /// How input for this decoder is cut into units.
  var framing: Framing { get }

  /// Decodes one unit, appending its records to `records` (nothing is appended when it throws).
  mutating func decode(_ unit: UnsafeBufferPointer<UInt8>, into records: inout [DecodedRecord]) throws(DecodeError)

  /// Sees a line that precedes the resume point of a source, so that state such as a header is
  /// known without decoding the line's records again.
  mutating func skip(_ line: UnsafeBufferPointer<UInt8>)
}

extension RecordDecoder {
  public var framing: Framing { .lines }
  public mutating func skip(_ line: UnsafeBufferPointer<UInt8>) {}

  /// Decodes a unit given as bytes (tests, HTTP bodies).
  public mutating func decode(_ unit: [UInt8], into records: inout [DecodedRecord]) throws(DecodeError) {
    var result: Result<Void, DecodeError> = .success(())
    unit.withUnsafeBufferPointer { buffer in
      do throws(DecodeError) {
        try decode(buffer, into: &records)
      } catch {
        result = .failure(error)
      }
    }
    try result.get()
  }

  /// Decodes a unit given as text.
  public mutating func decode(_ unit: String, into records: inout [DecodedRecord]) throws(DecodeError) {
    try decode(Array(unit.utf8), into: &records)
  }
}

/// Why a unit of input could not be decoded; the message says what and, when it can, where
/// (a field name, a column of the line).
public struct DecodeError: Error, Sendable, Equatable, CustomStringConvertible {
  public var message: String

  public init(_ message: String) { self.message = message }

  public var description: String { message }
}
