/// Standard base64 (RFC 4648 §4, with padding), as SCRAM messages carry salts, nonces and
/// proofs. The Kafka module does not link Foundation.
enum Base64 {
  private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

  static func encode(_ bytes: some Collection<UInt8>) -> String {
    let input = Array(bytes)
    var output: [UInt8] = []
    output.reserveCapacity((input.count + 2) / 3 * 4)
    var index = 0
    while index < input.count {
      let count = min(3, input.count - index)
      let b0 = UInt32(input[index])
      let b1 = count > 1 ? UInt32(input[index + 1]) : 0
      let b2 = count > 2 ? UInt32(input[index + 2]) : 0
      let group = b0 << 16 | b1 << 8 | b2
      output.append(alphabet[Int(group >> 18 & 63)])
      output.append(alphabet[Int(group >> 12 & 63)])
      output.append(count > 1 ? alphabet[Int(group >> 6 & 63)] : UInt8(ascii: "="))
      output.append(count > 2 ? alphabet[Int(group & 63)] : UInt8(ascii: "="))
      index += 3
    }
    return String(decoding: output, as: UTF8.self)
  }

  /// Decodes padded base64; nil for anything else (wrong length, characters outside the
  /// alphabet, misplaced padding).
  static func decode(_ text: some StringProtocol) -> [UInt8]? {
    let input = Array(text.utf8)
    guard input.count % 4 == 0 else { return nil }
    var output: [UInt8] = []
    output.reserveCapacity(input.count / 4 * 3)
    var index = 0
    while index < input.count {
      let last = index + 4 == input.count
      var group: UInt32 = 0
      var padding = 0
      for offset in 0..<4 {
        let character = input[index + offset]
        if character == UInt8(ascii: "=") {
          // Padding only at the end of the last group, at most two characters.
          guard last, offset >= 2 else { return nil }
          padding += 1
          group <<= 6
          continue
        }
        guard padding == 0, let value = sextet(character) else { return nil }
        group = group << 6 | UInt32(value)
      }
      output.append(UInt8(truncatingIfNeeded: group >> 16))
      if padding < 2 { output.append(UInt8(truncatingIfNeeded: group >> 8)) }
      if padding < 1 { output.append(UInt8(truncatingIfNeeded: group)) }
      index += 4
    }
    return output
  }

  private static func sextet(_ character: UInt8) -> UInt8? {
    switch character {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"): character - UInt8(ascii: "A")
    case UInt8(ascii: "a")...UInt8(ascii: "z"): character - UInt8(ascii: "a") + 26
    case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0") + 52
    case UInt8(ascii: "+"): 62
    case UInt8(ascii: "/"): 63
    default: nil
    }
  }
}
