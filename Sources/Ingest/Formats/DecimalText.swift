/// Unsigned decimal integers written as text, parsed from bytes without a `String`.
enum DecimalText {
  /// Decimal digits that fit an `Int64` (at most 18, so no overflow check is needed).
  static func integer(_ text: UnsafeBufferPointer<UInt8>) -> Int64? {
    guard !text.isEmpty, text.count <= 18 else { return nil }
    var value: Int64 = 0
    for byte in text {
      guard let digit = TimeText.digit(byte) else { return nil }
      value = value * 10 + digit
    }
    return value
  }
}
