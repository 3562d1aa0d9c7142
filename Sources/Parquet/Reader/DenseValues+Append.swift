import Storage

/// In-place appends to the arrays inside `DenseValues`. Each takes the array out of the enum
/// first so it is uniquely referenced and grows without a copy.
extension DenseValues {
  mutating func appendBooleans(_ count: Int, _ body: (UnsafeMutableBufferPointer<UInt8>) throws(ParquetError) -> Void)
    throws(ParquetError)
  {
    guard case .boolean(var array) = self else { throw mismatch("BOOLEAN") }
    self = .boolean([])
    defer { self = .boolean(array) }
    try Self.appendSlots(&array, count, body)
  }

  mutating func appendInt32(_ count: Int, _ body: (UnsafeMutableBufferPointer<Int32>) throws(ParquetError) -> Void)
    throws(ParquetError)
  {
    guard case .int32(var array) = self else { throw mismatch("INT32") }
    self = .int32([])
    defer { self = .int32(array) }
    try Self.appendSlots(&array, count, body)
  }

  mutating func appendInt64(_ count: Int, _ body: (UnsafeMutableBufferPointer<Int64>) throws(ParquetError) -> Void)
    throws(ParquetError)
  {
    switch self {
    case .int64(var array):
      self = .int64([])
      defer { self = .int64(array) }
      try Self.appendSlots(&array, count, body)
    case .int96(var array):
      self = .int96([])
      defer { self = .int96(array) }
      try Self.appendSlots(&array, count, body)
    default:
      throw mismatch("INT64")
    }
  }

  mutating func appendFloat(_ count: Int, _ body: (UnsafeMutableBufferPointer<Float>) throws(ParquetError) -> Void)
    throws(ParquetError)
  {
    guard case .float(var array) = self else { throw mismatch("FLOAT") }
    self = .float([])
    defer { self = .float(array) }
    try Self.appendSlots(&array, count, body)
  }

  mutating func appendDouble(_ count: Int, _ body: (UnsafeMutableBufferPointer<Double>) throws(ParquetError) -> Void)
    throws(ParquetError)
  {
    guard case .double(var array) = self else { throw mismatch("DOUBLE") }
    self = .double([])
    defer { self = .double(array) }
    try Self.appendSlots(&array, count, body)
  }

  mutating func appendBytes(_ body: (inout [Int32], inout [UInt8]) throws(ParquetError) -> Void) throws(ParquetError) {
    guard case .bytes(var offsets, var data) = self else { throw mismatch("byte array") }
    self = .bytes(offsets: [], data: [])
    defer { self = .bytes(offsets: offsets, data: data) }
    try body(&offsets, &data)
  }

  /// Reserves room for `count` values (and `bytes` value bytes for byte arrays).
  mutating func reserve(values count: Int, bytes: Int) {
    guard count > 0 else { return }
    switch self {
    case .boolean(var array):
      self = .boolean([])
      array.reserveCapacity(count)
      self = .boolean(array)
    case .int32(var array):
      self = .int32([])
      array.reserveCapacity(count)
      HugePages.adviseSpareCapacity(&array)
      self = .int32(array)
    case .int64(var array):
      self = .int64([])
      array.reserveCapacity(count)
      HugePages.adviseSpareCapacity(&array)
      self = .int64(array)
    case .int96(var array):
      self = .int96([])
      array.reserveCapacity(count)
      self = .int96(array)
    case .float(var array):
      self = .float([])
      array.reserveCapacity(count)
      HugePages.adviseSpareCapacity(&array)
      self = .float(array)
    case .double(var array):
      self = .double([])
      array.reserveCapacity(count)
      HugePages.adviseSpareCapacity(&array)
      self = .double(array)
    case .bytes(var offsets, var data):
      self = .bytes(offsets: [], data: [])
      offsets.reserveCapacity(count + 1)
      data.reserveCapacity(bytes)
      HugePages.adviseSpareCapacity(&offsets)
      HugePages.adviseSpareCapacity(&data)
      self = .bytes(offsets: offsets, data: data)
    }
  }

  private static func appendSlots<T: BitwiseCopyable & Numeric>(
    _ array: inout [T], _ count: Int, _ body: (UnsafeMutableBufferPointer<T>) throws(ParquetError) -> Void
  ) throws(ParquetError) {
    let start = array.count
    array.append(contentsOf: repeatElement(.zero, count: count))
    do {
      try array.withUnsafeMutableBufferPointer { (buffer) throws(ParquetError) in
        try body(UnsafeMutableBufferPointer(rebasing: buffer[start...]))
      }
    } catch {
      array.removeSubrange(start...)
      throw error
    }
  }

  private func mismatch(_ expected: String) -> ParquetError {
    ParquetError(.corrupt, "page values are not \(expected) like the column's earlier values")
  }
}
