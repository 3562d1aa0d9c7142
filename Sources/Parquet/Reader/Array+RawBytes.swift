extension Array where Element == UInt8 {
  /// `withUnsafeBytes` with a typed error: the standard one only rethrows `any Error`.
  func withRawBytes<R>(_ body: (UnsafeRawBufferPointer) throws(ParquetError) -> R) throws(ParquetError) -> R {
    try withUnsafeBufferPointer { (buffer) throws(ParquetError) -> R in try body(UnsafeRawBufferPointer(buffer)) }
  }
}
