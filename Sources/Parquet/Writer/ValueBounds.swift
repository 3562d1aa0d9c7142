import Columnar

/// The running minimum and maximum of a column chunk's fixed-width values in the leaf's order.
struct FixedWidthBounds<T: FixedWidthPhysical> {
  private(set) var min = T(bits: 0)
  private(set) var max = T(bits: 0)
  private(set) var hasValue = false

  /// Takes `values` into account; NaNs are skipped under `.float` order.
  mutating func update(_ values: UnsafeBufferPointer<T>, order: ValueOrder) {
    guard !values.isEmpty else { return }
    switch order {
    case .signed, .boolean:
      var low = hasValue ? min : values[0]
      var high = hasValue ? max : values[0]
      for value in values {
        low = value < low ? value : low
        high = value > high ? value : high
      }
      (min, max, hasValue) = (low, high, true)
    case .unsigned:
      var low = hasValue ? min.bits : values[0].bits
      var high = hasValue ? max.bits : values[0].bits
      for value in values {
        let bits = value.bits
        low = bits < low ? bits : low
        high = bits > high ? bits : high
      }
      (min, max, hasValue) = (T(bits: low), T(bits: high), true)
    case .float:
      var index = 0
      if !hasValue {
        while index < values.count && values[index].isNaNValue { index += 1 }
        guard index < values.count else { return }
        (min, max, hasValue) = (values[index], values[index], true)
      }
      var low = min
      var high = max
      while index < values.count {
        let value = values[index]
        // NaN compares false both ways, so it never replaces a bound.
        if value < low { low = value }
        if value > high { high = value }
        index += 1
      }
      (min, max) = (low, high)
    case .none, .unsignedBytes, .signedBigEndian, .float16:
      return
    }
  }

  /// The chunk's statistics: bounds PLAIN-encoded, floats' zero bounds as -0.0 and +0.0.
  func statistics(nullCount: Int, order: ValueOrder, legacy: Bool) -> Statistics {
    var statistics = Statistics(nullCount: Int64(nullCount))
    guard hasValue, order != .none else { return statistics }
    var low = min.bits
    var high = max.bits
    if order == .float {
      // The spec: a zero minimum is written as -0.0 and a zero maximum as +0.0, since the
      // chunk may hold either zero.
      let signBit = Self.signBit
      if low & ~signBit == 0 { low = signBit }
      if high & ~signBit == 0 { high = 0 }
    }
    let minBytes = Self.littleEndianBytes(low)
    let maxBytes = Self.littleEndianBytes(high)
    statistics.minValue = minBytes
    statistics.maxValue = maxBytes
    statistics.isMinValueExact = true
    statistics.isMaxValueExact = true
    if legacy {
      statistics.min = minBytes
      statistics.max = maxBytes
    }
    return statistics
  }

  private static var signBit: T.Bits { T.Bits(1) << (T.Bits.bitWidth - 1) }

  private static func littleEndianBytes(_ bits: T.Bits) -> [UInt8] {
    withUnsafeBytes(of: bits.littleEndian) { Array($0) }
  }
}

/// The running minimum and maximum of a column chunk's byte-string values.
struct ByteArrayBounds {
  private(set) var min: [UInt8] = []
  private(set) var max: [UInt8] = []
  private(set) var hasValue = false

  /// Statistics longer than this are truncated to a prefix (and the maximum incremented).
  static let truncationLength = 64

  @inline(__always)
  mutating func update(_ value: UnsafeRawBufferPointer, order: ValueOrder) {
    if order == .float16 {
      updateHalf(value)
      return
    }
    guard hasValue else {
      min.append(contentsOf: value)
      max.append(contentsOf: value)
      hasValue = true
      return
    }
    let belowMin: Bool
    let aboveMax: Bool
    if order == .signedBigEndian {
      belowMin = min.withUnsafeBytes { ByteOrder.compareSignedBigEndian(value, $0) } < 0
      aboveMax = !belowMin && max.withUnsafeBytes { ByteOrder.compareSignedBigEndian(value, $0) } > 0
    } else {
      belowMin = min.withUnsafeBytes { ByteOrder.compareUnsigned(value, $0) } < 0
      aboveMax = !belowMin && max.withUnsafeBytes { ByteOrder.compareUnsigned(value, $0) } > 0
    }
    if belowMin {
      min.removeAll(keepingCapacity: true)
      min.append(contentsOf: value)
    } else if aboveMax {
      max.removeAll(keepingCapacity: true)
      max.append(contentsOf: value)
    }
  }

  /// FLOAT16 values: numeric order, NaN skipped.
  private mutating func updateHalf(_ value: UnsafeRawBufferPointer) {
    guard value.count == 2 else { return }
    let half = Self.half(value[0], value[1])
    guard !half.isNaN else { return }
    guard hasValue else {
      min = [value[0], value[1]]
      max = min
      hasValue = true
      return
    }
    if half < Self.half(min[0], min[1]) {
      min = [value[0], value[1]]
    } else if half > Self.half(max[0], max[1]) {
      max = [value[0], value[1]]
    }
  }

