// Constants of the Zstandard format (RFC 8878), shared by the decoder and the encoder.

enum ZstdFormat {
  static let frameMagic: UInt32 = 0xFD2F_B528
  static let skippableMagicMask: UInt32 = 0xFFFF_FFF0
  static let skippableMagic: UInt32 = 0x184D_2A50
  static let blockSizeMax = 128 * 1024
  /// Largest window the format can describe (windowLog 41); anything we meet is bounded by this.
  static let windowLogMax = 41

  static let llMaxSymbol = 35
  static let mlMaxSymbol = 52
  static let ofMaxSymbol = 31
  static let llMaxLog = 9
  static let mlMaxLog = 9
  static let ofMaxLog = 8
  static let huffmanMaxBits = 11
  /// The decoder accepts one more bit than the spec's encoder limit, as the reference decoder does.
  static let huffmanDecodeMaxBits = 12
  static let huffmanWeightsMaxLog = 6

  static let llBase: [UInt32] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
    16, 18, 20, 22, 24, 28, 32, 40, 48, 64, 128, 256, 512, 1024, 2048, 4096,
    8192, 16384, 32768, 65536,
  ]
  static let llBits: [UInt8] = [
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    1, 1, 1, 1, 2, 2, 3, 3, 4, 6, 7, 8, 9, 10, 11, 12,
    13, 14, 15, 16,
  ]
  static let mlBase: [UInt32] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18,
    19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34,
    35, 37, 39, 41, 43, 47, 51, 59, 67, 83, 99, 131, 259, 515, 1027, 2051,
    4099, 8195, 16387, 32771, 65539,
  ]
  static let mlBits: [UInt8] = [
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    1, 1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 7, 8, 9, 10, 11,
    12, 13, 14, 15, 16,
  ]

  // Default distributions (RFC 8878 section 3.1.1.3.2.2), used by "predefined" mode.
  static let llDefaultLog = 6
  static let llDefaultNorm: [Int16] = [
    4, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 2, 1, 1, 1, 1, 1,
    -1, -1, -1, -1,
  ]
  static let mlDefaultLog = 6
  static let mlDefaultNorm: [Int16] = [
    1, 4, 3, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1, -1,
    -1, -1, -1, -1, -1,
  ]
  static let ofDefaultLog = 5
  static let ofDefaultNorm: [Int16] = [
    1, 1, 1, 1, 1, 1, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1,
  ]
}

/// Index of the highest set bit; `value` must be non-zero.
@inline(__always)
func zstdHighBit32(_ value: UInt32) -> Int { 31 - value.leadingZeroBitCount }

extension CodecError {
  @inline(never)
  static func zstd(_ code: Code, _ message: String, at offset: Int? = nil) -> CodecError {
    CodecError(code, codec: "ZSTD", message, offset: offset)
  }
}

/// zstdLog2 for positive finite values, without Foundation: exponent plus a short atanh series for
/// the significand (accurate to ~1e-9, plenty for cost estimates).
func zstdLog2(_ x: Double) -> Double {
  let e = Double(x.exponent)
  let s = x.significand  // in [1, 2)
  let z = (s - 1) / (s + 1)
  let z2 = z * z
  var term = z
  var sum = 0.0
  var k = 1.0
  for _ in 0..<9 {
    sum += term / k
    term *= z2
    k += 2
  }
  return e + 2 * sum * 1.4426950408889634
}
