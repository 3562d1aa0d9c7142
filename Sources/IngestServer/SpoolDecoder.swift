public import Ingest

/// Reads spool files: marker lines (those starting with the record separator 0x1E, the file
/// header and one per request) yield no records; every other line goes to `base`.
public struct SpoolDecoder<Base: RecordDecoder>: RecordDecoder {
  public var base: Base

  public init(_ base: Base) {
    self.base = base
  }

  public var framing: Framing { .lines }

  public mutating func decode(_ unit: UnsafeBufferPointer<UInt8>, into records: inout [DecodedRecord])
    throws(DecodeError)
  {
    if unit.first == SpoolFrame.separator { return }
    try base.decode(unit, into: &records)
  }

  public mutating func skip(_ line: UnsafeBufferPointer<UInt8>) {
    if line.first == SpoolFrame.separator { return }
    base.skip(line)
  }
}
