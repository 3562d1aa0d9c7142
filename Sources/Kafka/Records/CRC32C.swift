/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), which record batches carry over
/// everything from their attributes field to their end.
///
/// Table-driven, eight bytes per step ("slicing-by-8"): fetch responses run to megabytes, so
/// the byte-at-a-time loop would show up in profiles.
enum CRC32C {
  static let polynomial: UInt32 = 0x82F6_3B78

  /// Eight tables of 256 entries, back to back: entry [k * 256 + b] is the CRC of byte b
  /// followed by k zero bytes.
  static let table: [UInt32] = {
    var table = [UInt32](repeating: 0, count: 8 * 256)
    for byte in 0..<256 {
      var crc = UInt32(byte)
      for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ polynomial : crc >> 1 }
      table[byte] = crc
    }
    for k in 1..<8 {
      for byte in 0..<256 {
        let previous = table[(k - 1) * 256 + byte]
        table[k * 256 + byte] = (previous >> 8) ^ table[Int(previous & 0xff)]
      }
    }
    return table
  }()

  /// The CRC-32C of `bytes`.
  static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
    update(0, bytes)
  }

  static func checksum(_ bytes: [UInt8], range: Range<Int>) -> UInt32 {
    bytes.withUnsafeBytes { update(0, UnsafeRawBufferPointer(rebasing: $0[range])) }
  }

  /// Continues a CRC over more bytes (pass 0 to start).
  static func update(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
    table.withUnsafeBufferPointer { t in
      var c = ~crc
      var i = 0
      let n = bytes.count
      while i + 8 <= n {
        let lo =
          c
          ^ (UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24)
        c =
          t[7 * 256 + Int(lo & 0xff)] ^ t[6 * 256 + Int((lo >> 8) & 0xff)] ^ t[5 * 256 + Int((lo >> 16) & 0xff)]
          ^ t[4 * 256 + Int(lo >> 24)] ^ t[3 * 256 + Int(bytes[i + 4])] ^ t[2 * 256 + Int(bytes[i + 5])]
          ^ t[256 + Int(bytes[i + 6])] ^ t[Int(bytes[i + 7])]
        i += 8
      }
      while i < n {
        c = t[Int((c ^ UInt32(bytes[i])) & 0xff)] ^ (c >> 8)
        i += 1
      }
      return ~c
    }
  }
}
