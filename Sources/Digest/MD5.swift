/// MD5 (RFC 1321) of short messages, for SQL's `md5()`. Pure Swift and allocation free: the
/// digest is returned as a value and hex text is appended to the caller's buffer.
///
/// MD5 is broken as a cryptographic hash; it is here because SQL engines expose it for
/// fingerprints and interoperability, not for security.
public enum MD5 {
  /// The 16-byte digest as four little-endian words (A, B, C, D), in output order.
  public typealias Digest = (UInt32, UInt32, UInt32, UInt32)

  /// floor(abs(sin(i + 1)) * 2^32), from RFC 1321 section 3.4.
  private static let constants: [UInt32] = [
    0xd76a_a478, 0xe8c7_b756, 0x2420_70db, 0xc1bd_ceee, 0xf57c_0faf, 0x4787_c62a, 0xa830_4613, 0xfd46_9501,
    0x6980_98d8, 0x8b44_f7af, 0xffff_5bb1, 0x895c_d7be, 0x6b90_1122, 0xfd98_7193, 0xa679_438e, 0x49b4_0821,
    0xf61e_2562, 0xc040_b340, 0x265e_5a51, 0xe9b6_c7aa, 0xd62f_105d, 0x0244_1453, 0xd8a1_e681, 0xe7d3_fbc8,
    0x21e1_cde6, 0xc337_07d6, 0xf4d5_0d87, 0x455a_14ed, 0xa9e3_e905, 0xfcef_a3f8, 0x676f_02d9, 0x8d2a_4c8a,
    0xfffa_3942, 0x8771_f681, 0x6d9d_6122, 0xfde5_380c, 0xa4be_ea44, 0x4bde_cfa9, 0xf6bb_4b60, 0xbebf_bc70,
    0x289b_7ec6, 0xeaa1_27fa, 0xd4ef_3085, 0x0488_1d05, 0xd9d4_d039, 0xe6db_99e5, 0x1fa2_7cf8, 0xc4ac_5665,
    0xf429_2244, 0x432a_ff97, 0xab94_23a7, 0xfc93_a039, 0x655b_59c3, 0x8f0c_cc92, 0xffef_f47d, 0x8584_5dd1,
    0x6fa8_7e4f, 0xfe2c_e6e0, 0xa301_4314, 0x4e08_11a1, 0xf753_7e82, 0xbd3a_f235, 0x2ad7_d2bb, 0xeb86_d391,
  ]

  /// The digest of `message` as four words; see ``hash(_:)`` for bytes.
  public static func digest(_ message: UnsafeRawBufferPointer) -> Digest {
    var state: Digest = (0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476)
    constants.withUnsafeBufferPointer { k in
      // Whole blocks straight from the message, then one or two padded tail blocks.
      let count = message.count
      var block = 0
      while block + 64 <= count {
        compress(&state, UnsafeRawBufferPointer(rebasing: message[block..<block + 64]), k)
        block += 64
      }
      withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 128) { tail in
        tail.initialize(repeating: 0)
        let rest = count - block
        for i in 0..<rest { tail[i] = message[block + i] }
        tail[rest] = 0x80
        let tailLength = rest + 9 <= 64 ? 64 : 128
        let bitLength = UInt64(truncatingIfNeeded: count) &* 8
        for i in 0..<8 { tail[tailLength - 8 + i] = UInt8(truncatingIfNeeded: bitLength >> (8 * UInt64(i))) }
        let raw = UnsafeRawBufferPointer(tail)
        compress(&state, UnsafeRawBufferPointer(rebasing: raw[0..<64]), k)
        if tailLength == 128 { compress(&state, UnsafeRawBufferPointer(rebasing: raw[64..<128]), k) }
      }
    }
    return state
  }

  /// The digest of `message` as 16 bytes.
  public static func hash(_ message: UnsafeRawBufferPointer) -> [UInt8] {
    let d = digest(message)
    var out: [UInt8] = []
    out.reserveCapacity(16)
    for word in [d.0, d.1, d.2, d.3] {
      for shift in stride(from: UInt32(0), to: 32, by: 8) { out.append(UInt8(truncatingIfNeeded: word >> shift)) }
    }
    return out
  }

  /// Appends the lowercase hex digest of `message` (32 characters) to `out`.
  public static func appendHexDigest(of message: UnsafeRawBufferPointer, to out: inout [UInt8]) {
    let d = digest(message)
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { text in
      // Each word's bytes, least significant first.
      func put(_ word: UInt32, at index: Int) {
        for byte in 0..<4 {
          let value = UInt8(truncatingIfNeeded: word >> UInt32(8 * byte))
          text[8 * index + 2 * byte] = hexDigit(value >> 4)
          text[8 * index + 2 * byte + 1] = hexDigit(value & 15)
        }
      }
      put(d.0, at: 0)
      put(d.1, at: 1)
      put(d.2, at: 2)
      put(d.3, at: 3)
      out.append(contentsOf: UnsafeBufferPointer(text))
    }
  }

  @inline(__always) private static func hexDigit(_ nibble: UInt8) -> UInt8 {
    nibble < 10 ? 48 + nibble : 87 + nibble
  }

  /// One 64-byte block of RFC 1321 section 3.4.
  private static func compress(_ state: inout Digest, _ block: UnsafeRawBufferPointer, _ k: UnsafeBufferPointer<UInt32>)
  {
    withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 16) { m in
      for i in 0..<16 { m[i] = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)) }
      var (a, b, c, d) = state
      @inline(__always) func step(_ f: UInt32, _ i: Int, _ g: Int, _ s: UInt32) {
        let sum = a &+ f &+ k[i] &+ m[g]
        a = d
        d = c
        c = b
        b = b &+ (sum << s | sum >> (32 - s))
      }
      for i in stride(from: 0, to: 16, by: 4) {
        step((b & c) | (~b & d), i, i, 7)
        step((b & c) | (~b & d), i + 1, i + 1, 12)
        step((b & c) | (~b & d), i + 2, i + 2, 17)
        step((b & c) | (~b & d), i + 3, i + 3, 22)
      }
      for i in stride(from: 16, to: 32, by: 4) {
        step((d & b) | (~d & c), i, (5 &* i &+ 1) & 15, 5)
        step((d & b) | (~d & c), i + 1, (5 &* i &+ 6) & 15, 9)
        step((d & b) | (~d & c), i + 2, (5 &* i &+ 11) & 15, 14)
        step((d & b) | (~d & c), i + 3, (5 &* i &+ 16) & 15, 20)
      }
      for i in stride(from: 32, to: 48, by: 4) {
        step(b ^ c ^ d, i, (3 &* i &+ 5) & 15, 4)
        step(b ^ c ^ d, i + 1, (3 &* i &+ 8) & 15, 11)
        step(b ^ c ^ d, i + 2, (3 &* i &+ 11) & 15, 16)
        step(b ^ c ^ d, i + 3, (3 &* i &+ 14) & 15, 23)
      }
      for i in stride(from: 48, to: 64, by: 4) {
        step(c ^ (b | ~d), i, (7 &* i) & 15, 6)
        step(c ^ (b | ~d), i + 1, (7 &* i &+ 7) & 15, 10)
        step(c ^ (b | ~d), i + 2, (7 &* i &+ 14) & 15, 15)
        step(c ^ (b | ~d), i + 3, (7 &* i &+ 21) & 15, 21)
      }
      state = (state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d)
    }
  }
}