  private static func half(_ low: UInt8, _ high: UInt8) -> Float {
    Float(Float16(bitPattern: UInt16(low) | UInt16(high) << 8))
  }

  /// Forgets the bounds for the next column chunk.
  mutating func removeAll() {
    min.removeAll(keepingCapacity: true)
    max.removeAll(keepingCapacity: true)
    hasValue = false
  }

  /// The chunk's statistics. Unsigned-ordered bounds longer than ``truncationLength`` are
  /// truncated: the minimum to a prefix, the maximum to a prefix with its last byte (or, for
  /// UTF-8 text, its last character) incremented; a maximum that cannot be incremented is left out.
  func statistics(nullCount: Int, order: ValueOrder, isUTF8: Bool) -> Statistics {
    var statistics = Statistics(nullCount: Int64(nullCount))
    guard hasValue, order != .none else { return statistics }
    if order == .float16 {
      // As for FLOAT and DOUBLE: a zero minimum is -0.0, a zero maximum +0.0.
      let low: [UInt8] = Self.half(min[0], min[1]) == 0 ? [0x00, 0x80] : min
      let high: [UInt8] = Self.half(max[0], max[1]) == 0 ? [0x00, 0x00] : max
      statistics.minValue = low
      statistics.maxValue = high
      statistics.isMinValueExact = true
      statistics.isMaxValueExact = true
      return statistics
    }
    if order == .unsignedBytes && min.count > Self.truncationLength {
      statistics.minValue = Self.truncatedMin(min, isUTF8: isUTF8)
      statistics.isMinValueExact = false
    } else {
      statistics.minValue = min
      statistics.isMinValueExact = true
    }
    if order == .unsignedBytes && max.count > Self.truncationLength {
      if let bound = Self.truncatedMax(max, isUTF8: isUTF8) {
        statistics.maxValue = bound
        statistics.isMaxValueExact = false
      }
    } else {
      statistics.maxValue = max
      statistics.isMaxValueExact = true
    }
    return statistics
  }

  /// The longest prefix of at most ``truncationLength`` bytes (whole characters for UTF-8).
  private static func prefixLength(_ value: [UInt8], isUTF8: Bool) -> Int {
    var length = Swift.min(value.count, truncationLength)
    if isUTF8 {
      // Back off continuation bytes (10xxxxxx) so the prefix ends on a character boundary.
      while length > 0 && length < value.count && value[length] & 0xC0 == 0x80 { length -= 1 }
    }
    return length
  }

  static func truncatedMin(_ value: [UInt8], isUTF8: Bool) -> [UInt8] {
    Array(value[0..<prefixLength(value, isUTF8: isUTF8)])
  }

  /// A short value above every value that starts like `value`, or nil if there is none.
  static func truncatedMax(_ value: [UInt8], isUTF8: Bool) -> [UInt8]? {
    var prefix = Array(value[0..<prefixLength(value, isUTF8: isUTF8)])
    if isUTF8, let text = String(validating: prefix, as: UTF8.self) {
      // Replace the last character that has a successor by its successor and drop the rest:
      // UTF-8 byte order is code point order, so the result is above every extension.
      var scalars = Array(text.unicodeScalars)
      while let last = scalars.popLast() {
        var next = last.value + 1
        if next == 0xD800 { next = 0xE000 }
        if let successor = Unicode.Scalar(next) {
          scalars.append(successor)
          var result: [UInt8] = []
          for scalar in scalars { result.append(contentsOf: Array(String(Character(scalar)).utf8)) }
          return result
        }
      }
      return nil
    }
    while let last = prefix.popLast() {
      if last < 0xFF {
        prefix.append(last + 1)
        return prefix
      }
    }
    return nil
  }
}

/// Whether a chunk of booleans holds false, true or both.
struct BooleanBounds {
  private(set) var sawFalse = false
  private(set) var sawTrue = false

  mutating func update(_ values: UnsafeBufferPointer<UInt8>) {
    for value in values {
      if value == 0 { sawFalse = true } else { sawTrue = true }
      if sawFalse && sawTrue { return }
    }
  }

  func statistics(nullCount: Int) -> Statistics {
    var statistics = Statistics(nullCount: Int64(nullCount))
    guard sawFalse || sawTrue else { return statistics }
    let low: [UInt8] = [sawFalse ? 0 : 1]
    let high: [UInt8] = [sawTrue ? 1 : 0]
    statistics.minValue = low
    statistics.maxValue = high
    statistics.min = low
    statistics.max = high
    statistics.isMinValueExact = true
    statistics.isMaxValueExact = true
    return statistics
  }
}
