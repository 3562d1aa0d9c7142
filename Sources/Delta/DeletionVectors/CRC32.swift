/// CRC-32 as zlib and `java.util.zip.CRC32` compute it (IEEE 802.3, reflected polynomial
/// 0xEDB88320, initial and final value 0xFFFFFFFF); Delta stores it after each bitmap of a DV file.
enum CRC32 {
  static let table: [UInt32] = (0..<256).map { index in
    var value = UInt32(index)
    for _ in 0..<8 {
      value = value & 1 == 1 ? (value >> 1) ^ 0xEDB8_8320 : value >> 1
    }
    return value
  }

  /// The checksum of `bytes`, continuing from `previous` (the checksum of the bytes before them).
  static func checksum(_ bytes: some Sequence<UInt8>, continuing previous: UInt32 = 0) -> UInt32 {
    var crc = ~previous
    table.withUnsafeBufferPointer { table in
      for byte in bytes {
        crc = table[Int(UInt8(truncatingIfNeeded: crc) ^ byte)] ^ (crc >> 8)
      }
    }
    return ~crc
  }
}
