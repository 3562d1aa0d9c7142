/// Z85, the base-85 text encoding of ZeroMQ RFC 32, as Delta uses it for inline deletion vectors
/// and for the UUIDs that name DV files.
///
/// Every four bytes, read as a big-endian number, become five characters of a JSON-safe
/// alphabet. Lengths that are not a multiple of four are handled two ways, both of which occur
/// in real tables:
/// - Delta (Spark) pads the input with zero bytes; the reader drops them using the descriptor's
///   `sizeInBytes`. `encode` does this, as it is what every reader understands.
/// - The Rust `z85` crate (delta-rs, delta-kernel-rs) writes a final group that starts with one
///   to three `#`; each `#` stands for a missing byte and the rest of the group holds the
///   remaining bytes. No ordinary group can start with `#` (85⁵ > 2³²), so `decode` accepts both.
public enum Z85 {
  static let alphabet: [UInt8] = Array(
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#".utf8)

  /// The value of each ASCII character, 0xFF for characters outside the alphabet.
  static let digitValues: [UInt8] = {
    var table = [UInt8](repeating: 0xFF, count: 256)
    for (value, character) in alphabet.enumerated() { table[Int(character)] = UInt8(value) }
    return table
  }()

  static let padding = UInt8(ascii: "#")

  /// Encodes `bytes`, padded with zero bytes to a multiple of four.
  public static func encode(_ bytes: some Collection<UInt8>) -> String {
    var input = Array(bytes)
    while input.count % 4 != 0 { input.append(0) }
    var out: [UInt8] = []
    out.reserveCapacity(input.count / 4 * 5)
    var index = 0
    while index < input.count {
      var value =
        UInt32(input[index]) << 24 | UInt32(input[index + 1]) << 16 | UInt32(input[index + 2]) << 8
        | UInt32(input[index + 3])
      var group = [UInt8](repeating: 0, count: 5)
      for position in stride(from: 4, through: 0, by: -1) {
        group[position] = alphabet[Int(value % 85)]
        value /= 85
      }
      out.append(contentsOf: group)
      index += 4
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// Decodes `text`; its length must be a multiple of five. A last group starting with `#`
  /// yields fewer than four bytes (see the type's documentation).
  public static func decode(_ text: String) throws(DeletionVectorError) -> [UInt8] {
    let characters = Array(text.utf8)
    guard characters.count % 5 == 0 else {
      throw DeletionVectorError(
        .invalidDescriptor, "Z85 text of \(characters.count) characters is not a multiple of 5 long")
    }
    var out: [UInt8] = []
    out.reserveCapacity(characters.count / 5 * 4)
    var start = 0
    while start < characters.count {
      let isLast = start + 5 == characters.count
      var padded = 0
      if isLast {
        while padded < 5 && characters[start + padded] == padding { padded += 1 }
        guard padded <= 3 else {
          throw DeletionVectorError(
            .invalidDescriptor, "Z85 group at character \(start) is \(padded) padding characters")
        }
      }
      var value: UInt64 = 0
      for position in start + padded..<start + 5 {
        let digit = digitValues[Int(characters[position])]
        guard digit != 0xFF else {
          throw DeletionVectorError(
            .invalidDescriptor,
            "character \(position) of Z85 text is '\(Unicode.Scalar(characters[position]))', not a Z85 digit")
        }
        value = value * 85 + UInt64(digit)
      }
      let byteCount = 4 - padded
      guard value >> (8 * UInt64(byteCount)) == 0 else {
        throw DeletionVectorError(
          .invalidDescriptor, "Z85 group at character \(start) is \(value), too large for \(byteCount) bytes")
      }
      for shift in stride(from: 8 * (byteCount - 1), through: 0, by: -8) {
        out.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
      }
      start += 5
    }
    return out
  }
}
